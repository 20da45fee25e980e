/**
 * The Baileys connections of all businesses, one per business, created on
 * demand (login from the dashboard) or resumed at boot for every business
 * with a stored session. Also the Baileys transport for sending.
 *
 * With several instances, each session has one owner (session-locks.ts): an
 * instance opens a socket only while it holds the business's lock; the others
 * stand by and claim stored sessions every `standbyMs`, so a dead owner's
 * sessions move to a live instance within seconds.
 *
 * Baileys itself (the connection module and everything under it, ~53 MB
 * resident) is imported on the first connection this process opens: a stored
 * session it owns, a QR login or a logout. An instance with no WhatsApp Web
 * session never loads it (#18 lean idle).
 */
import { eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses, whatsappAuth } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TLogger } from "../../../core/kernel/logger";
import type { TConnectionStatus, TOutboundSend, TSendResult, TWhatsAppTransport } from "../types";
import type { TBaileysConnection, TBaileysConnectionDeps } from "./baileys-connection";
import { hasStoredSession } from "./stored-session";
import { createSessionLocks, type TSessionLocks } from "./session-locks";

export type TConnectionHooks = Omit<TBaileysConnectionDeps, "db" | "businessId" | "log" | "onMessage" | "onReceipt" | "lookupMessage"> & {
  onMessage(businessId: string, ...args: Parameters<TBaileysConnectionDeps["onMessage"]>): Promise<void>;
  onReceipt(businessId: string, ...args: Parameters<TBaileysConnectionDeps["onReceipt"]>): Promise<void>;
  lookupMessage(businessId: string, providerMessageId: string): Promise<string | undefined>;
};

export interface TBaileysManager extends TWhatsAppTransport {
  connect(businessId: string, opts?: { pairingPhone?: string }): Promise<TConnectionStatus>;
  disconnect(businessId: string): Promise<void>;
  logout(businessId: string): Promise<void>;
  status(businessId: string): TConnectionStatus;
  /** Reconnect every business that has a stored, paired session. */
  resumeAll(): Promise<number>;
  closeAll(): Promise<void>;
}

const IDLE: TConnectionStatus = { state: "idle", qrDataUrl: null, pairingCode: null, me: null, reason: null, reconnectAttempts: 0, updatedAt: new Date(0).toISOString() };

const OWNED_ELSEWHERE = "חיבור ה-WhatsApp של העסק פעיל כרגע בשרת אחר של המערכת. נסו שוב בעוד מספר שניות.";

export function createBaileysManager(deps: {
  db: TDb;
  log: TLogger;
  hooks: TConnectionHooks;
  /** Session ownership across instances (default: single-process locks, always granted). */
  locks?: TSessionLocks;
  /** How often a standby instance tries to claim stored sessions nobody holds. Default 5 s. */
  standbyMs?: number;
}): TBaileysManager {
  const connections = new Map<string, TBaileysConnection>();
  const { onMessage, onReceipt, lookupMessage, ...rest } = deps.hooks;
  const locks = deps.locks ?? createSessionLocks({ log: deps.log });
  const log = deps.log.child({ component: "baileys-manager" });
  let standby: ReturnType<typeof setInterval> | null = null;
  let closing = false;

  // Lost the lock (its connection died): close those sockets now, so at most one instance talks to WhatsApp.
  locks.onLost((ids) => {
    for (const id of ids) void connections.get(id)?.stop();
  });

  /** Businesses whose stored, paired Baileys session should be open somewhere. */
  const storedSessions = async () => {
    const rows = await deps.db.selectDistinct({ businessId: whatsappAuth.businessId }).from(whatsappAuth);
    const out: string[] = [];
    for (const { businessId } of rows) {
      const [b] = await deps.db.select({ settings: businesses.settings, active: businesses.active }).from(businesses).where(eq(businesses.id, businessId));
      if (!b?.active || (b.settings.whatsappProvider ?? "baileys") !== "baileys") continue;
      if (await hasStoredSession(deps.db, businessId)) out.push(businessId);
    }
    return out;
  };

  /** Open every stored session this instance can own; returns how many it opened now. */
  const claimStored = async () => {
    let opened = 0;
    for (const businessId of await storedSessions()) {
      if (closing) break;
      const open = connections.get(businessId);
      if (open && locks.held().includes(businessId) && open.status().state !== "stopped" && open.status().state !== "idle") continue;
      if (!(await locks.tryAcquire(businessId))) continue;
      if (closing) break; // closeAll() ran meanwhile: open nothing (its locks.close() gives the lock back)
      log.info({ businessId }, "own this WhatsApp session; opening it");
      await (await get(businessId)).start();
      opened++;
    }
    return opened;
  };

  let connectionModule: Promise<typeof import("./baileys-connection")> | null = null;
  const get = async (businessId: string) => {
    const { createBaileysConnection } = await (connectionModule ??= import("./baileys-connection"));
    let conn = connections.get(businessId);
    if (!conn) {
      conn = createBaileysConnection({
        ...rest,
        db: deps.db,
        businessId,
        log: deps.log,
        onMessage: (m) => onMessage(businessId, m),
        onReceipt: (id, st) => onReceipt(businessId, id, st),
        lookupMessage: (id) => lookupMessage(businessId, id),
      });
      connections.set(businessId, conn);
    }
    return conn;
  };

  return {
    provider: "baileys",
    async connect(businessId, opts) {
      if (!(await locks.tryAcquire(businessId))) throw new AppError("CONFLICT", "baileys session owned by another instance", { userMessage: OWNED_ELSEWHERE });
      const conn = await get(businessId);
      await conn.start(opts);
      return conn.status();
    },
    async disconnect(businessId) {
      await connections.get(businessId)?.stop();
      await locks.release(businessId);
    },
    async logout(businessId) {
      if (!(await locks.tryAcquire(businessId))) throw new AppError("CONFLICT", "baileys session owned by another instance", { userMessage: OWNED_ELSEWHERE });
      await (await get(businessId)).logout();
      await locks.release(businessId);
    },
    status: (businessId) => connections.get(businessId)?.status() ?? IDLE,
    async resumeAll() {
      const resumed = await claimStored();
      if (!standby && !closing) {
        let busy = false;
        standby = setInterval(() => {
          if (busy) return;
          busy = true;
          claimStored()
            .catch((err: unknown) => log.warn({ err }, "standby claim failed; retrying"))
            .finally(() => (busy = false));
        }, deps.standbyMs ?? 5_000);
        (standby as { unref?: () => void }).unref?.();
      }
      return resumed;
    },
    async closeAll() {
      closing = true;
      if (standby) clearInterval(standby);
      await Promise.all([...connections.values()].map((c) => c.stop()));
      await locks.close();
    },
    async send(businessId: string, msg: TOutboundSend): Promise<TSendResult> {
      const conn = locks.held().includes(businessId) ? connections.get(businessId) : undefined;
      if (!conn) throw new AppError("UNAVAILABLE", "no baileys connection", { userMessage: "WhatsApp אינו מחובר. יש לסרוק קוד QR בהגדרות WhatsApp." });
      if (msg.template || !msg.body) throw new AppError("BAD_REQUEST", "baileys sends text only", { userMessage: "בחיבור WhatsApp ישיר נשלחות הודעות טקסט בלבד" });
      return conn.sendText(msg.to, msg.body);
    },
  };
}
