/**
 * WhatsApp replies through the OpenAI conversation agent (real openai SDK
 * against the local OpenAI double): the customer's phone-call turns reach the
 * model as history, and when the model fails the local Hebrew brain answers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { createEventBus } from "../core/kernel/events";
import { createLogger } from "../core/kernel/logger";
import { createWhatsAppHub, type TWhatsAppHub } from "../api/whatsapp/whatsapp-hub";
import { callLogs, conversationTurns, customers } from "../db/schema";
import { seedDemo } from "../db/seed/seed-demo";
import { loadEnv } from "../env";
import { createLocalAgent } from "../core/conversation/brain/local-agent";
import { createOpenAiAgent } from "../core/conversation/brain/openai-agent";
import { baileysSocketFactory } from "./doubles/baileys-socket";
import { startOpenAiDouble, type TOpenAiDouble, type TChatRequestBody } from "./doubles/openai-double";
import { createTestDb, DB_KINDS, type TTestDb, TEST_PASSWORD_COST } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";

for (const kind of DB_KINDS) {
  describe(`whatsapp with the OpenAI agent [${kind}]`, () => {
    let db: TTestDb;
    let businessId: string;
    let openai: TOpenAiDouble;
    let hub: TWhatsAppHub;
    let sockets: ReturnType<typeof baileysSocketFactory>;

    beforeAll(async () => {
      db = await createTestDb(kind);
      businessId = (await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST })).businessId!;
      openai = startOpenAiDouble();
      const log = createLogger("silent");
      const events = createEventBus();
      sockets = baileysSocketFactory();
      hub = createWhatsAppHub({
        db: db.db,
        log,
        events,
        config: loadEnv({ NODE_ENV: "test" }),
        agent: createOpenAiAgent({ client: new OpenAI({ apiKey: "test-key", baseURL: openai.baseURL, maxRetries: 0 }), db: db.db, events, log }),
        fallbackAgent: createLocalAgent({ db: db.db, events, log }),
        socketFactory: sockets.factory,
        twilioClient: null,
        sendGap: { minGapMs: 0, jitterMs: 0 },
        now: () => new Date("2026-11-25T08:00:00Z"),
      });
      await hub.baileys.connect(businessId);
      await sockets.last().completePairing("97235550100");
      await waitFor(() => sockets.sockets.length === 2, "reconnect after pairing");
      await sockets.last().open();
      await waitFor(() => hub.baileys.status(businessId).state === "open", "open");
    }, 120_000);
    afterAll(async () => {
      await hub.close();
      await openai.close();
      await db.destroy();
    });

    test("the model gets the customer's phone-call turns as history, and its Hebrew answer is sent", async () => {
      const [c] = await db.db.insert(customers).values({ businessId, phone: "+972541112233", fullName: "אבי מזרחי", source: "call" }).returning();
      const [call] = await db.db
        .insert(callLogs)
        .values({ businessId, callSid: `CA_hist_${kind}`, customerId: c!.id, fromNumber: "+972541112233", status: "completed", startedAt: new Date(Date.now() - 86_400_000) })
        .returning();
      await db.db.insert(conversationTurns).values([
        { businessId, callId: call!.id, seq: 1, speaker: "caller", text: "אני מחפש משרד של מאה מטר בתל אביב", startedAt: new Date(Date.now() - 86_400_000) },
        { businessId, callId: call!.id, seq: 2, speaker: "assistant", text: "יש לנו שני משרדים מתאימים ברחוב הברזל", startedAt: new Date(Date.now() - 86_390_000) },
      ]);
      const answer = "שלום אבי! לגבי המשרדים ברחוב הברזל — אפשר לתאם צפייה מחר בעשר?";
      openai.chat.push({ text: answer });

      const sock = sockets.last();
      sock.receive({ fromPhoneDigits: "972541112233", text: "היי, דיברנו אתמול על המשרד" });
      await waitFor(() => sock.sent.length === 1, "reply");
      expect((sock.sent[0]!.content as { text: string }).text).toBe(answer);

      const chat = openai.requests.find((r) => r.path === "/v1/chat/completions")!.body as TChatRequestBody;
      const all = JSON.stringify(chat.messages);
      expect(all).toContain("אני מחפש משרד של מאה מטר בתל אביב");
      expect(all).toContain("יש לנו שני משרדים מתאימים ברחוב הברזל");
      expect(all).toContain("היי, דיברנו אתמול על המשרד");
    });

    test("when the model fails, the local Hebrew brain answers instead", async () => {
      openai.chat.push({ status: 500 });
      const sock = sockets.last();
      const before = sock.sent.length;
      sock.receive({ fromPhoneDigits: "972548887766", text: "שלום, מחפש דירה להשכרה בגבעתיים" });
      await waitFor(() => sock.sent.length === before + 1, "fallback reply");
      const text = (sock.sent.at(-1)!.content as { text: string }).text;
      expect(text).toMatch(/[\u0590-\u05FF]/);
      expect(openai.requests.filter((r) => r.path === "/v1/chat/completions").length).toBeGreaterThanOrEqual(2);
    });
  });
}
