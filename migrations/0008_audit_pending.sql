CREATE TABLE "audit_pending" (
	"pending_id" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_label" text,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"ip" text,
	"user_agent" text,
	"details" jsonb NOT NULL,
	CONSTRAINT "audit_pending_id_unique" UNIQUE("id")
);
--> statement-breakpoint
-- Recorded entries wait here to be chained: nobody may rewrite one; only the chainer removes them, in
-- the same transaction that appends them to audit_log (a removal by anyone else shows as a gap in
-- neither, so `attest audit verify` reports how many wait and the chainer runs every few hundred ms).
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_pending_no_truncate BEFORE TRUNCATE ON audit_pending FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
