/**
 * WhatsApp wiring for one process: the Baileys manager (primary), the Twilio
 * transport (backup), and the services both feed. Created once in main.ts
 * and passed explicitly (deps.whatsapp) to the webhook routes and the
 * `conversations` tRPC router.
 *
 * @example
 *   const whatsapp = createWhatsAppHub({ db, log, events, config, agent });
 *   await whatsapp.baileys.resumeAll();
 */
import { and, eq } from "drizzle-orm";
import type { TDb } from "../../db/client";
import { whatsappMessages } from "../../db/schema";
import type { TEnv } from "../../env";
import type { TAgent } from "../../core/conversation/brain/types";
import type { TSttProvider } from "../../core/conversation/providers/types";
import type { TEventBus } from "../../core/kernel/events";
import type { TLogger } from "../../core/kernel/logger";
import { createTwilioClient, type TTwilioClient } from "../../core/kernel/twilio-client";
import { answerStoredMessage, handleInboundMessage, type TInboundDeps, type TInboundResult } from "../services/whatsapp/handle-inbound-message";
import { applyReceipt, type TWhatsAppMessageRow } from "../services/whatsapp/record-message";
import { sendWhatsAppMessage, type TSendDeps, type TSendInput } from "../services/whatsapp/send-whatsapp-message";
import type { TSocketFactory } from "./baileys/baileys-connection";
import { createBaileysManager, type TBaileysManager } from "./baileys/baileys-manager";
import type { TSessionLocks } from "./baileys/session-locks";
import type { TBackoff } from "./baileys/reconnect-policy";
import type { TSendQueueOptions } from "./send-queue";
import { createTwilioTransport } from "./twilio/twilio-transport";
import type { TInboundMessage, TMessageStatus, TWhatsAppProviderName, TWhatsAppTransport } from "./types";
import { transcribeVoiceNote, twilioMediaFetcher } from "./voice-notes";

export interface TWhatsAppHubDeps {
  db: TDb;
  log: TLogger;
  events: TEventBus;
  config: TEnv;
  /** The shared conversation agent (channel "whatsapp"); null = store only, no AI replies. */
  agent: TAgent | null;
  /** Answers when `agent` fails (e.g. the local brain behind the OpenAI agent). */
  fallbackAgent?: TAgent;
  /** Real speech-to-text for voice notes; null/absent = voice notes stay media only. */
  stt?: TSttProvider | null;
  /** Voice notes as jobs (api/jobs/call-deferrals.ts voiceNoteDeferral); absent or false = transcribed in-process. */
  deferVoiceNote?: TInboundDeps["deferVoiceNote"];
  /** Defaults to Baileys' makeWASocket (loaded with the first connection); tests inject a socket double. */
  socketFactory?: TSocketFactory;
  /** One owner per Baileys session across instances (main.ts: advisory locks on PostgreSQL). */
  locks?: TSessionLocks;
  /** How often a standby instance tries to claim unowned sessions (default 5 s; tests go faster). */
  standbyMs?: number;
  /** Defaults to the client built from config (null without Twilio credentials). */
  twilioClient?: TTwilioClient | null;
  sendGap?: Pick<TSendQueueOptions, "minGapMs" | "jitterMs">;
  backoff?: TBackoff;
  now?: () => Date;
}

export interface TWhatsAppHub {
  baileys: TBaileysManager;
  twilio: TWhatsAppTransport | null;
  /** Store and answer one message; `onStored` fires as soon as it is in the database. */
  handleInbound(businessId: string, msg: TInboundMessage, onStored?: () => void): Promise<TInboundResult>;
  /** Answer a voice note its job has transcribed (in the customer's order, like a new message). */
  answerVoiceNote(note: { businessId: string; messageId: string; provider: TWhatsAppProviderName; peerAddress: string; peerPhone: string }): Promise<TInboundResult>;
  /** Apply a delivery receipt; true when the stored status changed. */
  receipt(provider: TWhatsAppProviderName, providerMessageId: string, status: TMessageStatus, error?: string | null, businessId?: string): Promise<boolean>;
  send(input: TSendInput): Promise<TWhatsAppMessageRow>;
  close(): Promise<void>;
}

export function createWhatsAppHub(deps: TWhatsAppHubDeps): TWhatsAppHub {
  const log = deps.log.child({ module: "whatsapp" });
  const client = deps.twilioClient === undefined ? createTwilioClient(deps.config.twilio) : deps.twilioClient;
  const publicBase = deps.config.publicBaseUrl;
  const twilio = client ? createTwilioTransport(client, { statusCallbackUrl: () => (publicBase ? `${publicBase}/webhook/whatsapp/status` : undefined) }) : null;
  const agentState = new Map<string, Record<string, unknown>>();
  const stt = deps.stt ?? null;
  const fetchTwilioMedia = twilioMediaFetcher(deps.config.twilio);
  const transcribe = stt ? (msg: TInboundMessage) => transcribeVoiceNote({ stt, log, fetchTwilioMedia }, msg) : undefined;

  // One customer's messages are handled one after another (in arrival order), so a
  // quick "שלום" + "מחפש דירה" gets two ordered replies from one agent state, not a race.
  const chains = new Map<string, Promise<unknown>>();
  const perCustomer = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    chains.set(key, settled);
    void settled.then(() => {
      if (chains.get(key) === settled) chains.delete(key);
    });
    return next;
  };

  // Late-bound: the Baileys manager calls back into the services below.
  let sendDeps: TSendDeps;
  const hub: TWhatsAppHub = {
    baileys: undefined as unknown as TBaileysManager,
    twilio,
    handleInbound: (businessId, msg, onStored) =>
      perCustomer(`${businessId}:${msg.peerPhone}`, () =>
        handleInboundMessage({ ...sendDeps, agent: deps.agent, fallbackAgent: deps.fallbackAgent, agentState, transcribe, deferVoiceNote: stt ? deps.deferVoiceNote : undefined }, businessId, msg, onStored),
      ),
    answerVoiceNote: (note) =>
      perCustomer(`${note.businessId}:${note.peerPhone}`, () => answerStoredMessage({ ...sendDeps, agent: deps.agent, fallbackAgent: deps.fallbackAgent, agentState }, note.businessId, note)),
    async receipt(provider, providerMessageId, status, error, businessId) {
      const row = await applyReceipt(deps.db, { provider, providerMessageId, businessId }, status, error);
      if (row) deps.events.publish({ type: "whatsapp.message", businessId: row.businessId, customerId: row.customerId, messageId: row.id, direction: row.direction });
      return Boolean(row);
    },
    send: (input) => sendWhatsAppMessage(sendDeps, input),
    close: () => hub.baileys.closeAll(),
  };

  hub.baileys = createBaileysManager({
    db: deps.db,
    log,
    locks: deps.locks,
    standbyMs: deps.standbyMs,
    hooks: {
      socketFactory: deps.socketFactory,
      sendGap: deps.sendGap,
      backoff: deps.backoff,
      onMessage: async (businessId, msg) => {
        await hub.handleInbound(businessId, msg);
      },
      onReceipt: async (businessId, id, status) => {
        await hub.receipt("baileys", id, status, null, businessId);
      },
      lookupMessage: async (businessId, id) => {
        const [row] = await deps.db
          .select({ body: whatsappMessages.body })
          .from(whatsappMessages)
          .where(and(eq(whatsappMessages.businessId, businessId), eq(whatsappMessages.provider, "baileys"), eq(whatsappMessages.providerMessageId, id)));
        return row?.body ?? undefined;
      },
    },
  });

  sendDeps = { db: deps.db, log, events: deps.events, transports: { baileys: hub.baileys, ...(twilio ? { twilio } : {}) }, now: deps.now };
  return hub;
}
