ALTER TABLE "disclosure_reports" ADD COLUMN "sender_verified" boolean;--> statement-breakpoint
ALTER TABLE "disclosure_reports" ADD COLUMN "severity_proposed" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- Hand-written (issue 7, item 16; branch vdpmail). Keep as a separate block when renumbering.
-- Sign-in lockout counters were keyed by the plain SHA-256 of `login:<address>`, which anyone with the
-- database can recompute for a guessed address. They are now keyed hashes (core/crypto emailHash) that
-- SQL cannot compute, so the old rows are removed: they only hold counters of recent failed sign-ins,
-- and a lockout in progress at the upgrade simply starts over. (Reporter hashes in disclosure_reports
-- need the sealed address to be rehashed; the application does that at start, see
-- src/disclosure/reporter-hashes.ts.)
DELETE FROM "login_throttle" WHERE "key" !~ '^h1\.';
