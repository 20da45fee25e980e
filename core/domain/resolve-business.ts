import { asc, eq } from "drizzle-orm";
import type { TDb } from "../../db/client";
import { businesses } from "../../db/schema";

export type TBusinessRow = typeof businesses.$inferSelect;

/**
 * The business a dialled number belongs to. Falls back to the oldest active
 * business so a single-tenant install answers whatever number points at it.
 */
export async function resolveBusinessForNumber(db: TDb, dialled: string | null): Promise<TBusinessRow | null> {
  if (dialled) {
    const [byNumber] = await db.select().from(businesses).where(eq(businesses.phoneNumber, dialled)).limit(1);
    if (byNumber) return byNumber;
  }
  const [first] = await db.select().from(businesses).where(eq(businesses.active, true)).orderBy(asc(businesses.createdAt)).limit(1);
  return first ?? null;
}
