import { boolean, index, integer, jsonb, numeric, pgTable, real, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { businesses } from "./businesses";
import { users } from "./users";
import { customerSource, customerStatus } from "./enums";
import { timestamps } from "./timestamps";
import type { TRequirements } from "./requirements";

export const customers = pgTable(
  "customers",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    fullName: text(),
    /** E.164, e.g. +972541234567. */
    phone: text(),
    email: text(),
    status: customerStatus().notNull().default("new"),
    source: customerSource().notNull().default("manual"),
    tags: text().array().notNull().default([]),
    requirements: jsonb().$type<TRequirements>().notNull().default({}),
    notes: text(),
    assignedUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    leadScore: integer(),
    sentiment: text(),
    sentimentScore: real(),
    /** WhatsApp: staff took over the thread, the AI stays quiet. */
    aiPaused: boolean().notNull().default(false),
    /** Hebrew search document (name, notes, email, tags normalised by kesher_norm, migration 0002); computed by the database. */
    searchDoc: text().generatedAlwaysAs(sql`kesher_customer_doc("full_name", "notes", "email", "tags")`),
    /** Digits of the phone, for "054-123…" style searches; computed by the database. */
    phoneDigits: text().generatedAlwaysAs(sql`regexp_replace(coalesce("phone", ''), '\\D', '', 'g')`),
    // Requirements as typed columns, computed by the database from `requirements` (functions in migration 0007),
    // so matching and "customers who want Ramat Gan" use indexes instead of scanning JSON.
    reqDealType: text().generatedAlwaysAs(sql`kesher_req_text("requirements", 'dealType')`),
    reqPropertyType: text().generatedAlwaysAs(sql`kesher_req_text("requirements", 'propertyType')`),
    reqBudgetMax: numeric({ mode: "number" }).generatedAlwaysAs(sql`kesher_req_num("requirements", 'budgetMax')`),
    reqRoomsMin: numeric({ mode: "number" }).generatedAlwaysAs(sql`kesher_req_num("requirements", 'roomsMin')`),
    reqRoomsMax: numeric({ mode: "number" }).generatedAlwaysAs(sql`kesher_req_num("requirements", 'roomsMax')`),
    /** Words of the wanted cities, normalised (kesher_norm); empty = any city. */
    reqCityWords: text().array().generatedAlwaysAs(sql`kesher_req_words("requirements"->'cities')`),
    /** Wanted cities and neighbourhoods as one normalised text, trigram-indexed ("רמת גן" finds who wants Ramat Gan). */
    reqPlaces: text().generatedAlwaysAs(sql`kesher_req_places("requirements")`),
    /** A test-call lead ("שיחת ניסיון"): hidden from lists, pickers and analytics unless asked for. */
    isTest: boolean().notNull().default(false),
    ...timestamps,
  },
  (t) => [
    index("customers_business_idx").on(t.businessId, t.createdAt),
    // Keyset pages order by (created_at, id): without id in the index every page sorts the whole business.
    index("customers_business_created_id_idx").on(t.businessId, t.createdAt, t.id),
    uniqueIndex("customers_business_phone_uq").on(t.businessId, t.phone).where(sql`${t.phone} is not null`),
    index("customers_status_idx").on(t.businessId, t.status),
    // "לקוחות שלי" and the agent filter: one agent's customers without scanning the business.
    // Partial (test leads are hidden by default), so counting one agent's customers reads the index only.
    index("customers_assigned_idx").on(t.businessId, t.assignedUserId, t.createdAt).where(sql`${t.isTest} = false`),
    index("customers_name_trgm_idx").using("gin", t.fullName.op("gin_trgm_ops")),
    index("customers_notes_trgm_idx").using("gin", t.notes.op("gin_trgm_ops")),
    index("customers_search_doc_trgm_idx").using("gin", t.searchDoc.op("gin_trgm_ops")),
    index("customers_phone_digits_trgm_idx").using("gin", t.phoneDigits.op("gin_trgm_ops")),
    index("customers_req_match_idx").on(t.businessId, t.reqDealType, t.reqPropertyType),
    index("customers_req_city_words_idx").using("gin", t.reqCityWords),
    index("customers_req_places_trgm_idx").using("gin", t.reqPlaces.op("gin_trgm_ops")),
  ],
);
