/** Businesses (tenants): list/create for platform admins, get/update for their own staff. */
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { businesses, type TBusinessSettings } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import { isUniqueViolation, phoneOrThrow } from "../customers/customer-input";
import type { TScope } from "../../../core/domain/scope";

export const ZBusiness = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  phoneNumber: z.string().nullable(),
  agentPhone: z.string().nullable(),
  whatsappNumber: z.string().nullable(),
  timezone: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type TBusinessDto = z.infer<typeof ZBusiness>;
type TBusinessRow = typeof businesses.$inferSelect;

export function toBusinessDto(b: TBusinessRow): TBusinessDto {
  return {
    id: b.id,
    name: b.name,
    slug: b.slug,
    phoneNumber: b.phoneNumber,
    agentPhone: b.agentPhone,
    whatsappNumber: b.whatsappNumber,
    timezone: b.timezone,
    active: b.active,
    createdAt: b.createdAt.toISOString(),
  };
}

export interface TBusinessFields {
  name?: string;
  slug?: string;
  phoneNumber?: string | null;
  agentPhone?: string | null;
  whatsappNumber?: string | null;
  timezone?: string;
  active?: boolean;
}

const conflict = () => new AppError("CONFLICT", "business unique violation", { userMessage: "מספר הטלפון או המזהה כבר משויכים לעסק אחר" });

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function normalise(input: TBusinessFields): Partial<typeof businesses.$inferInsert> {
  const set: Partial<typeof businesses.$inferInsert> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.slug !== undefined) set.slug = input.slug;
  if (input.phoneNumber !== undefined) set.phoneNumber = phoneOrThrow(input.phoneNumber);
  if (input.agentPhone !== undefined) set.agentPhone = phoneOrThrow(input.agentPhone);
  if (input.whatsappNumber !== undefined) set.whatsappNumber = phoneOrThrow(input.whatsappNumber);
  if (input.timezone !== undefined) {
    if (!validTimezone(input.timezone)) throw new AppError("BAD_REQUEST", "bad timezone", { userMessage: "אזור הזמן אינו תקין" });
    set.timezone = input.timezone;
  }
  if (input.active !== undefined) set.active = input.active;
  return set;
}

export async function listBusinesses(db: TDb): Promise<TBusinessDto[]> {
  return (await db.select().from(businesses).orderBy(asc(businesses.createdAt))).map(toBusinessDto);
}

export async function findBusiness(db: TDb, id: string): Promise<TBusinessRow> {
  const [row] = await db.select().from(businesses).where(eq(businesses.id, id)).limit(1);
  if (!row) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
  return row;
}

/** A slug from a (Hebrew) name: latin letters/digits kept, the rest random, so it is always URL-safe. */
function slugFor(name: string): string {
  const latin = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return `${latin || "biz"}-${crypto.randomUUID().slice(0, 8)}`;
}

export async function createBusiness(db: TDb, actor: { userId: string; ip: string | null }, input: TBusinessFields & { name: string; settings?: TBusinessSettings }) {
  const values = { ...normalise(input), name: input.name, slug: input.slug ?? slugFor(input.name), settings: input.settings ?? {} };
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(businesses).values(values).returning();
      if (!row) throw new AppError("INTERNAL", "insert returned nothing");
      await writeAudit(tx, { businessId: row.id, userId: actor.userId, ip: actor.ip }, { action: "businesses.create", entityType: "business", entityId: row.id, after: row });
      return toBusinessDto(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict();
    throw err;
  }
}

/** Update a business. `active` and `slug` changes are for admins only (checked by the caller). */
export async function updateBusiness(db: TDb, scope: TScope, input: TBusinessFields): Promise<TBusinessDto> {
  const set = normalise(input);
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx.select().from(businesses).where(eq(businesses.id, scope.businessId)).limit(1);
      if (!before) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
      if (Object.keys(set).length === 0) return toBusinessDto(before);
      const [after] = await tx.update(businesses).set(set).where(eq(businesses.id, scope.businessId)).returning();
      if (!after) throw new AppError("NOT_FOUND", "business vanished", { userMessage: "העסק לא נמצא" });
      await writeAudit(tx, scope, { action: "businesses.update", entityType: "business", entityId: scope.businessId, before, after });
      return toBusinessDto(after);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict();
    throw err;
  }
}
