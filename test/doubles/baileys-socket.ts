/**
 * Local double of a Baileys socket: the object `makeWASocket(config)` returns,
 * reduced to the surface Kesher uses (`ev`, `sendMessage`, `end`, `logout`,
 * `requestPairingCode`, `user`). Its `ev` is Baileys' own event emitter
 * (`makeEventBuffer`), and it emits what WhatsApp's servers cause Baileys to
 * emit: `connection.update` (qr / open / close with a Boom-shaped error
 * carrying `output.statusCode`), `creds.update`, `messages.upsert`,
 * `messages.update`. It writes signal keys through `config.auth.keys.set`
 * like a real session does, so the auth store is exercised for real.
 */
import { generateMessageID, makeEventBuffer, proto, type AnyMessageContent, type UserFacingSocketConfig, type WAMessage } from "@whiskeysockets/baileys";
import pino from "pino";
import type { TSocketFactory, TWaSocket } from "../../api/whatsapp/baileys/baileys-connection";

export interface TSentByDouble {
  jid: string;
  content: AnyMessageContent;
  id: string;
}

export interface TBaileysSocketDouble extends TWaSocket {
  config: UserFacingSocketConfig;
  sent: TSentByDouble[];
  ended: boolean;
  pairingRequests: string[];
  /** Presence updates sent (type, jid), in order. */
  presence: { type: string; jid: string }[];
  /** WhatsApp offers a login QR. */
  showQr(qr?: string): void;
  /** The phone scanned the QR: creds gain `me`/`registered`, then WhatsApp closes with 515 restartRequired. */
  completePairing(phoneDigits: string): Promise<void>;
  /** Connection opened (a registered session). Uploads pre-keys and a session through `keys.set`. */
  open(): Promise<void>;
  /** WhatsApp closes the connection with this status code. */
  close(statusCode: number | undefined, message?: string): void;
  /** A customer's message arrives (`messages.upsert` notify). Returns the message id. */
  receive(m: { fromPhoneDigits: string; text?: string; id?: string; pushName?: string; lid?: boolean; voiceNote?: boolean; fromMe?: boolean }): string;
  /** Delivery/read receipts for a message we sent. */
  receipt(id: string, jid: string, status: "sent" | "delivered" | "read" | "failed"): void;
}

const STATUS = {
  sent: proto.WebMessageInfo.Status.SERVER_ACK,
  delivered: proto.WebMessageInfo.Status.DELIVERY_ACK,
  read: proto.WebMessageInfo.Status.READ,
  failed: proto.WebMessageInfo.Status.ERROR,
};

/** The shape Baileys gives disconnect errors (a Boom). */
export function boomError(statusCode: number, message = "Connection Failure"): Error {
  return Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: { statusCode, error: message, message }, headers: {} }, data: null });
}

const silent = pino({ level: "silent" });

/** `now` stamps received messages (default: the system clock); tests pass their business clock. */
export function createBaileysSocketDouble(config: UserFacingSocketConfig, now: () => Date = () => new Date()): TBaileysSocketDouble {
  const ev = makeEventBuffer(silent);
  let closed = false;
  const creds = config.auth.creds;

  const emitClose = (error: Error | undefined) => {
    if (closed) return;
    closed = true;
    ev.emit("connection.update", { connection: "close", lastDisconnect: { error, date: new Date() } });
  };

  const sock: TBaileysSocketDouble = {
    config,
    ev: ev as unknown as TWaSocket["ev"],
    sent: [],
    ended: false,
    pairingRequests: [],
    presence: [],
    user: creds.me,
    async sendPresenceUpdate(type, jid) {
      if (closed) throw boomError(428, "Connection Closed");
      sock.presence.push({ type, jid: jid ?? "" });
    },
    async sendMessage(jid: string, content: AnyMessageContent) {
      if (closed) throw boomError(428, "Connection Closed");
      const id = generateMessageID();
      sock.sent.push({ jid, content, id });
      const text = "text" in content ? content.text : undefined;
      return { key: { remoteJid: jid, fromMe: true, id }, message: { conversation: text }, status: proto.WebMessageInfo.Status.PENDING } as WAMessage;
    },
    async end(error: Error | undefined) {
      sock.ended = true;
      emitClose(error);
    },
    async logout() {
      emitClose(boomError(401, "Intentional Logout"));
    },
    async requestPairingCode(phoneNumber: string) {
      sock.pairingRequests.push(phoneNumber);
      const code = "KSHR" + phoneNumber.slice(-4);
      creds.pairingCode = code;
      ev.emit("creds.update", { pairingCode: code });
      return code;
    },
    showQr(qr = `2@${generateMessageID()},${Buffer.from(creds.noiseKey.public).toString("base64")},${Buffer.from(creds.signedIdentityKey.public).toString("base64")},${creds.advSecretKey}`) {
      ev.emit("connection.update", { qr, connection: "connecting" });
    },
    async completePairing(phoneDigits) {
      const me = { id: `${phoneDigits}:7@s.whatsapp.net`, name: "שי דירות" };
      creds.me = me;
      creds.registered = true;
      creds.platform = "android";
      ev.emit("creds.update", { me, registered: true, platform: "android" });
      ev.emit("connection.update", { isNewLogin: true, qr: undefined });
      // Give the creds write a moment to start before the restart close (as on the wire).
      await new Promise((r) => setTimeout(r, 5));
      emitClose(boomError(515, "Stream Errored (restart required)"));
    },
    async open() {
      sock.user = creds.me;
      // A real session uploads pre-keys and stores sessions / app-state keys.
      await config.auth.keys.set({
        "pre-key": {
          "1": { public: Buffer.from("pre-key-public-1"), private: Buffer.from("pre-key-private-1") },
          "2": { public: Buffer.from("pre-key-public-2"), private: Buffer.from("pre-key-private-2") },
        },
        session: { "972541234567.0": Buffer.from([1, 2, 3, 4, 5]) },
        "app-state-sync-key": { AAAAAQ: { keyData: Buffer.from("sync-key"), timestamp: 1_700_000_000 } },
        "lid-mapping": { "972541234567": "123456789012345" },
      });
      creds.nextPreKeyId = 3;
      creds.firstUnuploadedPreKeyId = 3;
      ev.emit("creds.update", { nextPreKeyId: 3, firstUnuploadedPreKeyId: 3 });
      ev.emit("connection.update", { connection: "open", receivedPendingNotifications: true });
    },
    close(statusCode, message) {
      emitClose(statusCode === undefined ? new Error(message ?? "socket hang up") : boomError(statusCode, message));
    },
    receive(m) {
      const id = m.id ?? generateMessageID();
      const pnJid = `${m.fromPhoneDigits}@s.whatsapp.net`;
      const key = m.lid
        ? { remoteJid: `${m.fromPhoneDigits.slice(-9)}00000@lid`, remoteJidAlt: pnJid, fromMe: Boolean(m.fromMe), id, addressingMode: "lid" }
        : { remoteJid: pnJid, fromMe: Boolean(m.fromMe), id };
      const message: proto.IMessage = m.voiceNote
        ? { audioMessage: { mimetype: "audio/ogg; codecs=opus", ptt: true, seconds: 4 } }
        : { extendedTextMessage: { text: m.text ?? "" } };
      ev.emit("messages.upsert", {
        type: "notify",
        messages: [{ key, message, pushName: m.pushName, messageTimestamp: Math.floor(now().getTime() / 1000) } as WAMessage],
      });
      return id;
    },
    receipt(id, jid, status) {
      ev.emit("messages.update", [{ key: { remoteJid: jid, fromMe: true, id }, update: { status: STATUS[status] } }]);
    },
  };
  return sock;
}

/** A socket factory for the connection manager that keeps every socket it made. */
export function baileysSocketFactory(opts: { now?: () => Date } = {}): { factory: TSocketFactory; sockets: TBaileysSocketDouble[]; last(): TBaileysSocketDouble } {
  const sockets: TBaileysSocketDouble[] = [];
  return {
    factory: (config) => {
      const s = createBaileysSocketDouble(config, opts.now);
      sockets.push(s);
      return s;
    },
    sockets,
    last: () => {
      const s = sockets.at(-1);
      if (!s) throw new Error("no socket created yet");
      return s;
    },
  };
}

/**
 * For a spawned server (WHATSAPP_SOCKET_DOUBLE=on, refused in production): every
 * socket of a paired session opens at once, as WhatsApp does for a registered
 * device; an unpaired one offers a QR.
 */
export function autoOpenSocketFactory(): TSocketFactory {
  return (config) => {
    const s = createBaileysSocketDouble(config);
    setTimeout(() => {
      if (config.auth.creds.me?.id) void s.open();
      else s.showQr();
    }, 0);
    return s;
  };
}
