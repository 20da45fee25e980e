import { sql } from "drizzle-orm";
import { index, integer, numeric, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { dealType, propertyStatus, propertyType } from "./enums";
import { timestamps } from "./timestamps";

export const properties = pgTable(
  "properties",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    title: text().notNull(),
    description: text(),
    dealType: dealType().notNull(),
    propertyType: propertyType().notNull(),
    city: text().notNull(),
    neighborhood: text(),
    street: text(),
    rooms: numeric({ precision: 3, scale: 1, mode: "number" }),
    sizeSqm: integer(),
    floor: integer(),
    totalFloors: integer(),
    /** Whole shekels: sale price, or monthly rent. */
    price: integer().notNull(),
    features: text().array().notNull().default([]),
    status: propertyStatus().notNull().default("available"),
    /** Hebrew search document (title, city, neighborhood, street, description via kesher_property_doc, migration 0002). */
    searchDoc: text().generatedAlwaysAs(sql`kesher_property_doc("title", "city", "neighborhood", "street", "description")`),
    ...timestamps,
  },
  (t) => [
    index("properties_business_idx").on(t.businessId, t.status),
    index("properties_search_idx").on(t.businessId, t.dealType, t.propertyType, t.city),
    index("properties_title_trgm_idx").using("gin", t.title.op("gin_trgm_ops")),
    index("properties_search_doc_trgm_idx").using("gin", t.searchDoc.op("gin_trgm_ops")),
  ],
);
