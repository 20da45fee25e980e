/**
 * Baileys auth state (creds + every signal key type) kept in `whatsapp_auth`,
 * one row per (business, key type, key id). Never touches the file system.
 * Every `keys.set` and every `creds.update` (via `saveCreds`) is written at
 * once, so a restart resumes the session from the database alone.
 *
 * Values go through Baileys' `BufferJSON` (Buffers → base64 objects) before
 * they become jsonb, and back through its reviver when read.
 */
import { BufferJSON, initAuthCreds, proto } from "@whiskeysockets/baileys";
import type { AuthenticationCreds, AuthenticationState, SignalDataTypeMap, SignalKeyStore } from "@whiskeysockets/baileys";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { whatsappAuth } from "../../../db/schema";
import { CREDS_ID, CREDS_TYPE } from "./stored-session";

export interface TDbAuthState {
  state: AuthenticationState;
  /** Persist the (mutated in place) creds object; bind it to `creds.update`. */
  saveCreds(): Promise<void>;
  /** Forget the session (logged out): deletes creds and every key of the business. */
  clear(): Promise<void>;
  /** Resolves when every write queued so far has been committed. */
  flush(): Promise<void>;
}

const toJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value, BufferJSON.replacer));
const fromJson = <T>(value: unknown): T => JSON.parse(JSON.stringify(value), BufferJSON.reviver) as T;

/**
 * Load (or initialise with Baileys' `initAuthCreds`) the auth state of one
 * business. Fresh creds are written immediately so the noise/identity keys
 * shown in the QR survive a crash before pairing completes.
 */
export async function useDbAuthState(db: TDb, businessId: string): Promise<TDbAuthState> {
  const [stored] = await db
    .select({ value: whatsappAuth.value })
    .from(whatsappAuth)
    .where(and(eq(whatsappAuth.businessId, businessId), eq(whatsappAuth.keyType, CREDS_TYPE), eq(whatsappAuth.keyId, CREDS_ID)));
  const creds: AuthenticationCreds = stored ? fromJson<AuthenticationCreds>(stored.value) : initAuthCreds();

  const upsert = (rows: { keyType: string; keyId: string; value: unknown }[], tx: Pick<TDb, "insert"> = db) =>
    tx
      .insert(whatsappAuth)
      .values(rows.map((r) => ({ businessId, keyType: r.keyType, keyId: r.keyId, value: toJson(r.value) })))
      .onConflictDoUpdate({
        target: [whatsappAuth.businessId, whatsappAuth.keyType, whatsappAuth.keyId],
        set: { value: sql`excluded.value`, updatedAt: sql`now()` },
      });

  // Writes run one after another, and none after clear(): a creds.update still
  // in flight when WhatsApp logs us out must not resurrect the deleted session.
  let cleared = false;
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    const next = chain.then(() => (cleared ? undefined : fn()));
    chain = next.catch(() => undefined);
    return next;
  };

  const saveCreds = async () => {
    await serial(() => upsert([{ keyType: CREDS_TYPE, keyId: CREDS_ID, value: creds }]));
  };
  if (!stored) await saveCreds();

  const keys: SignalKeyStore = {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      if (ids.length === 0) return out;
      const rows = await db
        .select({ keyId: whatsappAuth.keyId, value: whatsappAuth.value })
        .from(whatsappAuth)
        .where(and(eq(whatsappAuth.businessId, businessId), eq(whatsappAuth.keyType, type), inArray(whatsappAuth.keyId, ids)));
      for (const row of rows) {
        let value: unknown = fromJson(row.value);
        // Same special case as Baileys' own stores: this one must be a protobuf instance.
        if (type === "app-state-sync-key" && value) value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
        out[row.keyId] = value as SignalDataTypeMap[T];
      }
      return out;
    },
    async set(data) {
      const writes: { keyType: string; keyId: string; value: unknown }[] = [];
      const deletes: { keyType: string; keyId: string }[] = [];
      for (const [keyType, entries] of Object.entries(data)) {
        for (const [keyId, value] of Object.entries(entries ?? {})) {
          if (value === null || value === undefined) deletes.push({ keyType, keyId });
          else writes.push({ keyType, keyId, value });
        }
      }
      if (writes.length === 0 && deletes.length === 0) return;
      await serial(() => db.transaction(async (tx) => {
        // Chunked so a large pre-key upload stays under parameter limits.
        for (let i = 0; i < writes.length; i += 200) await upsert(writes.slice(i, i + 200), tx);
        for (const d of deletes) {
          await tx
            .delete(whatsappAuth)
            .where(and(eq(whatsappAuth.businessId, businessId), eq(whatsappAuth.keyType, d.keyType), eq(whatsappAuth.keyId, d.keyId)));
        }
      }));
    },
    async clear() {
      await serial(() => db.delete(whatsappAuth).where(and(eq(whatsappAuth.businessId, businessId), sql`${whatsappAuth.keyType} <> ${CREDS_TYPE}`)));
    },
  };

  return {
    state: { creds, keys },
    saveCreds,
    flush: async () => {
      await chain;
    },
    clear: async () => {
      await serial(async () => {
        cleared = true;
        await db.delete(whatsappAuth).where(eq(whatsappAuth.businessId, businessId));
      });
    },
  };
}
