import { sql } from "drizzle-orm";
import { index, integer, numeric, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    /** The owner (sale) or landlord (rent): who the agent calls about the listing. Phone in E.164. */
    ownerName: text(),
    ownerPhone: text(),
    ownerNotes: text(),
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

/**
 * Photos of a listing. The bytes live in a photo store (DATA_DIR/photos or an
 * S3-compatible bucket) under `storageKey`; the row keeps order (position 0 =
 * cover) and the business, so every read is tenant-scoped in SQL.
 */
export const propertyPhotos = pgTable(
  "property_photos",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    propertyId: uuid()
      .notNull()
      .references(() => properties.id, { onDelete: "cascade" }),
    /** 0 = the cover; the rest in display order. */
    position: integer().notNull().default(0),
    /** Store key prefix: <business>/<property>/<photo id>; ".webp" (full) and ".thumb.webp" are appended. */
    storageKey: text().notNull(),
    contentType: text().notNull(),
    width: integer().notNull(),
    height: integer().notNull(),
    bytes: integer().notNull(),
    originalName: text(),
    ...timestamps,
  },
  (t) => [
    index("property_photos_property_idx").on(t.businessId, t.propertyId, t.position),
    uniqueIndex("property_photos_key_idx").on(t.storageKey),
  ],
);
