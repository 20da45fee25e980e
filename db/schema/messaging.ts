import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { customers } from "./customers";
import { users } from "./users";
import { messageAuthor, messageDirection, messageStatus, whatsappProvider } from "./enums";
import { timestamps } from "./timestamps";

export const whatsappMessages = pgTable(
  "whatsapp_messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    provider: whatsappProvider().notNull(),
    /** Baileys key id or Twilio MessageSid; unique per business+provider so redeliveries are ignored. */
    providerMessageId: text(),
    direction: messageDirection().notNull(),
    author: messageAuthor().notNull(),
    authorUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    fromNumber: text().notNull(),
    toNumber: text().notNull(),
    body: text(),
    /** Normalised body for Hebrew search (kesher_norm); computed by the database, trigram-indexed. */
    bodyNorm: text().generatedAlwaysAs(sql`kesher_norm("body")`),
    mediaType: text(),
    mediaUrl: text(),
    status: messageStatus().notNull(),
    error: text(),
    raw: jsonb(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("whatsapp_messages_provider_id_uq").on(t.businessId, t.provider, t.providerMessageId),
    index("whatsapp_messages_thread_idx").on(t.businessId, t.customerId, t.sentAt),
    index("whatsapp_messages_body_norm_trgm_idx").using("gin", t.bodyNorm.op("gin_trgm_ops")),
  ],
);

/** Baileys auth state (creds and every signal key type), one row per key, never on disk. */
export const whatsappAuth = pgTable(
  "whatsapp_auth",
  {
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    keyType: text().notNull(),
    keyId: text().notNull(),
    value: jsonb().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.keyType, t.keyId] })],
);
