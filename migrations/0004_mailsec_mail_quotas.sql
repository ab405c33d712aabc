CREATE TABLE "mail_quotas" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"attempts" integer NOT NULL,
	CONSTRAINT "mail_quotas_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE INDEX "mail_quotas_window_idx" ON "mail_quotas" USING btree ("window_start");