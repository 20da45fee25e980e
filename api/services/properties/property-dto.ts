import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { properties } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TDbOrTx } from "../../../core/domain/write-audit";

export const PROPERTY_TYPES = ["apartment", "office", "penthouse", "garden_apartment", "duplex", "studio", "store"] as const;
export const PROPERTY_STATUSES = ["available", "under_offer", "sold", "rented", "inactive"] as const;
export const ZDealType = z.enum(["sale", "rent"]);
export const ZPropertyType = z.enum(PROPERTY_TYPES);
export const ZPropertyStatus = z.enum(PROPERTY_STATUSES);

export const ZProperty = z.object({
  id: z.string(),
  businessId: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  dealType: ZDealType,
  propertyType: ZPropertyType,
  city: z.string(),
  neighborhood: z.string().nullable(),
  street: z.string().nullable(),
  rooms: z.number().nullable(),
  sizeSqm: z.number().nullable(),
  floor: z.number().nullable(),
  totalFloors: z.number().nullable(),
  price: z.number(),
  features: z.array(z.string()),
  status: ZPropertyStatus,
  ownerName: z.string().nullable(),
  /** E.164. */
  ownerPhone: z.string().nullable(),
  ownerNotes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TPropertyDto = z.infer<typeof ZProperty>;
export type TPropertyRow = typeof properties.$inferSelect;

export const ZPropertyFields = z.object({
  title: z.string().trim().min(1, "יש להזין כותרת").max(200),
  description: z.string().max(5000).nullable().optional(),
  dealType: ZDealType,
  propertyType: ZPropertyType,
  city: z.string().trim().min(1, "יש להזין עיר").max(80),
  neighborhood: z.string().trim().max(80).nullable().optional(),
  street: z.string().trim().max(120).nullable().optional(),
  rooms: z.number().min(0).max(50).multipleOf(0.5).nullable().optional(),
  sizeSqm: z.number().int().min(1).max(100_000).nullable().optional(),
  floor: z.number().int().min(-5).max(200).nullable().optional(),
  totalFloors: z.number().int().min(0).max(200).nullable().optional(),
  price: z.number().int().min(0, "מחיר לא תקין").max(2_000_000_000),
  features: z.array(z.string().trim().min(1).max(60)).max(40).optional(),
  status: ZPropertyStatus.optional(),
  ownerName: z.string().trim().max(120).nullable().optional(),
  /** Any Israeli or international format; stored as E.164 (a bad number is refused in Hebrew). */
  ownerPhone: z.string().trim().max(40).nullable().optional(),
  ownerNotes: z.string().trim().max(2000).nullable().optional(),
});
export type TPropertyFields = z.infer<typeof ZPropertyFields>;

export function toPropertyDto(p: TPropertyRow): TPropertyDto {
  return {
    id: p.id,
    businessId: p.businessId,
    title: p.title,
    description: p.description,
    dealType: p.dealType,
    propertyType: p.propertyType,
    city: p.city,
    neighborhood: p.neighborhood,
    street: p.street,
    rooms: p.rooms === null ? null : Number(p.rooms),
    sizeSqm: p.sizeSqm,
    floor: p.floor,
    totalFloors: p.totalFloors,
    price: p.price,
    features: p.features,
    status: p.status,
    ownerName: p.ownerName,
    ownerPhone: p.ownerPhone,
    ownerNotes: p.ownerNotes,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** A property of this business, or NOT_FOUND. */
export async function findProperty(db: TDbOrTx | TDb, businessId: string, id: string): Promise<TPropertyRow> {
  const [row] = await db
    .select()
    .from(properties)
    .where(and(eq(properties.id, id), eq(properties.businessId, businessId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "property not found", { userMessage: "הנכס לא נמצא" });
  return row;
}
