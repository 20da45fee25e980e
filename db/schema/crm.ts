/**
 * CRM side tables: notes as separate timeline entries, saved table views per
 * user, and the search lexicon that turns a typo into the word it meant.
 */
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { customers } from "./customers";
import { users } from "./users";

/** A note on a customer: one entry per note, with who wrote it and when (the timeline shows them in order). */
export const customerNotes = pgTable(
  "customer_notes",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    authorUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("customer_notes_customer_idx").on(t.businessId, t.customerId, t.createdAt)],
);

/** What a saved table view holds: filters, sort, visible columns (the dashboard's table state). */
export interface TSavedViewState {
  filters: Record<string, string | number | boolean | null>;
  sort?: { id: string; desc: boolean } | null;
  columns?: string[];
}

/** A named view of a table (a segment such as "buyers in Tel Aviv up to 3M"), private to its user. */
export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Which table: customers, calls, properties, viewings, tasks. */
    page: text().notNull(),
    name: text().notNull(),
    state: jsonb().$type<TSavedViewState>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("saved_views_user_idx").on(t.userId, t.page)],
);

/**
 * Every normalised word (3+ letters) that appears in the business's searchable
 * text, kept by statement-level triggers (migration 0009). A query word with
 * no exact hit is corrected to its nearest lexicon words (trigram similarity
 * over this small table, indexed) and then searched exactly, instead of a
 * fuzzy scan of a million transcript lines.
 */
export const searchTerms = pgTable(
  "search_terms",
  {
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    term: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.term] }), index("search_terms_term_trgm_idx").using("gin", t.term.op("gin_trgm_ops"))],
);
