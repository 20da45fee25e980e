/** Properties (listings) of a business: list, create, update, archive. */
import { and, asc, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { properties } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import { normMatches, pickMatchMode, textMatches } from "../search/hebrew-text";
import type { TScope } from "../../../core/domain/scope";
import { phoneOrThrow } from "../customers/customer-input";
import { findProperty, toPropertyDto, type TPropertyDto, type TPropertyFields, type TPropertyRow } from "./property-dto";

export interface TPropertyFilters {
  dealType?: TPropertyRow["dealType"];
  propertyType?: TPropertyRow["propertyType"];
  city?: string;
  status?: TPropertyRow["status"];
  search?: string;
  /** Price up to (whole shekels; monthly rent for rentals). */
  priceMax?: number;
  roomsMin?: number;
  sort?: TPropertySort;
  limit?: number;
}

/** Server sort keys of the listings table ("status": available first, then newest, as before). */
export const PROPERTY_SORTS = ["status", "newest", "oldest", "price", "price_desc", "title", "title_desc", "updated", "updated_asc"] as const;
export type TPropertySort = (typeof PROPERTY_SORTS)[number];

const ORDER: Record<TPropertySort, SQL[]> = {
  status: [asc(properties.status), desc(properties.createdAt)],
  newest: [desc(properties.createdAt)],
  oldest: [asc(properties.createdAt)],
  price: [asc(properties.price), desc(properties.createdAt)],
  price_desc: [desc(properties.price), desc(properties.createdAt)],
  title: [asc(properties.title), desc(properties.createdAt)],
  title_desc: [desc(properties.title), desc(properties.createdAt)],
  updated: [desc(properties.updatedAt)],
  updated_asc: [asc(properties.updatedAt)],
};

export async function listProperties(db: TDb, scope: TScope, f: TPropertyFilters): Promise<TPropertyDto[]> {
  const where: SQL[] = [eq(properties.businessId, scope.businessId)];
  if (f.dealType) where.push(eq(properties.dealType, f.dealType));
  if (f.propertyType) where.push(eq(properties.propertyType, f.propertyType));
  if (f.status) where.push(eq(properties.status, f.status));
  if (f.city?.trim()) where.push(textMatches(properties.city, f.city));
  if (f.priceMax !== undefined) where.push(lte(properties.price, f.priceMax));
  if (f.roomsMin !== undefined) where.push(gte(properties.rooms, f.roomsMin));
  const q = f.search?.trim();
  if (q) {
    const doc = sql`${properties.searchDoc}`;
    const mode = await pickMatchMode(q, async () => (await db.select({ id: properties.id }).from(properties).where(and(...where, normMatches(doc, q, "exact"))).limit(1)).length > 0);
    where.push(normMatches(doc, q, mode));
  }
  const rows = await db
    .select()
    .from(properties)
    .where(and(...where))
    .orderBy(...ORDER[f.sort ?? "status"], asc(properties.id))
    .limit(f.limit ?? 500);
  return rows.map(toPropertyDto);
}

export async function getProperty(db: TDb, scope: TScope, id: string): Promise<TPropertyDto> {
  return toPropertyDto(await findProperty(db, scope.businessId, id));
}

export async function createProperty(db: TDb, scope: TScope, input: TPropertyFields): Promise<TPropertyDto> {
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(properties)
      .values({
        businessId: scope.businessId,
        title: input.title,
        description: input.description ?? null,
        dealType: input.dealType,
        propertyType: input.propertyType,
        city: input.city,
        neighborhood: input.neighborhood ?? null,
        street: input.street ?? null,
        rooms: input.rooms ?? null,
        sizeSqm: input.sizeSqm ?? null,
        floor: input.floor ?? null,
        totalFloors: input.totalFloors ?? null,
        price: input.price,
        features: input.features ?? [],
        status: input.status ?? "available",
        ownerName: input.ownerName || null,
        ownerPhone: phoneOrThrow(input.ownerPhone),
        ownerNotes: input.ownerNotes || null,
      })
      .returning();
    if (!created) throw new AppError("INTERNAL", "insert returned nothing");
    await writeAudit(tx, scope, { action: "properties.create", entityType: "property", entityId: created.id, after: created });
    return created;
  });
  return toPropertyDto(row);
}

export async function updateProperty(db: TDb, scope: TScope, id: string, patch: Partial<TPropertyFields>): Promise<TPropertyDto> {
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<typeof properties.$inferInsert>;
  if (patch.ownerPhone !== undefined) set.ownerPhone = phoneOrThrow(patch.ownerPhone);
  if (set.ownerName === "") set.ownerName = null;
  if (set.ownerNotes === "") set.ownerNotes = null;
  const row = await db.transaction(async (tx) => {
    const before = await findProperty(tx, scope.businessId, id);
    if (Object.keys(set).length === 0) return before;
    const [after] = await tx
      .update(properties)
      .set(set)
      .where(and(eq(properties.id, id), eq(properties.businessId, scope.businessId)))
      .returning();
    if (!after) throw new AppError("NOT_FOUND", "property vanished", { userMessage: "הנכס לא נמצא" });
    const action = set.status === "inactive" && Object.keys(set).length === 1 ? "properties.archive" : "properties.update";
    await writeAudit(tx, scope, { action, entityType: "property", entityId: id, before, after });
    return after;
  });
  return toPropertyDto(row);
}

/** Take a listing off the market (status "inactive"); kept for history and contracts. */
export function archiveProperty(db: TDb, scope: TScope, id: string): Promise<TPropertyDto> {
  return updateProperty(db, scope, id, { status: "inactive" });
}
