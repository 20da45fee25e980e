import { jsonb, pgTable, text, uuid, boolean } from "drizzle-orm/pg-core";
import { timestamps } from "./timestamps";

/** Per-business AI and telephony settings. Every field is optional; defaults live in code. */
export interface TBusinessSettings {
  systemPrompt?: string;
  greetingText?: string;
  voice?: string;
  voiceEngine?: "pipeline" | "realtime";
  /** "stream" (AI conversation) or "record" (Direct Record mode: record, transcribe, call back). */
  callMode?: "stream" | "record";
  /** Opening hours per weekday (0 = Sunday), "HH:MM" in the business timezone. */
  businessHours?: Partial<Record<"0" | "1" | "2" | "3" | "4" | "5" | "6", { open: string; close: string } | null>>;
  whatsappProvider?: "baileys" | "twilio";
  endpointingMs?: number;
}

export const businesses = pgTable("businesses", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  /** The Twilio number callers dial (E.164); routes an incoming call to its business. */
  phoneNumber: text().unique(),
  /** Human agent number for transfers (E.164). */
  agentPhone: text(),
  whatsappNumber: text(),
  timezone: text().notNull().default("Asia/Jerusalem"),
  settings: jsonb().$type<TBusinessSettings>().notNull().default({}),
  active: boolean().notNull().default(true),
  ...timestamps,
});
