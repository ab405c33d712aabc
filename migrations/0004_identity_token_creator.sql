ALTER TABLE "api_tokens" ADD COLUMN "minted_by_system" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Hand-written backfill (issue 7 item 2): tokens without a creator were minted by `attest token create`
-- (or by another token, which then recorded no creator); keep them working as Attest's own tokens.
UPDATE "api_tokens" SET "minted_by_system" = true WHERE "created_by" IS NULL;
