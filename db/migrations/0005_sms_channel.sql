CREATE TYPE "public"."viewing_notice_kind" AS ENUM('confirmation', 'reminder');--> statement-breakpoint
ALTER TYPE "public"."whatsapp_provider" ADD VALUE 'sms';--> statement-breakpoint
CREATE TABLE "sms_opt_outs" (
	"business_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"keyword" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_opt_outs_business_id_phone_pk" PRIMARY KEY("business_id","phone")
);
--> statement-breakpoint
CREATE TABLE "viewing_notices" (
	"appointment_id" uuid NOT NULL,
	"kind" "viewing_notice_kind" NOT NULL,
	"business_id" uuid NOT NULL,
	"message_id" uuid,
	"outcome" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "viewing_notices_appointment_id_kind_pk" PRIMARY KEY("appointment_id","kind")
);
--> statement-breakpoint
ALTER TABLE "sms_opt_outs" ADD CONSTRAINT "sms_opt_outs_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "viewing_notices" ADD CONSTRAINT "viewing_notices_appointment_id_appointment_requests_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointment_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "viewing_notices" ADD CONSTRAINT "viewing_notices_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "viewing_notices" ADD CONSTRAINT "viewing_notices_message_id_whatsapp_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."whatsapp_messages"("id") ON DELETE set null ON UPDATE no action;