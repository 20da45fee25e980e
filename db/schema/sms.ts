import { pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { whatsappMessages } from "./messaging";
import { appointmentRequests } from "./work";

/** Phones that replied STOP (or a carrier opt-out) to a business's SMS; nothing more is sent to them by SMS. */
export const smsOptOuts = pgTable(
  "sms_opt_outs",
  {
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    /** E.164. */
    phone: text().notNull(),
    /** The word the customer sent (STOP, UNSUBSCRIBE, הסר…). */
    keyword: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.phone] })],
);

export const viewingNoticeKind = pgEnum("viewing_notice_kind", ["confirmation", "reminder"]);

/**
 * One row per (viewing, kind): claimed before the message is sent, so a
 * confirmation or a day-before reminder goes out exactly once even when two
 * ticks (or two processes) race.
 */
export const viewingNotices = pgTable(
  "viewing_notices",
  {
    appointmentId: uuid()
      .notNull()
      .references(() => appointmentRequests.id, { onDelete: "cascade" }),
    kind: viewingNoticeKind().notNull(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    messageId: uuid().references(() => whatsappMessages.id, { onDelete: "set null" }),
    /** "whatsapp" | "sms" | "skipped" (no phone, opted out). */
    outcome: text(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.appointmentId, t.kind] })],
);
