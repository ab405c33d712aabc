CREATE TABLE "disclosure_advisory_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"advisory_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"summary" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"csaf" text NOT NULL,
	"csaf_signature" text,
	"signing_key_fingerprint" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_advisory_revisions_number" UNIQUE("advisory_id","number")
);
--> statement-breakpoint
ALTER TABLE "disclosure_advisory_revisions" ADD CONSTRAINT "disclosure_advisory_revisions_advisory_id_disclosure_advisories_id_fk" FOREIGN KEY ("advisory_id") REFERENCES "public"."disclosure_advisories"("id") ON DELETE restrict ON UPDATE no action;