/**
 * One business's Baileys (WhatsApp Web) connection: login by QR or pairing
 * code, auth state in the database, reconnect policy, inbound messages and
 * receipts handed to the services, rate-limited sends.
 *
 * The socket factory defaults to Baileys' `makeWASocket`; tests pass a double
 * exposing the same `ev` / `sendMessage` / `end` surface. This module is the
 * one that pulls Baileys in, so the manager imports it only when a connection
 * is opened.
 */
import makeWASocket, { downloadMediaMessage, makeCacheableSignalKeyStore, type UserFacingSocketConfig, type WASocket } from "@whiskeysockets/baileys";
import type { TDb } from "../../../db/client";
import { AppError } from "../../../core/kernel/errors";
import type { TLogger } from "../../../core/kernel/logger";
import { createSendQueue, DEFAULT_SEND_GAP, type TSendQueueOptions } from "../send-queue";
import type { TConnectionStatus, TInboundMessage, TMessageStatus, TSendResult } from "../types";
import { jidToPhone, phoneToJid, toInboundMessage, toMessageStatus } from "./baileys-messages";
import { useDbAuthState, type TDbAuthState } from "./db-auth-state";
import { decideReconnect, DEFAULT_BACKOFF, disconnectCode, type TBackoff } from "./reconnect-policy";

/** The part of a Baileys socket Kesher uses. */
export type TWaSocket = Pick<WASocket, "ev" | "sendMessage" | "end" | "logout" | "requestPairingCode"> & {
  user?: WASocket["user"];
  /** Re-upload request for expired media (real sockets have it). */
  updateMediaMessage?: WASocket["updateMediaMessage"];
  /** "typing…" before a reply, like a person (real sockets have it). */
  sendPresenceUpdate?: WASocket["sendPresenceUpdate"];
};
export type TSocketFactory = (config: UserFacingSocketConfig) => TWaSocket;

export interface TBaileysConnectionDeps {
  db: TDb;
  businessId: string;
  log: TLogger;
  /** Default: Baileys' `makeWASocket`. */
  socketFactory?: TSocketFactory;
  /** An inbound (or own, echoed) message; must be idempotent on providerMessageId. */
  onMessage(msg: TInboundMessage): Promise<void>;
  onReceipt(providerMessageId: string, status: TMessageStatus): Promise<void>;
  /** Body of a message we sent, for Baileys' retry requests (`getMessage`). */
  lookupMessage(providerMessageId: string): Promise<string | undefined>;
  onState?(status: TConnectionStatus): void;
  backoff?: TBackoff;
  sendGap?: Pick<TSendQueueOptions, "minGapMs" | "jitterMs">;
  random?: () => number;
}

export interface TBaileysConnection {
  /** Open the socket (a stored session resumes; otherwise a QR, or a pairing code for `pairingPhone`). */
  start(opts?: { pairingPhone?: string }): Promise<void>;
  /** Close without logging out (the session stays stored). */
  stop(): Promise<void>;
  /** Log out on WhatsApp and delete the stored session. */
  logout(): Promise<void>;
  status(): TConnectionStatus;
  sendText(to: string, text: string): Promise<TSendResult>;
}

export function createBaileysConnection(deps: TBaileysConnectionDeps): TBaileysConnection {
  const log = deps.log.child({ businessId: deps.businessId, provider: "baileys" });
  const baileysLog = log.child({ module: "baileys" }, { level: "warn" });
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const queue = createSendQueue({ ...(deps.sendGap ?? DEFAULT_SEND_GAP), random: deps.random });

  let sock: TWaSocket | null = null;
  let auth: TDbAuthState | null = null;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;
  let pairingPhone: string | undefined;
  let pairingRequested = false;
  let status: TConnectionStatus = {
    state: "idle",
    qrDataUrl: null,
    pairingCode: null,
    me: null,
    reason: null,
    reconnectAttempts: 0,
    updatedAt: new Date().toISOString(),
  };

  const setStatus = (patch: Partial<TConnectionStatus>) => {
    status = { ...status, ...patch, reconnectAttempts: attempts, updatedAt: new Date().toISOString() };
    deps.onState?.(status);
  };

  const detach = async (s: TWaSocket) => {
    // Remove our listeners first: the close emitted by end() is ours, not WhatsApp's.
    for (const e of ["connection.update", "creds.update", "messages.upsert", "messages.update"] as const) s.ev.removeAllListeners(e);
    await s.end(undefined).catch((err: unknown) => log.debug({ err }, "socket end failed"));
  };

  /**
   * @param reuse keep the in-memory auth state (reconnects): right after pairing
   *   WhatsApp closes with 515 while the new creds may still be on their way to
   *   the database, so re-reading them there could lose the pairing.
   */
  const open = async (reuse = false) => {
    const gen = ++generation;
    auth = reuse && auth ? auth : await useDbAuthState(deps.db, deps.businessId);
    if (gen !== generation) return;
    const current = auth;
    pairingRequested = false;
    setStatus({ state: "connecting", qrDataUrl: null, pairingCode: null, reason: null });
    const s = (deps.socketFactory ?? makeWASocket)({
      auth: { creds: current.state.creds, keys: makeCacheableSignalKeyStore(current.state.keys, baileysLog) },
      logger: baileysLog,
      markOnlineOnConnect: false,
      syncFullHistory: false,
      shouldSyncHistoryMessage: () => false,
      getMessage: async (key) => {
        const body = key.id ? await deps.lookupMessage(key.id) : undefined;
        return body === undefined ? undefined : { conversation: body };
      },
    });
    sock = s;

    s.ev.on("creds.update", () => {
      current.saveCreds().catch((err: unknown) => log.error({ err }, "saving whatsapp creds failed"));
    });

    s.ev.on("connection.update", (u) => {
      if (gen !== generation) return;
      if (u.qr) void onQr(s, u.qr, gen);
      if (u.connection === "open") {
        attempts = 0;
        const me = jidToPhone(s.user?.id ?? current.state.creds.me?.id);
        log.info({ me }, "whatsapp connected");
        setStatus({ state: "open", qrDataUrl: null, pairingCode: null, me, reason: null });
      } else if (u.connection === "close") {
        void onClose(s, u.lastDisconnect?.error, gen);
      }
    });

    s.ev.on("messages.upsert", ({ messages, type }) => {
      if (type !== "notify") return; // "append" = history/own-device sync, not a live message
      const me = status.me;
      for (const m of messages) {
        const msg = toInboundMessage(m, me);
        if (!msg) continue;
        if (msg.mediaType === "voice") {
          msg.download = async () => {
            const buf = await downloadMediaMessage(m, "buffer", {}, { logger: baileysLog, reuploadRequest: (x) => (s.updateMediaMessage ? s.updateMediaMessage(x) : Promise.resolve(x)) });
            return new Uint8Array(buf);
          };
        }
        deps.onMessage(msg).catch((err: unknown) => log.error({ err, id: msg.providerMessageId }, "handling whatsapp message failed"));
      }
    });

    s.ev.on("messages.update", (updates) => {
      for (const { key, update } of updates) {
        const st = toMessageStatus(update.status);
        if (!key.id || !st) continue;
        deps.onReceipt(key.id, st).catch((err: unknown) => log.error({ err, id: key.id }, "saving whatsapp receipt failed"));
      }
    });
  };

  const onQr = async (s: TWaSocket, qr: string, gen: number) => {
    if (pairingPhone && !pairingRequested) {
      pairingRequested = true;
      try {
        const code = await s.requestPairingCode(pairingPhone.replace(/\D/g, ""));
        if (gen === generation) setStatus({ state: "pairing_code", pairingCode: code, qrDataUrl: null });
        return;
      } catch (err) {
        log.warn({ err }, "pairing code request failed; falling back to QR");
      }
    }
    if (status.state === "pairing_code") return;
    // qrcode loads only when a pairing code is shown (#18 lean idle).
    const { default: QRCode } = await import("qrcode");
    const svg = await QRCode.toString(qr, { type: "svg", margin: 1, errorCorrectionLevel: "L" });
    if (gen !== generation) return;
    setStatus({ state: "qr", qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` });
  };

  const onClose = async (s: TWaSocket, error: unknown, gen: number) => {
    if (sock === s) sock = null;
    const code = disconnectCode(error);
    const decision = decideReconnect(code, attempts, backoff, deps.random);
    log.info({ code, decision }, "whatsapp connection closed");
    if (decision.action === "reconnect") {
      attempts++;
      setStatus({ state: "reconnecting", reason: decision.reason, qrDataUrl: null });
      timer = setTimeout(() => {
        timer = null;
        if (gen === generation) open(true).catch((err: unknown) => log.error({ err }, "whatsapp reconnect failed"));
      }, decision.delayMs);
      return;
    }
    generation++;
    if (decision.action === "logged_out") {
      await auth?.clear().catch((err: unknown) => log.error({ err }, "clearing whatsapp auth failed"));
      auth = null;
      setStatus({ state: "logged_out", reason: decision.reason, me: null, qrDataUrl: null, pairingCode: null });
    } else {
      setStatus({ state: "stopped", reason: decision.reason, qrDataUrl: null, pairingCode: null });
    }
  };

  const stopSocket = async () => {
    generation++;
    if (timer) clearTimeout(timer);
    timer = null;
    const s = sock;
    sock = null;
    if (s) await detach(s);
    // Let queued creds/key writes land before anyone reloads the state from the database.
    await auth?.flush();
  };

  return {
    async start(opts = {}) {
      await stopSocket();
      pairingPhone = opts.pairingPhone;
      attempts = 0;
      await open();
    },
    async stop() {
      await stopSocket();
      setStatus({ state: "stopped", reason: "stopped", qrDataUrl: null, pairingCode: null });
    },
    async logout() {
      const s = sock;
      await s?.logout().catch((err: unknown) => log.warn({ err }, "whatsapp logout request failed"));
      await stopSocket();
      const a = auth ?? (await useDbAuthState(deps.db, deps.businessId));
      await a.clear();
      auth = null;
      setStatus({ state: "logged_out", reason: "logged_out_by_user", me: null, qrDataUrl: null, pairingCode: null });
    },
    status: () => status,
    async sendText(to, text) {
      return queue.run(async () => {
        const s = sock;
        if (!s || status.state !== "open") {
          throw new AppError("UNAVAILABLE", "baileys socket is not open", { userMessage: "WhatsApp אינו מחובר כרגע. יש לחבר מחדש בהגדרות WhatsApp." });
        }
        const jid = to.includes("@") ? to : phoneToJid(to);
        // Show "typing…" first: instant replies with no presence are a bot signature WhatsApp watches for.
        await s.sendPresenceUpdate?.("composing", jid).catch((err: unknown) => log.debug({ err }, "presence update failed"));
        const sent = await s.sendMessage(jid, { text });
        await s.sendPresenceUpdate?.("paused", jid).catch((err: unknown) => log.debug({ err }, "presence update failed"));
        const id = sent?.key?.id;
        if (!id) throw new AppError("UNAVAILABLE", "baileys returned no message id");
        return { providerMessageId: id, status: "sent" as const };
      });
    },
  };
}
