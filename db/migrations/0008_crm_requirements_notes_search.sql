CREATE TABLE "customer_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"author_user_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"page" text NOT NULL,
	"name" text NOT NULL,
	"state" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"business_id" uuid NOT NULL,
	"term" text NOT NULL,
	CONSTRAINT "search_terms_business_id_term_pk" PRIMARY KEY("business_id","term")
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "req_deal_type" text GENERATED ALWAYS AS (kesher_req_text("requirements", 'dealType')) STORED;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "req_property_type" text GENERATED ALWAYS AS (kesher_req_text("requirements", 'propertyType')) STORED;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "req_budget_max" numeric GENERATED ALWAYS AS (kesher_req_num("requirements", 'budgetMax')) STORED;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "req_rooms_min" numeric GENERATED ALWAYS AS (kesher_req_num("requirements", 'roomsMin')) STORED;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "req_rooms_max" numeric GENERATED ALWAYS AS (kesher_req_num("requirements", 'roomsMax')) STORED;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "req_city_words" text[] GENERATED ALWAYS AS (kesher_req_words("requirements"->'cities')) STORED;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "req_places" text GENERATED ALWAYS AS (kesher_req_places("requirements")) STORED;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "is_test" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "call_logs" ADD COLUMN "is_test" boolean GENERATED ALWAYS AS (("direction" = 'test')) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ADD COLUMN "body_norm" text GENERATED ALWAYS AS (kesher_norm("body")) STORED;--> statement-breakpoint
ALTER TABLE "customer_notes" ADD CONSTRAINT "customer_notes_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_notes" ADD CONSTRAINT "customer_notes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_notes" ADD CONSTRAINT "customer_notes_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_terms" ADD CONSTRAINT "search_terms_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_notes_customer_idx" ON "customer_notes" USING btree ("business_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "saved_views_user_idx" ON "saved_views" USING btree ("user_id","page");--> statement-breakpoint
CREATE INDEX "search_terms_term_trgm_idx" ON "search_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_req_match_idx" ON "customers" USING btree ("business_id","req_deal_type","req_property_type");--> statement-breakpoint
CREATE INDEX "customers_req_city_words_idx" ON "customers" USING gin ("req_city_words");--> statement-breakpoint
CREATE INDEX "customers_req_places_trgm_idx" ON "customers" USING gin ("req_places" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "whatsapp_messages_body_norm_trgm_idx" ON "whatsapp_messages" USING gin ("body_norm" gin_trgm_ops);