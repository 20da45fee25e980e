/**
 * The Baileys connections of all businesses, one per business, created on
 * demand (login from the dashboard) or resumed at boot for every business
 * with a stored session. Also the Baileys transport for sending.
 */
import { eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses, whatsappAuth } from "../../../db/schema";
import { AppError } from "../../errors";
import type { TLogger } from "../../lib/logger";
import type { TConnectionStatus, TOutboundSend, TSendResult, TWhatsAppTransport } from "../types";
import { createBaileysConnection, type TBaileysConnection, type TBaileysConnectionDeps } from "./baileys-connection";
import { hasStoredSession } from "./db-auth-state";

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

export function createBaileysManager(deps: { db: TDb; log: TLogger; hooks: TConnectionHooks }): TBaileysManager {
  const connections = new Map<string, TBaileysConnection>();
  const { onMessage, onReceipt, lookupMessage, ...rest } = deps.hooks;

  const get = (businessId: string) => {
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
      const conn = get(businessId);
      await conn.start(opts);
      return conn.status();
    },
    async disconnect(businessId) {
      await connections.get(businessId)?.stop();
    },
    async logout(businessId) {
      await get(businessId).logout();
    },
    status: (businessId) => connections.get(businessId)?.status() ?? IDLE,
    async resumeAll() {
      const rows = await deps.db.selectDistinct({ businessId: whatsappAuth.businessId }).from(whatsappAuth);
      let resumed = 0;
      for (const { businessId } of rows) {
        const [b] = await deps.db.select({ settings: businesses.settings, active: businesses.active }).from(businesses).where(eq(businesses.id, businessId));
        if (!b?.active || (b.settings.whatsappProvider ?? "baileys") !== "baileys") continue;
        if (!(await hasStoredSession(deps.db, businessId))) continue;
        await get(businessId).start();
        resumed++;
      }
      return resumed;
    },
    async closeAll() {
      await Promise.all([...connections.values()].map((c) => c.stop()));
    },
    async send(businessId: string, msg: TOutboundSend): Promise<TSendResult> {
      const conn = connections.get(businessId);
      if (!conn) throw new AppError("UNAVAILABLE", "no baileys connection", { userMessage: "WhatsApp אינו מחובר. יש לסרוק קוד QR בהגדרות WhatsApp." });
      if (msg.template || !msg.body) throw new AppError("BAD_REQUEST", "baileys sends text only", { userMessage: "בחיבור WhatsApp ישיר נשלחות הודעות טקסט בלבד" });
      return conn.sendText(msg.to, msg.body);
    },
  };
}
