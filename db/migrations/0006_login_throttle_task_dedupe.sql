CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"window_start_ms" bigint NOT NULL,
	"blocked_until_ms" bigint,
	"strikes" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
CREATE INDEX "login_throttle_window_idx" ON "login_throttle" USING btree ("window_start_ms");--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_dedupe_key_uq" ON "tasks" USING btree ("business_id","dedupe_key");