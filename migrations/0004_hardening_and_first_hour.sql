CREATE TABLE "mail_quotas" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"attempts" integer NOT NULL,
	CONSTRAINT "mail_quotas_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
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
ALTER TABLE "disclosure_reports" ADD COLUMN "sender_verified" boolean;--> statement-breakpoint
ALTER TABLE "disclosure_reports" ADD COLUMN "severity_proposed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "disclosure_reports" ADD COLUMN "reply_after_close_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "minted_by_system" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "disclosure_advisory_revisions" ADD CONSTRAINT "disclosure_advisory_revisions_advisory_id_disclosure_advisories_id_fk" FOREIGN KEY ("advisory_id") REFERENCES "public"."disclosure_advisories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_quotas_window_idx" ON "mail_quotas" USING btree ("window_start");
--> statement-breakpoint
-- Hand-written backfill (issue 7 item 2): tokens without a creator were minted by `attest token create`
-- (or by another token, which then recorded no creator); keep them working as Attest's own tokens.
UPDATE "api_tokens" SET "minted_by_system" = true WHERE "created_by" IS NULL;

--> statement-breakpoint
-- Hand-written (issue 7, item 16; branch vdpmail). Keep as a separate block when renumbering.
-- Sign-in lockout counters were keyed by the plain SHA-256 of `login:<address>`, which anyone with the
-- database can recompute for a guessed address. They are now keyed hashes (core/crypto emailHash) that
-- SQL cannot compute, so the old rows are removed: they only hold counters of recent failed sign-ins,
-- and a lockout in progress at the upgrade simply starts over. (Reporter hashes in disclosure_reports
-- need the sealed address to be rehashed; the application does that at start, see
-- src/disclosure/reporter-hashes.ts.)
DELETE FROM "login_throttle" WHERE "key" !~ '^h1\.';
