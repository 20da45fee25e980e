/**
 * The local Hebrew brain on a real database: after hours (a message, or the
 * next open slot), and its tools called directly — book_viewing's conflict
 * check, tenant scoping, create_or_update_lead's merge rules.
 */
import { beforeAll, afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { customers, properties } from "../db/schema";
import { localParts } from "../core/conversation/brain/hebrew-time";
import { createLocalAgent } from "../core/conversation/brain/local-agent";
import type { TPropertyHit, TSearchPropertiesResult } from "../core/conversation/brain/tools/search-properties";
import { runTool } from "../core/conversation/brain/tools/tool-registry";
import type { TToolScope } from "../core/conversation/brain/tools/types";
import type { TConversationContext } from "../core/conversation/brain/types";
import { NOW, startBrainFixture, type TBrainFixture, type TTurn } from "./helpers/local-brain";
import { DB_KINDS } from "./helpers/db";

for (const kind of DB_KINDS) {
  describe(`local brain: hours and tools on ${kind}`, () => {
    setDefaultTimeout(30_000);
    let f: TBrainFixture;
    let h: TBrainFixture["h"];
    let businessId: TBrainFixture["businessId"];
    let otherBusinessId: TBrainFixture["otherBusinessId"];
    let otherPropertyId: TBrainFixture["otherPropertyId"];
    let deps: TBrainFixture["deps"];
    let newCall: TBrainFixture["newCall"];
    let say: TBrainFixture["say"];

    beforeAll(async () => {
      f = await startBrainFixture(kind);
      ({ h, businessId, otherBusinessId, otherPropertyId, deps, newCall, say } = f);
    }, 180_000);
    afterAll(() => f.h.destroy());

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
