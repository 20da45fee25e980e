ALTER TYPE "public"."invoice_status" ADD VALUE 'credited';--> statement-breakpoint
ALTER TYPE "public"."invoice_status" ADD VALUE 'partially_credited';--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "customer_id_kind" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "customer_address" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "customer_phone" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "for_invoice_id" uuid;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "payment_link_id" uuid;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "note" text;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_payment_link_uq" ON "invoices" USING btree ("payment_link_id") WHERE "invoices"."payment_link_id" is not null;