/**
 * The local Hebrew brain end to end on a real database (PGlite, and PostgreSQL
 * when DATABASE_URL is set): conversations during opening hours, dialog →
 * tools → rows in appointment_requests and customers. After-hours behaviour
 * and the tools' own rules are in local-brain-hours-tools.test.ts.
 */
import { beforeAll, afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { appointmentRequests, customers } from "../db/schema";
import { speakPrice } from "../core/conversation/brain/hebrew-numbers";
import { localParts } from "../core/conversation/brain/hebrew-time";
import { DEMO_CALLER_SCRIPT } from "../core/conversation/brain/demo-script";
import { createLocalAgent } from "../core/conversation/brain/local-agent";
import type { TSearchPropertiesResult } from "../core/conversation/brain/tools/search-properties";
import { startBrainFixture, type TBrainFixture } from "./helpers/local-brain";
import { DB_KINDS } from "./helpers/db";

for (const kind of DB_KINDS) {
  describe(`local brain on ${kind}`, () => {
    setDefaultTimeout(30_000);
    let f: TBrainFixture;
    let h: TBrainFixture["h"];
    let businessId: TBrainFixture["businessId"];
    let deps: TBrainFixture["deps"];
    let published: TBrainFixture["published"];
    let newCall: TBrainFixture["newCall"];
    let say: TBrainFixture["say"];

    beforeAll(async () => {
      f = await startBrainFixture(kind);
      ({ h, businessId, deps, published, newCall, say } = f);
    }, 180_000);
    afterAll(() => f.h.destroy());

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

    test("a returning customer is greeted by name and the name is reused for the booking", async () => {
      const [c] = await h.db.insert(customers).values({ businessId, fullName: "רונית לוי", phone: "+972541112277", source: "call" }).returning();
      const ctx = newCall("+972541112277", { customerId: c!.id });
      const hello = await say(ctx, "שלום, אני מחפשת לשכור דירה בגבעתיים");
      expect(hello.text).toContain("רונית");
      expect(hello.text).toContain("חדרים");
    });
  });
}
