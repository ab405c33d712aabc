CREATE TABLE "trust_access_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"visitor_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"document_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"level" text,
	"status" text NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_access_requests_status_check" CHECK ("trust_access_requests"."status" in ('unconfirmed','pending','approved','denied'))
);
--> statement-breakpoint
CREATE TABLE "trust_certifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"auditor" text,
	"obtained_on" date,
	"valid_until" date,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_certifications_status_check" CHECK ("trust_certifications"."status" in ('compliant','in_progress','planned'))
);
--> statement-breakpoint
CREATE TABLE "trust_document_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"locale" text,
	"version" integer NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_document_files_storage_key_unique" UNIQUE("storage_key")
);
--> statement-breakpoint
CREATE TABLE "trust_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"access_level" text NOT NULL,
	"valid_from" date,
	"valid_until" date,
	"position" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_documents_slug_unique" UNIQUE("slug"),
	CONSTRAINT "trust_documents_access_check" CHECK ("trust_documents"."access_level" in ('public','request','nda'))
);
--> statement-breakpoint
CREATE TABLE "trust_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"visitor_id" uuid,
	"company" text,
	"document_id" uuid,
	"download_id" uuid,
	"locale" text,
	"ip" text,
	"user_agent" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trust_faqs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"question" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"answer" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trust_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"visitor_id" uuid NOT NULL,
	"request_id" uuid,
	"document_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"level" text,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trust_nda_acceptances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"visitor_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"text_sha256" text NOT NULL,
	"full_name" text NOT NULL,
	"email" text NOT NULL,
	"company" text NOT NULL,
	"ip" text,
	"user_agent" text,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trust_nda_exemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"domain" text NOT NULL,
	"company" text NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_nda_exemptions_domain_unique" UNIQUE("domain")
);
--> statement-breakpoint
CREATE TABLE "trust_nda_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"locale" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"sha256" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_nda_templates_locale_version" UNIQUE("locale","version")
);
--> statement-breakpoint
CREATE TABLE "trust_profile" (
	"id" integer PRIMARY KEY NOT NULL,
	"company_name" text NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"logo_base64" text,
	"logo_type" text,
	"security_contact" text,
	"default_locale" text DEFAULT 'en' NOT NULL,
	"allow_domains" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deny_domains" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"grant_days" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trust_publications" (
	"version" serial PRIMARY KEY NOT NULL,
	"snapshot" jsonb NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trust_sections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"family_key" text,
	"title" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"body" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text,
	"last_verified_on" date,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_sections_kind_check" CHECK ("trust_sections"."kind" in ('narrative','how_compliant','out_of_compliance','control_family')),
	CONSTRAINT "trust_sections_status_check" CHECK ("trust_sections"."status" is null or "trust_sections"."status" in ('implemented','in_progress','planned'))
);
--> statement-breakpoint
CREATE TABLE "trust_subprocessors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"purpose" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"location" text NOT NULL,
	"website" text,
	"effective_on" date,
	"removed_on" date,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trust_subscribers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"locale" text NOT NULL,
	"topics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"confirm_token_hash" text,
	"unsubscribe_token_hash" text NOT NULL,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_subscribers_unsubscribe_token_hash_unique" UNIQUE("unsubscribe_token_hash"),
	CONSTRAINT "trust_subscribers_email_locale" UNIQUE("email","locale")
);
--> statement-breakpoint
CREATE TABLE "trust_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"body" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"published_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_updates_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "trust_visitor_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"visitor_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"request_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_visitor_tokens_purpose_check" CHECK ("trust_visitor_tokens"."purpose" in ('confirm','magic-link','access'))
);
--> statement-breakpoint
CREATE TABLE "trust_visitors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"company" text NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"email_verified_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trust_visitors_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "trust_access_requests" ADD CONSTRAINT "trust_access_requests_visitor_id_trust_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."trust_visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_document_files" ADD CONSTRAINT "trust_document_files_document_id_trust_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."trust_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_grants" ADD CONSTRAINT "trust_grants_visitor_id_trust_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."trust_visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_grants" ADD CONSTRAINT "trust_grants_request_id_trust_access_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."trust_access_requests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_nda_acceptances" ADD CONSTRAINT "trust_nda_acceptances_visitor_id_trust_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."trust_visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_nda_acceptances" ADD CONSTRAINT "trust_nda_acceptances_template_id_trust_nda_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."trust_nda_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_visitor_tokens" ADD CONSTRAINT "trust_visitor_tokens_visitor_id_trust_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."trust_visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trust_access_requests_status_idx" ON "trust_access_requests" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "trust_document_files_doc_idx" ON "trust_document_files" USING btree ("document_id","locale","version");--> statement-breakpoint
CREATE INDEX "trust_events_time_idx" ON "trust_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "trust_events_doc_idx" ON "trust_events" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "trust_grants_visitor_idx" ON "trust_grants" USING btree ("visitor_id");