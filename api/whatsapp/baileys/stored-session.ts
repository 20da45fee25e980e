/**
 * Whether a business has a paired Baileys session in `whatsapp_auth`, read
 * without Baileys itself: the boot-time and standby checks run in every
 * `api`/`all` process, and importing Baileys (~53 MB resident) just to ask
 * would keep it in memory on every instance that never opens a socket (#18
 * lean idle). Baileys loads when a connection is actually opened
 * (baileys-manager.ts).
 */
import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { whatsappAuth } from "../../../db/schema";

/** Row coordinates of the creds document (a key type no signal store uses). */
export const CREDS_TYPE = "creds";
export const CREDS_ID = "main";

/** True when the business has a stored, registered (paired) session. */
export async function hasStoredSession(db: TDb, businessId: string): Promise<boolean> {
  const [row] = await db
    .select({ value: whatsappAuth.value })
    .from(whatsappAuth)
    .where(and(eq(whatsappAuth.businessId, businessId), eq(whatsappAuth.keyType, CREDS_TYPE), eq(whatsappAuth.keyId, CREDS_ID)));
  // `me.id` is a plain string in BufferJSON's encoding, so no reviver is needed to read it.
  const creds = row?.value as { me?: { id?: unknown } } | null | undefined;
  return typeof creds?.me?.id === "string" && creds.me.id.length > 0;
}
