/**
 * The local Hebrew brain end to end on a real database (PGlite, and PostgreSQL
 * when DATABASE_URL is set): dialog → tools → rows in appointment_requests and
 * customers, plus the tools' conflict check and tenant scoping.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { createEventBus, type TKesherEvent } from "../core/kernel/events";
import { createLogger } from "../core/kernel/logger";
import { appointmentRequests, businesses, customers, properties } from "../db/schema";
import { seedDemo } from "../db/seed/seed-demo";
import { speakPrice } from "../core/conversation/brain/hebrew-numbers";
import { localParts } from "../core/conversation/brain/hebrew-time";
import { DEMO_CALLER_SCRIPT } from "../core/conversation/brain/demo-script";
import { createLocalAgent } from "../core/conversation/brain/local-agent";
import type { TPropertyHit, TSearchPropertiesResult } from "../core/conversation/brain/tools/search-properties";
import { runTool } from "../core/conversation/brain/tools/tool-registry";
import { createFollowUpQueue } from "../core/conversation/brain/tools/follow-up-queue";
import type { TToolDeps, TToolScope } from "../core/conversation/brain/tools/types";
import type { TAgentEvent, TConversationContext } from "../core/conversation/brain/types";
import { createTestDb, DB_KINDS, type TTestDb } from "./helpers/db";

// Wednesday 25 Nov 2026, 12:00 in Jerusalem.
const NOW = new Date("2026-11-25T10:00:00Z");

interface TTurn {
  text: string;
  tools: Array<Extract<TAgentEvent, { type: "tool" }>>;
  action?: string;
}

for (const kind of DB_KINDS) {
  describe(`local brain on ${kind}`, () => {
    setDefaultTimeout(30_000);
    let h: TTestDb;
    let businessId: string;
    let otherBusinessId: string;
    let otherPropertyId: string;
    const published: TKesherEvent[] = [];
    let deps: TToolDeps;

    beforeAll(async () => {
      h = await createTestDb(kind);
      businessId = (await seedDemo(h.db, { adminPassword: "x-password-1" })).businessId!;
      const events = createEventBus();
      events.subscribe((e) => published.push(e));
      deps = { db: h.db, events, log: createLogger("silent"), followUps: createFollowUpQueue({ db: h.db, events, log: createLogger("silent") }) };
      const [other] = await h.db.insert(businesses).values({ name: "מתחרים בע״מ", slug: "rivals" }).returning();
      otherBusinessId = other!.id;
      const [p] = await h.db
        .insert(properties)
        .values({ businessId: otherBusinessId, title: "דירת 4 חדרים של המתחרים", dealType: "sale", propertyType: "apartment", city: "רמת גן", rooms: 4, price: 3_000_000 })
        .returning();
      otherPropertyId = p!.id;
    }, 180_000);
    afterAll(async () => {
      await h.destroy();
    });

    const newCall = (phone: string | null, extra: Partial<TConversationContext> = {}): TConversationContext => ({
      businessId,
      channel: "call",
      callerPhone: phone,
      history: [],
      state: {},
      businessName: "שי דירות ומשרדים",
      ...extra,
    });
    const agent = () => createLocalAgent({ ...deps, now: () => NOW });
    const say = async (ctx: TConversationContext, text: string): Promise<TTurn> => {
      const turn: TTurn = { text: "", tools: [] };
      for await (const ev of agent().reply({ text, ctx })) {
        if (ev.type === "text") turn.text += ev.delta;
        else if (ev.type === "tool") turn.tools.push(ev);
        else if (ev.type === "action") turn.action = ev.action;
      }
      return turn;
    };

    test("a caller buys a 4-room apartment in Ramat Gan around 3.3M: matches, a booked viewing, a lead", async () => {
      const phone = "+972541112233";
      const ctx = newCall(phone);
      const greet = await say(ctx, "שלום");
      expect(greet.text).toContain("לקנות או לשכור");
      const t1 = await say(ctx, "אני מחפש לקנות דירה ברמת-גן");
      expect(t1.text).toContain("חדרים");
      const t2 = await say(ctx, "ארבעה חדרים");
      expect(t2.text).toContain("תקציב");
      const t3 = await say(ctx, "בסביבות שלושה מיליון ושלוש מאות אלף");
      const search = t3.tools.find((t) => t.name === "search_properties");
      expect(search).toBeDefined();
      const found = search!.result as TSearchPropertiesResult;
      expect(found.items.length).toBeGreaterThanOrEqual(1);
      for (const p of found.items) {
        expect(p.city).toBe("רמת גן");
        expect(p.dealType).toBe("sale");
        expect(p.rooms).toBeGreaterThanOrEqual(4);
        expect(p.rooms).toBeLessThanOrEqual(4.5);
        expect(p.price).toBeLessThanOrEqual(3_300_000 * 1.05);
      }
      // Prices are spoken in words, the way a phone voice should say them.
      expect(t3.text).toContain(speakPrice(found.items[0]!.price));
      expect(t3.text).toContain("צפייה");
      const price = await say(ctx, "כמה עולה השנייה?");
      expect(price.text).toContain(speakPrice(found.items[1]?.price ?? found.items[0]!.price));
      expect(price.text).toContain("צפייה");
      const t4 = await say(ctx, "כן, הראשונה");
      expect(t4.text).toContain("שם");
      const t5 = await say(ctx, "קוראים לי דני כהן");
      expect(t5.text).toContain("מתי");
      const t6 = await say(ctx, "מחר בחמש אחרי הצהריים");
      const booking = t6.tools.find((t) => t.name === "book_viewing");
      expect((booking!.result as { booked: boolean }).booked).toBe(true);
      expect(t6.text).toContain("קבעתי");
      expect(t6.text).toContain("מחר בחמש אחרי הצהריים");
      const bye = await say(ctx, "לא, תודה רבה");
      expect(bye.action).toBe("hangup");
      expect(bye.tools.map((t) => t.name)).toContain("end_call");

      const [appt] = await h.db.select().from(appointmentRequests).where(eq(appointmentRequests.propertyId, found.items[0]!.id));
      expect(appt).toBeDefined();
      expect(appt!.businessId).toBe(businessId);
      const wall = localParts(appt!.startsAt, "Asia/Jerusalem");
      expect([wall.year, wall.month, wall.day, wall.hour, wall.minute]).toEqual([2026, 11, 26, 17, 0]);
      expect(appt!.endsAt.getTime() - appt!.startsAt.getTime()).toBe(30 * 60_000);

      const [lead] = await h.db.select().from(customers).where(and(eq(customers.businessId, businessId), eq(customers.phone, phone)));
      expect(lead!.fullName).toBe("דני כהן");
      expect(lead!.status).toBe("viewing");
      expect(lead!.source).toBe("call");
      expect(lead!.requirements).toMatchObject({ dealType: "sale", cities: ["רמת גן"], roomsMin: 4, budgetMax: 3_300_000 });
      expect(appt!.customerId).toBe(lead!.id);
      expect(published.some((e) => e.type === "appointment.booked" && e.appointmentId === appt!.id)).toBe(true);
      expect(published.some((e) => e.type === "lead.created" && e.customerId === lead!.id)).toBe(true);
    });

    // Wednesday, Thursday (tomorrow is Friday: closes 13:00) and Friday (tomorrow is Saturday: closed).
    for (const nowIso of ["2026-11-25T10:00:00Z", "2026-11-26T10:00:00Z", "2026-11-27T08:00:00Z"]) {
      test(`the demo caller script books a viewing and hangs up (now ${nowIso})`, async () => {
        const ctx = newCall(`+9725400${nowIso.slice(8, 10)}999`);
        const a = createLocalAgent({ ...deps, now: () => new Date(nowIso) });
        const booked: string[] = [];
        let action: string | undefined;
        for (const line of DEMO_CALLER_SCRIPT) {
          for await (const ev of a.reply({ text: line, ctx })) {
            if (ev.type === "tool" && ev.name === "book_viewing" && (ev.result as { booked: boolean }).booked) booked.push((ev.result as { appointmentId: string }).appointmentId);
            if (ev.type === "action") action = ev.action;
          }
        }
        expect(booked.length).toBe(1);
        expect(action).toBe("hangup");
        const [appt] = await h.db.select().from(appointmentRequests).where(eq(appointmentRequests.id, booked[0]!));
        expect(appt!.startsAt.getTime()).toBeGreaterThan(new Date(nowIso).getTime());
      });
    }

    test("terse answers for an office to rent in Tel Aviv; declining a viewing ends politely", async () => {
      const ctx = newCall("+972541113400");
      expect((await say(ctx, "משרד")).text).toContain("לקנות או לשכור");
      expect((await say(ctx, "להשכרה")).text).toContain("עיר");
      expect((await say(ctx, "בת״א")).text).toContain("מטר");
      expect((await say(ctx, "לא משנה")).text).toContain("תקציב");
      const offer = await say(ctx, "עד 25 אלף");
      const found = offer.tools.find((t) => t.name === "search_properties")!.result as TSearchPropertiesResult;
      expect(found.items.length).toBeGreaterThan(0);
      expect(found.items.every((p) => p.propertyType === "office" && p.dealType === "rent" && p.city === "תל אביב")).toBe(true);
      expect(offer.text).toContain("לחודש");
      expect((await say(ctx, "לא כרגע")).text).toContain("נוסף");
      const bye = await say(ctx, "לא תודה");
      expect(bye.action).toBe("hangup");
      const [lead] = await h.db.select().from(customers).where(eq(customers.phone, "+972541113400"));
      expect(lead!.requirements).toMatchObject({ dealType: "rent", propertyType: "office", cities: ["תל אביב"], budgetMax: 25_000 });
      expect(lead!.status).toBe("qualified");
    });

    test("on WhatsApp the same brain writes prices and times in digits and files the lead as a WhatsApp lead", async () => {
      const ctx = newCall("whatsapp:+972541113600", { channel: "whatsapp" });
      const offer = await say(ctx, "היי, מחפש לקנות דירת 4 חדרים ברמת גן עד 3.3 מיליון");
      const found = offer.tools.find((t) => t.name === "search_properties")!.result as TSearchPropertiesResult;
      expect(offer.text).toContain(`${found.items[0]!.price.toLocaleString("en-US")} ₪`);
      expect(offer.text).not.toContain("מיליון");
      await say(ctx, "כן, הראשונה");
      await say(ctx, "דני");
      const booked = await say(ctx, "מחר ב-11:00");
      expect(booked.text).toContain("מחר (26.11) ב-11:00");
      const [lead] = await h.db.select().from(customers).where(eq(customers.phone, "+972541113600"));
      expect(lead!.source).toBe("whatsapp");
      expect(lead!.status).toBe("viewing");
    });

    test("random and hostile input never breaks a conversation: every turn answers or acts", async () => {
      let seed = 7;
      const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
      const pieces = ["דירה", "ברמת גן", "מיליון", "כן", "לא", "נציג?", "מחר", "ב-5", "🙂", "", "!!!", "אאאאאא", "שמי", "הראשונה", "3.5", "עד", "שקל", "x".repeat(400)];
      let conversations = 0;
      let ctx = newCall("+972541119000");
      for (let i = 0; i < 80; i++) {
        const text = Array.from({ length: Math.floor(rand() * 6) }, () => pieces[Math.floor(rand() * pieces.length)]).join(" ");
        const t = await say(ctx, text);
        expect(t.text.trim().length > 0 || t.action !== undefined).toBe(true);
        if (t.action) ctx = newCall(`+97254111${9001 + conversations++}`);
      }
    });

    test("a correction after the proposals ('לא, בעצם 5 חדרים') searches again", async () => {
      const ctx = newCall("+972541112244");
      await say(ctx, "אני רוצה לקנות דירת 4 חדרים ברמת גן");
      const first = await say(ctx, "עד חמישה מיליון");
      const before = (first.tools.find((t) => t.name === "search_properties")!.result as TSearchPropertiesResult).items;
      expect(before.every((p) => p.rooms === 4)).toBe(true);
      const corrected = await say(ctx, "לא, בעצם 5 חדרים");
      const after = (corrected.tools.find((t) => t.name === "search_properties")!.result as TSearchPropertiesResult).items;
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((p) => p.rooms === 5)).toBe(true);
      expect(corrected.text).toContain("חמישה חדרים");
    });

    test("asking for a person transfers; unknown input is re-asked politely, then handed to a person", async () => {
      const ctx = newCall("+972541112255");
      const human = await say(ctx, "אפשר לדבר עם נציג?");
      expect(human.action).toBe("transfer");
      expect(human.tools.map((t) => t.name)).toContain("transfer_to_human");

      const lost = newCall("+972541112266");
      await say(lost, "שלום");
      const r1 = await say(lost, "הממממ אה");
      const r2 = await say(lost, "בלה בלה");
      expect(r1.text).toContain("סליחה");
      expect(r2.text).toContain("סליחה");
      expect(r1.text).not.toBe(r2.text);
      expect(r1.action).toBeUndefined();
      const r3 = await say(lost, "קשקוש");
      expect(r3.action).toBe("transfer");
    });

    test("asking for a person after hours: on a call the session records a message; on WhatsApp the brain takes it", async () => {
      const saturday = new Date("2026-11-28T10:00:00Z");
      const a = createLocalAgent({ ...deps, now: () => saturday });
      const talk = async (ctx: TConversationContext, text: string) => {
        const t: TTurn = { text: "", tools: [] };
        for await (const ev of a.reply({ text, ctx })) {
          if (ev.type === "text") t.text += ev.delta;
          else if (ev.type === "tool") t.tools.push(ev);
          else if (ev.type === "action") t.action = ev.action;
        }
        return t;
      };
      // Phone: the transfer goes to the session (which plays the after-hours notice and records); the words match.
      const call = await talk(newCall("+972541113500"), "אני רוצה לדבר עם נציג");
      expect(call.action).toBe("transfer");
      expect(call.text).toContain("סגור");
      expect(call.text).toContain("להשאיר הודעה");
      expect(call.text).toContain("ויפתח מחר בתשע בבוקר");
      expect(call.tools.find((t) => t.name === "transfer_to_human")!.result).toMatchObject({ officeOpen: false, hasAgentLine: true });

      // WhatsApp: no line to transfer to; the message lands in the lead's notes.
      const wa = newCall("whatsapp:+972541113501", { channel: "whatsapp" });
      const ask = await talk(wa, "אפשר נציג?");
      expect(ask.action).toBeUndefined();
      expect(ask.text).toContain("הודעה");
      const msg = await talk(wa, "תגידו לשי שיחזור אליי לגבי הדירה בבורסה");
      expect(msg.text).toContain("רשמתי");
      expect((await talk(wa, "לא תודה")).action).toBe("hangup");
      const [lead] = await h.db.select().from(customers).where(eq(customers.phone, "+972541113501"));
      expect(lead!.notes).toContain("תגידו לשי שיחזור אליי לגבי הדירה בבורסה");

      // In opening hours a call transfers with the plain sentence.
      const open = await runTool(deps, { businessId, channel: "call", now: () => NOW }, "transfer_to_human", {});
      expect(open.action).toBe("transfer");
      expect(open.result).toMatchObject({ officeOpen: true, hasAgentLine: true, nextOpenAt: null });
      const noLine = await runTool(deps, { businessId: otherBusinessId, channel: "call", now: () => NOW }, "transfer_to_human", {});
      expect(noLine.result).toMatchObject({ hasAgentLine: false });
    });

    test("a returning customer is greeted by name and the name is reused for the booking", async () => {
      const [c] = await h.db.insert(customers).values({ businessId, fullName: "רונית לוי", phone: "+972541112277", source: "call" }).returning();
      const ctx = newCall("+972541112277", { customerId: c!.id });
      const hello = await say(ctx, "שלום, אני מחפשת לשכור דירה בגבעתיים");
      expect(hello.text).toContain("רונית");
      expect(hello.text).toContain("חדרים");
    });

    test("outside opening hours (Saturday) the brain offers the next open slot and books it on 'כן'", async () => {
      const ctx = newCall("+972541113300");
      await say(ctx, "אני מחפש לשכור דירת 3 חדרים בחיפה");
      const offer = await say(ctx, "עד 5000 שקל");
      expect(offer.text).toContain("צפייה");
      await say(ctx, "כן");
      await say(ctx, "שמי אורי");
      const closed = await say(ctx, "בשבת בעשר בבוקר");
      const attempt = closed.tools.find((t) => t.name === "book_viewing")!.result as { booked: boolean; reason: string; alternativeStartsAt: string };
      expect(attempt).toMatchObject({ booked: false, reason: "closed" });
      const alt = localParts(new Date(attempt.alternativeStartsAt), "Asia/Jerusalem");
      // Seeded hours: Saturday closed, Sunday from 09:00.
      expect([alt.weekday, alt.hour, alt.minute]).toEqual([0, 9, 0]);
      expect(closed.text).toContain("סגור");
      expect(closed.text).toContain("ביום ראשון בתשע בבוקר");
      const yes = await say(ctx, "כן, מתאים");
      expect((yes.tools.find((t) => t.name === "book_viewing")!.result as { booked: boolean }).booked).toBe(true);
      expect(yes.text).toContain("אורי");
    });

    test("book_viewing refuses an overlapping slot on the same property and proposes the next free one", async () => {
      const scope: TToolScope = { businessId, channel: "call", callerPhone: "+972541112288", now: () => NOW };
      const [p] = await h.db.select().from(properties).where(and(eq(properties.businessId, businessId), eq(properties.city, "חיפה"))).limit(1);
      const startsAt = "2026-11-30T12:00:00.000Z";
      const first = await runTool(deps, scope, "book_viewing", { propertyId: p!.id, startsAt, customerName: "אבי" });
      expect((first.result as { booked: boolean }).booked).toBe(true);
      const clash = await runTool(deps, { ...scope, callerPhone: "+972541112299" }, "book_viewing", { propertyId: p!.id, startsAt: "2026-11-30T12:15:00.000Z" });
      const r = clash.result as { booked: boolean; alternativeStartsAt: string };
      expect(r.booked).toBe(false);
      expect(new Date(r.alternativeStartsAt).getTime()).toBeGreaterThanOrEqual(new Date("2026-11-30T12:30:00.000Z").getTime());
      const alt = await runTool(deps, { ...scope, callerPhone: "+972541112299" }, "book_viewing", { propertyId: p!.id, startsAt: r.alternativeStartsAt });
      expect((alt.result as { booked: boolean }).booked).toBe(true);
      // Two callers racing for one slot: exactly one wins.
      const race = await Promise.all(
        ["+972541110001", "+972541110002"].map((ph) => runTool(deps, { ...scope, callerPhone: ph }, "book_viewing", { propertyId: p!.id, startsAt: "2026-12-01T09:00:00.000Z" })),
      );
      expect(race.filter((x) => (x.result as { booked: boolean }).booked).length).toBe(1);
      // A time without an offset is Jerusalem wall-clock time, not the server's (UTC here).
      const local = await runTool(deps, { ...scope, callerPhone: "+972541110003" }, "book_viewing", { propertyId: p!.id, startsAt: "2026-12-02T10:00" });
      expect((local.result as { startsAt: string }).startsAt).toBe("2026-12-02T08:00:00.000Z");
      const garbage = await runTool(deps, scope, "book_viewing", { propertyId: p!.id, startsAt: "מחר בחמש" });
      expect(garbage.ok).toBe(false);
      expect(JSON.stringify(garbage.result)).toContain("not a valid date");
      const bad = await runTool(deps, scope, "book_viewing", { propertyId: p!.id, startsAt: "2020-01-01T10:00:00Z" });
      expect(bad.ok).toBe(false);
      expect(JSON.stringify(bad.result)).toContain("past");
      const junk = await runTool(deps, scope, "book_viewing", "{not json");
      expect(bad.ok && junk.ok).toBe(false);
    });

    test("tools are tenant-scoped: another business's listings, customers and properties stay invisible", async () => {
      const scopeA: TToolScope = { businessId, channel: "call", callerPhone: "+972549990000", now: () => NOW };
      const scopeB: TToolScope = { businessId: otherBusinessId, channel: "call", callerPhone: "+972549990000", now: () => NOW };
      const a = (await runTool(deps, scopeA, "search_properties", { dealType: "sale", city: "רמת גן", limit: 10 })).result as TSearchPropertiesResult;
      expect(a.items.length).toBeGreaterThan(0);
      expect(a.items.map((p: TPropertyHit) => p.id)).not.toContain(otherPropertyId);
      // Spellings a model may send resolve to the same city.
      for (const spelling of ["Ramat Gan", "רמת-גן", 'ר"ג']) {
        const again = (await runTool(deps, scopeA, "search_properties", { dealType: "sale", city: spelling, limit: 10 })).result as TSearchPropertiesResult;
        expect(again.items.map((p) => p.id)).toEqual(a.items.map((p) => p.id));
      }
      const b = (await runTool(deps, scopeB, "search_properties", { dealType: "sale", city: "רמת גן", limit: 10 })).result as TSearchPropertiesResult;
      expect(b.items.map((p) => p.id)).toEqual([otherPropertyId]);
      const steal = await runTool(deps, scopeA, "book_viewing", { propertyId: otherPropertyId, startsAt: "2026-12-02T10:00:00Z" });
      expect(steal.ok).toBe(false);
      expect((steal.result as { code: string }).code).toBe("NOT_FOUND");
      const leadA = (await runTool(deps, scopeA, "create_or_update_lead", { name: "שרה" })).result as { customerId: string };
      const leadB = (await runTool(deps, scopeB, "create_or_update_lead", { name: "שרה" })).result as { customerId: string };
      expect(leadA.customerId).not.toBe(leadB.customerId);
      const cross = await runTool(deps, { ...scopeA, customerId: leadB.customerId }, "create_or_update_lead", { name: "גנבה" });
      expect(cross.ok).toBe(false);
      const [untouched] = await h.db.select().from(customers).where(eq(customers.id, leadB.customerId));
      expect(untouched!.fullName).toBe("שרה");
    });

    test("create_or_update_lead merges requirements and never moves the status backwards", async () => {
      const scope: TToolScope = { businessId, channel: "whatsapp", callerPhone: "whatsapp:+972547770000", now: () => NOW };
      await runTool(deps, scope, "create_or_update_lead", { requirements: { dealType: "rent", cities: ["חיפה"] }, status: "viewing" });
      const second = await runTool(deps, scope, "create_or_update_lead", { name: "מיכל", requirements: { cities: ["גבעתיים"], budgetMax: 7000 }, status: "new" });
      const r = second.result as { created: boolean; status: string; requirements: Record<string, unknown> };
      expect(r.created).toBe(false);
      expect(r.status).toBe("viewing");
      expect(r.requirements).toMatchObject({ dealType: "rent", budgetMax: 7000 });
      expect((r.requirements.cities as string[]).sort()).toEqual(["גבעתיים", "חיפה"].sort());
      const rows = await h.db.select().from(customers).where(and(eq(customers.businessId, businessId), eq(customers.phone, "+972547770000")));
      expect(rows.length).toBe(1);
      expect(rows[0]!.source).toBe("whatsapp");
    });
  });
}
