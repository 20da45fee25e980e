/**
 * search.global (#17): one ranked, grouped list over customers, calls and
 * transcripts, listings, WhatsApp/SMS messages, contracts and invoices, with
 * Hebrew normalisation, typo correction through the lexicon, customers found
 * by what they want, test calls kept out, and tenants kept apart. Through the
 * real tRPC router on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { callLogs, contracts, conversationTurns, customers, invoices, properties, whatsappMessages } from "../db/schema";
import { planQuery } from "../api/services/search/plan-query";
import { DB_KINDS } from "./helpers/db";
import { createTestApp, type TTestApp } from "./helpers/app";
import { adminClient, createTenant, type TTestClient } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`search.global (${kind})`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    const ids = {} as Record<"goldberg" | "buyer" | "tester" | "call" | "testCall" | "property", string>;

    beforeAll(async () => {
      t = await createTestApp(kind);
      admin = await adminClient(t);
      const b = t.businessId;
      const db = t.db.db;
      const [goldberg, buyer, tester] = await db
        .insert(customers)
        .values([
          { businessId: b, fullName: "יוסי גולדברג", phone: "+972541110001", notes: "מעדיף קומה גבוהה" },
          { businessId: b, fullName: "רונית שמש", phone: "+972541110002", requirements: { dealType: "sale", cities: ["רמת-גן"], budgetMax: 3_000_000 } },
          { businessId: b, fullName: "ליד ניסיון גולדברג", phone: "+972541110003", isTest: true },
        ])
        .returning();
      ids.goldberg = goldberg!.id;
      ids.buyer = buyer!.id;
      ids.tester = tester!.id;
      const [call, testCall] = await db
        .insert(callLogs)
        .values([
          { businessId: b, callSid: "CAsearch1", customerId: goldberg!.id, fromNumber: "+972541110001", status: "completed", summary: "שאל על דירה עם מרפסת" },
          { businessId: b, callSid: "CAsearchtest", direction: "test", status: "completed", summary: "שיחת ניסיון על מרפסת" },
        ])
        .returning();
      ids.call = call!.id;
      ids.testCall = testCall!.id;
      await db.insert(conversationTurns).values([
        { businessId: b, callId: call!.id, seq: 1, speaker: "caller", text: "יש בבניין מעלית ומחסן?" },
        { businessId: b, callId: testCall!.id, seq: 1, speaker: "caller", text: "בדיקה של מחסן" },
      ]);
      // A tool turn holds raw JSON for the agent: never a search hit.
      const [toolCall] = await db.insert(callLogs).values({ businessId: b, callSid: "CAsearchtool", status: "completed" }).returning();
      await db.insert(conversationTurns).values({ businessId: b, callId: toolCall!.id, seq: 1, speaker: "tool", text: '{"query":"מחסן","results":[]}' });
      const [prop] = await db
        .insert(properties)
        .values({ businessId: b, title: "פנטהאוז ברחוב ביאליק", dealType: "sale", propertyType: "penthouse", city: "רמת גן", price: 4_200_000 })
        .returning();
      ids.property = prop!.id;
      await db.insert(whatsappMessages).values([
        { businessId: b, customerId: goldberg!.id, provider: "twilio", direction: "in", author: "customer", fromNumber: "+972541110001", toNumber: "+97235550100", body: "אפשר לראות את הדירה ביום חמישי?", status: "received" },
        { businessId: b, customerId: goldberg!.id, provider: "sms", direction: "in", author: "customer", fromNumber: "+972541110001", toNumber: "+97235550100", body: "מאשר את החוזה", status: "received" },
      ]);
      await db.insert(contracts).values({ businessId: b, customerId: goldberg!.id, template: "brokerage", title: "הסכם תיווך גולדברג", body: "..." });
      await db.insert(invoices).values({
        businessId: b,
        customerId: goldberg!.id,
        type: "tax_invoice",
        number: 1042,
        issueDate: "2026-11-01",
        customerName: "יוסי גולדברג",
        lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: 100_000 }],
        subtotalAgorot: 100_000,
        vatRateBp: 1800,
        vatAgorot: 18_000,
        totalAgorot: 118_000,
      });
    }, 120_000);
    afterAll(() => t.close());

    const kindsOf = (r: { groups: { kind: string; hits: { id: string }[] }[] }) => Object.fromEntries(r.groups.map((g) => [g.kind, g.hits.map((h) => h.id)]));

    test("one query finds the customer, their call, contract and invoice, grouped by kind and ranked", async () => {
      const r = await admin.api.search.global.query({ q: "גולדברג" });
      const by = kindsOf(r);
      expect(by.customer).toEqual([ids.goldberg]);
      expect(by.contract?.length).toBe(1);
      expect(by.invoice?.length).toBe(1);
      expect(r.corrected).toBeNull();
      // The customer whose name is the query leads the list.
      expect(r.groups[0]!.kind).toBe("customer");
      expect(r.groups[0]!.label).toBe("לקוחות");
    });

    test("a typo is corrected through the lexicon: גולדבג finds גולדברג", async () => {
      const r = await admin.api.search.global.query({ q: "גולדבג" });
      expect(r.corrected).toBe("גולדברג");
      expect(kindsOf(r).customer).toEqual([ids.goldberg]);
      expect(r.groups[0]!.hits[0]!.score).toBeLessThan(1);
    });

    test("customers are found by what they want, with a hyphen-insensitive match (רמת גן → רמת-גן)", async () => {
      const r = await admin.api.search.global.query({ q: "רמת גן" });
      const hits = r.groups.find((g) => g.kind === "customer")!.hits;
      expect(hits.map((h) => h.id)).toEqual([ids.buyer]);
      expect(hits[0]!.snippet).toBe("קונה ברמת-גן");
      expect(kindsOf(r).property).toContain(ids.property);
    });

    test("transcripts and messages (WhatsApp and SMS) are searched; test calls stay out unless asked", async () => {
      const r = await admin.api.search.global.query({ q: "מחסן" });
      const calls = r.groups.find((g) => g.kind === "call")!.hits;
      expect(calls.map((h) => h.id)).toEqual([ids.call]);
      expect(calls[0]!.snippet).toContain("מעלית ומחסן");
      expect((await admin.api.calls.search.query({ q: "מחסן" })).turns.map((x) => x.speaker)).toEqual(["caller"]);
      const withTest = await admin.api.search.global.query({ q: "מחסן", includeTest: true });
      expect(kindsOf(withTest).call?.sort()).toEqual([ids.call, ids.testCall].sort());
      expect(kindsOf(await admin.api.search.global.query({ q: "גולדברג", includeTest: true })).customer).toContain(ids.tester);

      const wa = await admin.api.search.global.query({ q: "יום חמישי" });
      expect(wa.groups.find((g) => g.kind === "message")!.hits[0]!.title).toBe("וואטסאפ: יוסי גולדברג");
      const sms = await admin.api.search.global.query({ q: "מאשר" });
      expect(sms.groups.find((g) => g.kind === "message")!.hits[0]!.title).toBe("SMS: יוסי גולדברג");
    });

    test("phone digits and invoice numbers", async () => {
      expect(kindsOf(await admin.api.search.global.query({ q: "054-111-0002" })).customer).toEqual([ids.buyer]);
      expect(kindsOf(await admin.api.search.global.query({ q: "1042" })).invoice?.length).toBe(1);
    });

    test("another business sees nothing of this one, and staff see only the kinds they are allowed", async () => {
      const other = await createTenant(t, { permissions: ["customers", "calls", "properties", "whatsapp", "billing"] });
      const r = await other.api.search.global.query({ q: "גולדברג" });
      expect(r.groups).toEqual([]);
      const own = await createTenant(t, { businessId: t.businessId, permissions: ["customers"] });
      const limited = await own.api.search.global.query({ q: "גולדברג" });
      expect(limited.groups.map((g) => g.kind)).toEqual(["customer"]);
    });

    test("an empty query is refused in Hebrew; a query with no hit returns no groups", async () => {
      await expect(admin.api.search.global.query({ q: "   " })).rejects.toThrow("הנתונים שנשלחו אינם תקינים (q)");
      expect((await admin.api.search.global.query({ q: "קקקקקק" })).groups).toEqual([]);
    });

    test("the lexicon follows writes: a renamed customer's new name corrects at once", async () => {
      const plan = await planQuery(t.db.db, t.businessId, "אוסטרובסקי");
      expect(plan.corrected).toBeNull();
      await admin.api.customers.update.mutate({ id: ids.buyer, fullName: "רונית אוסטרובסקי" });
      const typo = await planQuery(t.db.db, t.businessId, "אוסטרובסקה");
      expect(typo.corrected).toBe("אוסטרובסקי");
    });
  });
}
