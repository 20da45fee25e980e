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
  /** Who gets a new lead the AI creates (core/domain/assign-lead.ts). */
  leadAssignment?: TLeadAssignmentRules;
  /** Round-robin position (index into leadAssignment.agentIds), advanced atomically per assignment. */
  leadAssignmentCursor?: number;
}

/** Assignment rules for new leads from calls and WhatsApp (settings → "שיוך לידים"). */
export interface TLeadAssignmentRules {
  mode: "off" | "round_robin" | "by_area" | "by_deal_type";
  /** Round-robin pool, in order; also the fallback pool when no area / deal-type rule matches. */
  agentIds: string[];
  /** by_area: a wanted city or neighbourhood → agent. */
  areas: { place: string; userId: string }[];
  /** by_deal_type: buyers (sale) / renters (rent) → agent. */
  dealTypes: { sale?: string | null; rent?: string | null };
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
