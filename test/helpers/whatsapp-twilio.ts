/**
 * The WhatsApp-over-Twilio fixture: the real app with a WhatsApp hub (local
 * brain, OpenAI STT against the local double), the Twilio REST double, the
 * business switched to Twilio, one clock starting Wednesday 10:00 in Israel,
 * and a logged-in admin. Used by test/whatsapp-twilio*.test.ts.
 */
import OpenAI from "openai";
import { and, eq } from "drizzle-orm";
import { createApp } from "../../api/app";
import { createWhatsAppHub, type TWhatsAppHub } from "../../api/whatsapp/whatsapp-hub";
import { createLocalAgent } from "../../core/conversation/brain/local-agent";
import { createOpenAiStt } from "../../core/conversation/providers/stt/openai";
import { businesses, customers, whatsappMessages } from "../../db/schema";
import { baileysSocketFactory } from "../doubles/baileys-socket";
import { startOpenAiDouble, type TOpenAiDouble } from "../doubles/openai-double";
import { startTwilioRestDouble, type TTwilioRestDouble } from "../doubles/twilio-rest";
import { createTestApp, signedTwilioPost, TEST_AUTH_TOKEN, type TTestApp } from "./app";
import { clockFrom } from "./clock";
import type { TDbKind } from "./db";
import { adminClient, type TTestClient } from "./trpc";

export const HOST = "https://kesher.example.com";
export const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
export const BUSINESS_WA = "+97235550100";
/** Wednesday 10:00 in Israel: open per the seeded hours. */
const OPEN_NOW = new Date("2026-11-25T08:00:00Z");

/** A Twilio WhatsApp inbound webhook's parameters. */
export const inbound = (sid: string, body: string, from = "+972541234567", extra: Record<string, string> = {}) => ({
  AccountSid: ACCOUNT,
  MessageSid: sid,
  SmsMessageSid: sid,
  From: `whatsapp:${from}`,
  To: `whatsapp:${BUSINESS_WA}`,
  Body: body,
  NumMedia: "0",
  ProfileName: "יוסי לוי",
  WaId: from.slice(1),
  ...extra,
});

export interface TWhatsAppTwilioFixture {
  t: TTestApp;
  rest: TTwilioRestDouble;
  hub: TWhatsAppHub;
  admin: TTestClient;
  sockets: ReturnType<typeof baileysSocketFactory>;
  openai: TOpenAiDouble;
  /** The suite's one clock (app, hub and the rows it writes). */
  now: () => Date;
  post(path: string, params: Record<string, string>, opts?: Parameters<typeof signedTwilioPost>[2]): Promise<Response>;
  customerByPhone(phone: string): Promise<typeof customers.$inferSelect | undefined>;
  rowsFor(customerId: string): Promise<(typeof whatsappMessages.$inferSelect)[]>;
  close(): Promise<void>;
}

export async function startWhatsAppTwilio(kind: TDbKind): Promise<TWhatsAppTwilioFixture> {
  const now = clockFrom(OPEN_NOW);
  const rest = await startTwilioRestDouble({ accountSid: ACCOUNT, authToken: TEST_AUTH_TOKEN });
  const t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: rest.baseUrl, PUBLIC_BASE_URL: HOST });
  const sockets = baileysSocketFactory();
  const openai = startOpenAiDouble();
  const hub = createWhatsAppHub({
    stt: createOpenAiStt({ client: new OpenAI({ apiKey: "test-key", baseURL: openai.baseURL, maxRetries: 0 }), log: t.deps.log }),
    db: t.db.db,
    log: t.deps.log,
    events: t.deps.events,
    config: t.deps.config,
    agent: createLocalAgent({ db: t.db.db, events: t.deps.events, log: t.deps.log }),
    socketFactory: sockets.factory,
    sendGap: { minGapMs: 0, jitterMs: 0 },
    now,
  });
  // One clock for the app and the hub: nothing in these suites meets the real date.
  t.deps.now = now;
  t.deps.whatsapp = hub;
  t.app = createApp(t.deps);
  const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
  await t.db.db
    .update(businesses)
    .set({ settings: { ...b!.settings, whatsappProvider: "twilio" } })
    .where(eq(businesses.id, t.businessId));
  const admin = await adminClient(t);
  return {
    t,
    rest,
    hub,
    admin,
    sockets,
    openai,
    now,
    post: async (path, params, opts = {}) => t.app.request(signedTwilioPost(`${HOST}${path}`, params, opts)),
    customerByPhone: async (phone) =>
      (await t.db.db.select().from(customers).where(and(eq(customers.businessId, t.businessId), eq(customers.phone, phone))))[0],
    rowsFor: (customerId) => t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.customerId, customerId)).orderBy(whatsappMessages.createdAt),
    async close() {
      await hub.close();
      await rest.close();
      await openai.close();
      await t.close();
    },
  };
}
