ALTER TABLE "customers" ADD COLUMN "search_doc" text GENERATED ALWAYS AS (kesher_customer_doc("full_name", "notes", "email", "tags")) STORED;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "phone_digits" text GENERATED ALWAYS AS (regexp_replace(coalesce("phone", ''), '\D', '', 'g')) STORED;--> statement-breakpoint
ALTER TABLE "call_logs" ADD COLUMN "summary_norm" text GENERATED ALWAYS AS (kesher_norm("summary")) STORED;--> statement-breakpoint
ALTER TABLE "call_logs" ADD COLUMN "from_digits" text GENERATED ALWAYS AS (regexp_replace(coalesce("from_number", ''), '\D', '', 'g')) STORED;--> statement-breakpoint
ALTER TABLE "conversation_turns" ADD COLUMN "text_norm" text GENERATED ALWAYS AS (kesher_norm("text")) STORED;--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN "search_doc" text GENERATED ALWAYS AS (kesher_property_doc("title", "city", "neighborhood", "street", "description")) STORED;--> statement-breakpoint
CREATE INDEX "customers_search_doc_trgm_idx" ON "customers" USING gin ("search_doc" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_phone_digits_trgm_idx" ON "customers" USING gin ("phone_digits" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "call_logs_summary_norm_trgm_idx" ON "call_logs" USING gin ("summary_norm" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "call_logs_from_digits_trgm_idx" ON "call_logs" USING gin ("from_digits" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "conversation_turns_text_norm_trgm_idx" ON "conversation_turns" USING gin ("text_norm" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "properties_search_doc_trgm_idx" ON "properties" USING gin ("search_doc" gin_trgm_ops);