import { pgEnum } from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["admin", "business"]);
export const customerStatus = pgEnum("customer_status", [
  "new",
  "contacted",
  "qualified",
  "viewing",
  "negotiation",
  "won",
  "lost",
]);
export const customerSource = pgEnum("customer_source", ["call", "whatsapp", "manual", "import", "sms"]);
export const callStatus = pgEnum("call_status", [
  "queued",
  "ringing",
  "in_progress",
  "completed",
  "busy",
  "failed",
  "no_answer",
  "canceled",
]);
export const callMode = pgEnum("call_mode", ["stream", "record"]);
export const speaker = pgEnum("speaker", ["caller", "assistant", "system", "tool", "staff"]);
export const dealType = pgEnum("deal_type", ["sale", "rent"]);
export const propertyType = pgEnum("property_type", ["apartment", "office", "penthouse", "garden_apartment", "duplex", "studio", "store"]);
export const propertyStatus = pgEnum("property_status", ["available", "under_offer", "sold", "rented", "inactive"]);
export const appointmentStatus = pgEnum("appointment_status", ["requested", "confirmed", "cancelled", "done", "no_show"]);
export const taskStatus = pgEnum("task_status", ["open", "done", "cancelled"]);
export const taskPriority = pgEnum("task_priority", ["low", "normal", "high"]);
export const messageDirection = pgEnum("message_direction", ["in", "out"]);
export const messageStatus = pgEnum("message_status", ["received", "queued", "sent", "delivered", "read", "failed"]);
export const messageAuthor = pgEnum("message_author", ["customer", "ai", "staff", "system"]);
/** The channel a customer message went through; "sms" = Twilio Programmable SMS (stored in whatsapp_messages so the inbox shows it). */
export const whatsappProvider = pgEnum("whatsapp_provider", ["baileys", "twilio", "sms"]);
export const contractStatus = pgEnum("contract_status", ["draft", "sent", "signed", "void"]);
export const invoiceType = pgEnum("invoice_type", ["tax_invoice", "receipt", "tax_invoice_receipt", "credit_note"]);
/** "cancelled" is legacy (fully credited before #13); new credit notes set "credited" / "partially_credited". */
export const invoiceStatus = pgEnum("invoice_status", ["issued", "paid", "partially_paid", "cancelled", "credited", "partially_credited"]);
export const paymentProvider = pgEnum("payment_provider", ["paypal", "tranzila"]);
export const paymentStatus = pgEnum("payment_status", ["created", "paid", "failed", "expired", "cancelled"]);
