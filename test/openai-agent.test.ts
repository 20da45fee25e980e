/**
 * The OpenAI agent through the real `openai` SDK against the local double
 * (OPENAI_BASE_URL), on a real database: streamed text, function calling with a
 * search → book round trip that writes appointment_requests, abort, actions.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createEventBus, type TKesherEvent } from "../core/kernel/events";
import { createLogger } from "../core/kernel/logger";
import { appointmentRequests, callLogs, customers } from "../db/schema";
import { seedDemo } from "../db/seed/seed-demo";
import { loadEnv } from "../env";
import type { TSearchPropertiesResult } from "../core/conversation/brain/tools/search-properties";
import type { TAgentEvent, TConversationContext } from "../core/conversation/brain/types";
import { createProviders, type TProviders } from "../core/conversation/providers/select-providers";
import { startOpenAiDouble, type TChatRequestBody, type TOpenAiDouble } from "./doubles/openai-double";
import { createTestDb, DB_KINDS, type TTestDb, TEST_PASSWORD_COST } from "./helpers/db";

const NOW = new Date("2026-11-25T10:00:00Z");

for (const kind of DB_KINDS) {
  describe(`openai agent via the double [${kind}]`, () => {
    setDefaultTimeout(30_000);
    let h: TTestDb;
    let double: TOpenAiDouble;
    let providers: TProviders;
    let businessId: string;
    const published: TKesherEvent[] = [];

    beforeAll(async () => {
      h = await createTestDb(kind);
      businessId = (await seedDemo(h.db, { adminPassword: "x-password-1", passwordCost: TEST_PASSWORD_COST })).businessId!;
      double = startOpenAiDouble({ apiKey: "sk-test" });
      const config = loadEnv({ NODE_ENV: "test", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: double.baseURL });
      const events = createEventBus();
      events.subscribe((e) => published.push(e));
      providers = createProviders({ config, db: h.db, events, log: createLogger("silent"), options: { now: () => NOW } });
    }, 60_000);
    afterAll(async () => {
      await double.close();
      await h.destroy();
    });

    const ctxFor = (phone: string): TConversationContext => ({
      businessId,
      channel: "call",
      callId: undefined,
      callerPhone: phone,
      history: [],
      state: {},
      businessName: "שי דירות ומשרדים",
      systemPrompt: "את נציגה של שי דירות ומשרדים.",
    });
    const run = async (ctx: TConversationContext, text: string, signal?: AbortSignal) => {
      const events: TAgentEvent[] = [];
      for await (const ev of providers.agent.reply({ text, ctx, signal })) events.push(ev);
      return events;
    };

    test("streams text, searches, books a viewing through function calling, and remembers the tool calls", async () => {
      expect(providers.agent.name).toBe("openai:gpt-4o");
      let searchResult: TSearchPropertiesResult | undefined;
      double.chat.push(
        { text: "רגע, אני בודקת. ", toolCalls: [{ name: "search_properties", arguments: { dealType: "sale", city: "רמת-גן", roomsMin: 4, roomsMax: 4.5, budgetMax: 3_300_000 } }] },
        (body: TChatRequestBody) => {
          const toolMsg = body.messages.findLast((m) => m.role === "tool")!;
          searchResult = JSON.parse(String(toolMsg.content)) as TSearchPropertiesResult;
          return { text: "מצאתי דירה בבורסה. לקבוע צפייה?" };
        },
      );
      const first = await run(ctxFor("+972541230000"), "מחפש לקנות 4 חדרים ברמת גן עד 3.3 מיליון");
      expect(first[0]!.type).toBe("metrics");
      const text1 = first.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
      expect(text1).toBe("רגע, אני בודקת. מצאתי דירה בבורסה. לקבוע צפייה?");
      expect(first.filter((e) => e.type === "text").length).toBeGreaterThan(3);
      const search = first.find((e) => e.type === "tool") as Extract<TAgentEvent, { type: "tool" }>;
      expect(search.name).toBe("search_properties");
      const hits = (search.result as TSearchPropertiesResult).items;
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((p) => p.city === "רמת גן" && p.dealType === "sale")).toBe(true);
      expect(searchResult!.items.map((p) => p.id)).toEqual(hits.map((p) => p.id));

      const req1 = double.requests.filter((r) => r.path === "/v1/chat/completions").at(-2)!.body as TChatRequestBody;
      expect(req1.model).toBe("gpt-4o");
      expect(req1.stream).toBe(true);
      expect(req1.tools!.map((t) => t.function.name).sort()).toEqual(["book_viewing", "create_callback_task", "create_or_update_lead", "end_call", "search_properties", "transfer_to_human"]);
      const system = String(req1.messages[0]!.content);
      expect(system).toContain("את נציגה של שי דירות ומשרדים.");
      expect(system).toContain("2026-11-25 12:00");
      expect(system).toContain("UTC+02:00");

      // A second conversation, two turns: the model books the first hit.
      const convo = ctxFor("+972541230001");
      await run(convo, "שלום");
      double.chat.push(
        { toolCalls: [{ name: "book_viewing", arguments: { propertyId: hits[0]!.id, startsAt: "2026-11-26T17:00:00+02:00", customerName: "דני כהן" } }] },
        { text: "קבעתי לך צפייה מחר בחמש. להתראות!", toolCalls: [{ name: "end_call", arguments: { reason: "done" } }] },
        { text: "" },
      );
      const second = await run(convo, "כן, מחר בחמש, דני כהן");
      const book = second.find((e) => e.type === "tool" && e.name === "book_viewing") as Extract<TAgentEvent, { type: "tool" }>;
      expect((book.result as { booked: boolean }).booked).toBe(true);
      expect(second.at(-1)).toEqual({ type: "action", action: "hangup" });
      const [appt] = await h.db.select().from(appointmentRequests).where(eq(appointmentRequests.propertyId, hits[0]!.id));
      expect(appt!.startsAt.toISOString()).toBe("2026-11-26T15:00:00.000Z");
      const [lead] = await h.db.select().from(customers).where(eq(customers.id, appt!.customerId!));
      expect(lead!.fullName).toBe("דני כהן");
      expect(lead!.phone).toBe("+972541230001");
      expect(published.some((e) => e.type === "appointment.booked" && e.appointmentId === appt!.id)).toBe(true);
      // The follow-up request carried the assistant's tool call and the tool's result.
      const followUp = double.requests.filter((r) => r.path === "/v1/chat/completions").at(-2)!.body as TChatRequestBody;
      const assistantCall = followUp.messages.find((m) => m.role === "assistant" && m.tool_calls?.length);
      expect(JSON.stringify(assistantCall)).toContain("book_viewing");
      expect(String(followUp.messages.at(-1)!.content)).toContain('"booked":true');
      // Earlier turns stay in the conversation: the greeting turn is in the history sent.
      expect(followUp.messages.some((m) => m.role === "user" && m.content === "שלום")).toBe(true);
    });

    test("the system prompt carries what the CRM knows about a returning customer; long histories are trimmed safely", async () => {
      const [c] = await h.db
        .insert(customers)
        .values({ businessId, fullName: "מיכל אברהם", phone: "+972541239999", status: "qualified", requirements: { dealType: "rent", cities: ["גבעתיים"] } })
        .returning();
      await h.db.insert(callLogs).values({ businessId, callSid: "CA-openai-agent-history", customerId: c!.id, summary: "חיפשה 3 חדרים בגבעתיים עד 7000 שקל" });
      const ctx = { ...ctxFor("+972541239999"), customerId: c!.id };
      await run(ctx, "שלום");
      const system = String((double.requests.at(-1)!.body as TChatRequestBody).messages[0]!.content);
      expect(system).toContain("מיכל אברהם");
      expect(system).toContain("גבעתיים");
      expect(system).toContain("חיפשה 3 חדרים בגבעתיים עד 7000 שקל");
      for (let i = 0; i < 24; i++) await run(ctx, `שאלה ${i}`);
      const sent = (double.requests.at(-1)!.body as TChatRequestBody).messages;
      expect(sent.length).toBeLessThanOrEqual(41);
      expect(sent[1]!.role).toBe("user");
      expect(sent.at(-1)).toMatchObject({ role: "user", content: "שאלה 23" });
    });

    test("bad tool arguments come back to the model as an error, not a crash", async () => {
      double.chat.push({ toolCalls: [{ name: "book_viewing", arguments: '{"propertyId":"nope"' }] }, { text: "סליחה, אפשר לחזור על השעה?" });
      const events = await run(ctxFor("+972541230002"), "תקבעי לי");
      const tool = events.find((e) => e.type === "tool") as Extract<TAgentEvent, { type: "tool" }>;
      expect(JSON.stringify(tool.result)).toContain("error");
      expect(events.filter((e) => e.type === "text").map((e) => (e as { delta: string }).delta).join("")).toContain("סליחה");
    });

    test("a model stuck calling tools is cut off after the allowed rounds and must answer", async () => {
      for (let i = 0; i < 4; i++) double.chat.push({ toolCalls: [{ name: "search_properties", arguments: { city: "חיפה" } }] });
      double.chat.push((body: TChatRequestBody) => ({ text: body.tool_choice === "none" ? "הנה מה שמצאתי." : "עוד חיפוש" }));
      const events = await run(ctxFor("+972541230006"), "מה יש בחיפה?");
      expect(events.filter((e) => e.type === "tool").length).toBe(4);
      expect(events.filter((e) => e.type === "text").map((e) => (e as { delta: string }).delta).join("")).toBe("הנה מה שמצאתי.");
      double.chat.length = 0;
    });

    test("asking for a person ends with a transfer action", async () => {
      double.chat.push({ text: "מעבירה אותך לנציג.", toolCalls: [{ name: "transfer_to_human", arguments: {} }] }, { text: "" });
      const events = await run(ctxFor("+972541230003"), "נציג בבקשה");
      expect(events.at(-1)).toEqual({ type: "action", action: "transfer" });
    });

    test("abort (barge-in) stops the stream quietly", async () => {
      double.chat.push({ text: "זה משפט ארוך מאוד שהמודל כותב לאט מילה אחרי מילה בלי להפסיק בכלל עד הסוף", chunkDelayMs: 40 });
      const ac = new AbortController();
      const got: TAgentEvent[] = [];
      for await (const ev of providers.agent.reply({ text: "ספרי לי", ctx: ctxFor("+972541230004"), signal: ac.signal })) {
        got.push(ev);
        if (ev.type === "text" && got.filter((e) => e.type === "text").length === 2) ac.abort();
      }
      const words = got.filter((e) => e.type === "text").length;
      expect(words).toBeGreaterThanOrEqual(2);
      expect(words).toBeLessThan(10);
    });

    test("an API failure is thrown to the caller (the session falls back to the local brain)", async () => {
      double.chat.push({ status: 500 });
      let failed = false;
      try {
        await run(ctxFor("+972541230005"), "שלום");
      } catch {
        failed = true;
      }
      expect(failed).toBe(true);
      expect(providers.localAgent.name).toBe("local");
    });
  });
}
