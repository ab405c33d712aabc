CREATE TABLE "compliance_catalog_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_catalog_upgrades" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"from_version" text,
	"to_version" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_control_status_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"control_id" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cause" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_controls" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text DEFAULT 'catalog' NOT NULL,
	"family" text NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"evidence" jsonb NOT NULL,
	"retired_at" timestamp with time zone,
	"owner_id" uuid,
	"applicable" boolean DEFAULT true NOT NULL,
	"not_applicable_reason" text,
	"implementation_notes" text,
	"status" text DEFAULT 'not_started' NOT NULL,
	"status_since" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compliance_controls_status" CHECK ("compliance_controls"."status" in ('passing','failing','stale','not_started','not_applicable')),
	CONSTRAINT "compliance_controls_na_reason" CHECK ("compliance_controls"."applicable" or "compliance_controls"."not_applicable_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "compliance_evidence" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"control_id" text NOT NULL,
	"requirement_index" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"url" text,
	"note" text,
	"content_sha256" text NOT NULL,
	"outcome" text NOT NULL,
	"covered_from" text NOT NULL,
	"covered_to" text NOT NULL,
	"collected_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"added_at" text NOT NULL,
	"added_by_type" text NOT NULL,
	"added_by_id" text,
	"added_by_label" text,
	"supersedes" uuid,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "compliance_evidence_id_unique" UNIQUE("id"),
	CONSTRAINT "compliance_evidence_kind" CHECK ("compliance_evidence"."kind" in ('link','note')),
	CONSTRAINT "compliance_evidence_outcome" CHECK ("compliance_evidence"."outcome" in ('satisfies','fails'))
);
--> statement-breakpoint
CREATE TABLE "compliance_evidence_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_frameworks" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text DEFAULT 'catalog' NOT NULL,
	"version" text NOT NULL,
	"publisher" text NOT NULL,
	"name" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"retired_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_mappings" (
	"control_id" text NOT NULL,
	"framework_id" text NOT NULL,
	"requirement_id" text NOT NULL,
	"source" text DEFAULT 'catalog' NOT NULL,
	"relation" text NOT NULL,
	"rationale" text NOT NULL,
	CONSTRAINT "compliance_mappings_control_id_framework_id_requirement_id_pk" PRIMARY KEY("control_id","framework_id","requirement_id")
);
--> statement-breakpoint
CREATE TABLE "compliance_requirements" (
	"framework_id" text NOT NULL,
	"id" text NOT NULL,
	"source" text DEFAULT 'catalog' NOT NULL,
	"group_id" text NOT NULL,
	"position" integer NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "compliance_requirements_framework_id_id_pk" PRIMARY KEY("framework_id","id")
);
--> statement-breakpoint
ALTER TABLE "compliance_mappings" ADD CONSTRAINT "compliance_mappings_control_id_compliance_controls_id_fk" FOREIGN KEY ("control_id") REFERENCES "public"."compliance_controls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_requirements" ADD CONSTRAINT "compliance_requirements_framework_id_compliance_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."compliance_frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "compliance_status_history_control_idx" ON "compliance_control_status_history" USING btree ("control_id","changed_at");--> statement-breakpoint
CREATE INDEX "compliance_controls_status_idx" ON "compliance_controls" USING btree ("status");--> statement-breakpoint
CREATE INDEX "compliance_evidence_control_idx" ON "compliance_evidence" USING btree ("control_id","requirement_index");--> statement-breakpoint
CREATE INDEX "compliance_mappings_requirement_idx" ON "compliance_mappings" USING btree ("framework_id","requirement_id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION compliance_evidence_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'compliance_evidence is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER compliance_evidence_no_update BEFORE UPDATE OR DELETE ON compliance_evidence FOR EACH ROW EXECUTE FUNCTION compliance_evidence_refuse_change();
--> statement-breakpoint
CREATE TRIGGER compliance_evidence_no_truncate BEFORE TRUNCATE ON compliance_evidence FOR EACH STATEMENT EXECUTE FUNCTION compliance_evidence_refuse_change();
