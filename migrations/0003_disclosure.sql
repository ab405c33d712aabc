CREATE TABLE "disclosure_advisories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"identifier" text NOT NULL,
	"cve_id" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"affected" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cvss_v3_vector" text,
	"cvss_v4_vector" text,
	"cwe_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"credits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"references" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"report_id" uuid,
	"embargo_until" timestamp with time zone,
	"published_at" timestamp with time zone,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_advisories_identifier_unique" UNIQUE("identifier"),
	CONSTRAINT "disclosure_advisories_status_check" CHECK ("disclosure_advisories"."status" in ('draft','shared','published'))
);
--> statement-breakpoint
CREATE TABLE "disclosure_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"message_id" uuid,
	"file_name_sealed" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disclosure_canned_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"locale" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disclosure_inbound_mail" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"message_id" text,
	"raw_sealed" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"report_id" uuid,
	"error" text,
	CONSTRAINT "disclosure_inbound_mail_message" UNIQUE("source","message_id"),
	CONSTRAINT "disclosure_inbound_mail_source_check" CHECK ("disclosure_inbound_mail"."source" in ('smtp','imap'))
);
--> statement-breakpoint
CREATE TABLE "disclosure_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"author_user_id" uuid,
	"body_sealed" text NOT NULL,
	"email_message_id" text,
	"is_first_response" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_messages_kind_check" CHECK ("disclosure_messages"."kind" in ('researcher','team','note','system'))
);
--> statement-breakpoint
CREATE TABLE "disclosure_pgp_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fingerprint" text NOT NULL,
	"public_key" text NOT NULL,
	"private_key_sealed" text NOT NULL,
	"user_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"expires_at" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_pgp_keys_fingerprint_unique" UNIQUE("fingerprint")
);
--> statement-breakpoint
CREATE TABLE "disclosure_program_draft" (
	"id" integer PRIMARY KEY NOT NULL,
	"source" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "disclosure_program_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"source" jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" uuid
);
--> statement-breakpoint
CREATE TABLE "disclosure_report_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"type" text NOT NULL,
	"actor_user_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disclosure_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" serial NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"sub_status" text,
	"channel" text NOT NULL,
	"source_ref" text,
	"source_url" text,
	"policy_version" integer NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"asset" text,
	"category" text,
	"out_of_scope" boolean DEFAULT false NOT NULL,
	"content_sealed" text NOT NULL,
	"reporter_sealed" text,
	"reporter_email_hash" text,
	"credit_preference" text DEFAULT 'anonymous' NOT NULL,
	"cvss_vector" text,
	"cvss_score" text,
	"severity" text,
	"cwe_id" text,
	"assignee_id" uuid,
	"issue_url" text,
	"duplicate_of" uuid,
	"duplicate_candidates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"follow_token_hash" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"response_due_at" timestamp with time zone NOT NULL,
	"first_response_at" timestamp with time zone,
	"expected_resolution_on" text,
	"triaged_at" timestamp with time zone,
	"fix_due_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"disclosure_due_at" timestamp with time zone,
	"disclosed_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_reports_number_unique" UNIQUE("number"),
	CONSTRAINT "disclosure_reports_follow_token_hash_unique" UNIQUE("follow_token_hash"),
	CONSTRAINT "disclosure_reports_source" UNIQUE("channel","source_ref"),
	CONSTRAINT "disclosure_reports_status_check" CHECK ("disclosure_reports"."status" in ('new','triaged','accepted','fixing','resolved','disclosed','duplicate','out_of_scope','informative','not_applicable','spam','wont_fix')),
	CONSTRAINT "disclosure_reports_sub_status_check" CHECK ("disclosure_reports"."sub_status" is null or "disclosure_reports"."sub_status" in ('needs_more_info','retest'))
);
--> statement-breakpoint
CREATE TABLE "disclosure_researcher_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email_hash" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_researcher_links_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "disclosure_sla_notices" (
	"report_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_sla_notices_once" UNIQUE("report_id","kind")
);
--> statement-breakpoint
ALTER TABLE "disclosure_attachments" ADD CONSTRAINT "disclosure_attachments_report_id_disclosure_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."disclosure_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_messages" ADD CONSTRAINT "disclosure_messages_report_id_disclosure_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."disclosure_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_report_events" ADD CONSTRAINT "disclosure_report_events_report_id_disclosure_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."disclosure_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_sla_notices" ADD CONSTRAINT "disclosure_sla_notices_report_id_disclosure_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."disclosure_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disclosure_attachments_report_idx" ON "disclosure_attachments" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "disclosure_messages_report_idx" ON "disclosure_messages" USING btree ("report_id","created_at");--> statement-breakpoint
CREATE INDEX "disclosure_messages_email_idx" ON "disclosure_messages" USING btree ("email_message_id");--> statement-breakpoint
CREATE INDEX "disclosure_report_events_report_idx" ON "disclosure_report_events" USING btree ("report_id","occurred_at");--> statement-breakpoint
CREATE INDEX "disclosure_reports_status_idx" ON "disclosure_reports" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "disclosure_reports_asset_idx" ON "disclosure_reports" USING btree ("asset");--> statement-breakpoint
CREATE INDEX "disclosure_reports_email_idx" ON "disclosure_reports" USING btree ("reporter_email_hash");