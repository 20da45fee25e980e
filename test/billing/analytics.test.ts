import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appointmentRequests, callLogs, conversationTurns, customers, invoices, paymentLinks, whatsappMessages } from "../../db/schema";
import { seedDemo } from "../../db/seed/seed-demo";
import { AppError } from "../../core/kernel/errors";
import { analyticsReport } from "../../api/services/analytics/analytics-report";
import { exportAnalyticsCsv } from "../../api/services/analytics/export-analytics-csv";
import { createOtherBusiness, scopeFor } from "../helpers/billing";
import { createTestDb, DB_KINDS, type TTestDb, TEST_PASSWORD_COST } from "../helpers/db";

const at = (s: string) => new Date(s);

/** A week in March 2026 (Israel is UTC+2 until 27 March). */
async function seedWeek(db: TTestDb, businessId: string, otherId: string) {
  const d = db.db;
  const calls = await d
    .insert(callLogs)
    .values([
      // 1 March, late evening local time (21:30 UTC): still 1 March in Israel.
      { businessId, callSid: "CA01", startedAt: at("2026-03-01T23:30:00+02:00"), answeredAt: at("2026-03-01T23:30:01+02:00"), durationSec: 120, status: "completed" as const },
      { businessId, callSid: "CA02", startedAt: at("2026-03-02T10:00:00+02:00"), answeredAt: at("2026-03-02T10:00:01+02:00"), durationSec: 60, status: "completed" as const },
      { businessId, callSid: "CA03", startedAt: at("2026-03-02T11:00:00+02:00"), answeredAt: at("2026-03-02T11:00:01+02:00"), durationSec: 300, status: "completed" as const, transferred: true },
      { businessId, callSid: "CA04", startedAt: at("2026-03-03T09:00:00+02:00"), status: "no_answer" as const },
      // 8 March 00:30 local = 7 March 22:30 UTC: outside a range ending 7 March.
      { businessId, callSid: "CA05", startedAt: at("2026-03-08T00:30:00+02:00"), answeredAt: at("2026-03-08T00:30:01+02:00"), durationSec: 999, status: "completed" as const },
      { businessId: otherId, callSid: "CA99", startedAt: at("2026-03-02T10:00:00+02:00"), answeredAt: at("2026-03-02T10:00:01+02:00"), durationSec: 5, status: "completed" as const },
    ])
    .returning();
  // Ten assistant turns with total latency 100, 200, …, 1000 ms.
  await d.insert(conversationTurns).values(
    Array.from({ length: 10 }, (_, i) => ({
      businessId,
      callId: calls[1]!.id,
      seq: i,
      speaker: "assistant" as const,
      text: `תור ${i}`,
      startedAt: at("2026-03-02T10:01:00+02:00"),
      metrics: { totalMs: (i + 1) * 100 },
    })),
  );
  await d.insert(conversationTurns).values({ businessId: otherId, callId: calls[5]!.id, seq: 0, speaker: "assistant" as const, text: "x", startedAt: at("2026-03-02T10:01:00+02:00"), metrics: { totalMs: 99_999 } });

  const mk = (name: string, source: "call" | "whatsapp" | "manual", status: "new" | "contacted" | "qualified" | "viewing" | "negotiation" | "won" | "lost", created: string, biz = businessId) => ({
    businessId: biz,
    fullName: name,
    source,
    status,
    createdAt: at(created),
  });
  const cs = await d
    .insert(customers)
    .values([
      mk("א", "call", "new", "2026-03-02T12:00:00+02:00"),
      mk("ב", "call", "contacted", "2026-03-02T12:00:00+02:00"),
      mk("ג", "call", "viewing", "2026-03-03T12:00:00+02:00"),
      mk("ד", "whatsapp", "won", "2026-03-04T12:00:00+02:00"),
      mk("ה", "whatsapp", "lost", "2026-03-05T12:00:00+02:00"),
      mk("ו", "manual", "negotiation", "2026-03-06T12:00:00+02:00"),
      mk("ישן", "call", "won", "2026-01-01T12:00:00+02:00"),
      mk("אחר", "call", "won", "2026-03-02T12:00:00+02:00", otherId),
    ])
    .returning();
  await d.insert(appointmentRequests).values([
    { businessId, customerId: cs[2]!.id, startsAt: at("2026-03-05T10:00:00+02:00"), endsAt: at("2026-03-05T10:30:00+02:00"), status: "done" as const },
    { businessId, customerId: cs[3]!.id, startsAt: at("2026-03-05T11:00:00+02:00"), endsAt: at("2026-03-05T11:30:00+02:00"), status: "done" as const },
    { businessId, customerId: cs[3]!.id, startsAt: at("2026-03-06T11:00:00+02:00"), endsAt: at("2026-03-06T11:30:00+02:00"), status: "confirmed" as const },
    { businessId, customerId: cs[0]!.id, startsAt: at("2026-03-06T11:00:00+02:00"), endsAt: at("2026-03-06T11:30:00+02:00"), status: "cancelled" as const },
  ]);
  const wa = (customerId: string, direction: "in" | "out", time: string, biz = businessId) => ({
    businessId: biz,
    customerId,
    provider: "baileys" as const,
    direction,
    author: direction === "in" ? ("customer" as const) : ("ai" as const),
    fromNumber: "+972500000000",
    toNumber: "+97235550100",
    body: "שלום",
    status: "received" as const,
    sentAt: at(time),
  });
  await d.insert(whatsappMessages).values([
    // Customer D: asks (2 messages in a row = one turn), reply after 10 s; asks again, reply after 30 s.
    wa(cs[3]!.id, "in", "2026-03-04T12:00:00+02:00"),
    wa(cs[3]!.id, "in", "2026-03-04T12:00:05+02:00"),
    wa(cs[3]!.id, "out", "2026-03-04T12:00:10+02:00"),
    wa(cs[3]!.id, "in", "2026-03-04T13:00:00+02:00"),
    wa(cs[3]!.id, "out", "2026-03-04T13:00:30+02:00"),
    // Customer E: reply after 120 s.
    wa(cs[4]!.id, "in", "2026-03-05T09:00:00+02:00"),
    wa(cs[4]!.id, "out", "2026-03-05T09:02:00+02:00"),
    wa(cs[7]!.id, "in", "2026-03-02T09:00:00+02:00", otherId),
  ]);
  const inv = (type: "tax_invoice" | "credit_note" | "receipt", number: number, subtotal: number, status: "issued" | "paid", date: string, biz = businessId) => ({
    businessId: biz,
    type,
    number,
    status,
    issueDate: date,
    customerName: "ד",
    lines: [],
    subtotalAgorot: subtotal,
    vatRateBp: type === "receipt" ? 0 : 1800,
    vatAgorot: type === "receipt" ? 0 : Math.round(subtotal * 0.18),
    totalAgorot: type === "receipt" ? subtotal : subtotal + Math.round(subtotal * 0.18),
  });
  const [paidInv] = await d
    .insert(invoices)
    .values([
      inv("tax_invoice", 1, 1_000_000, "paid", "2026-03-04"),
      inv("tax_invoice", 2, 500_000, "issued", "2026-03-06"),
      inv("credit_note", 1, 100_000, "issued", "2026-03-06"),
      inv("receipt", 1, 1_180_000, "paid", "2026-03-04"),
      inv("tax_invoice", 3, 7_000_000, "paid", "2026-02-01"),
      inv("tax_invoice", 1, 9_000_000, "paid", "2026-03-04", otherId),
    ])
    .returning();
  await d.insert(paymentLinks).values({ businessId, invoiceId: paidInv!.id, provider: "tranzila", providerRef: "1", amountAgorot: 1_180_000, status: "paid", paidAt: at("2026-03-04T15:00:00+02:00") });
}

for (const kind of DB_KINDS) {
  describe(`analytics report (${kind})`, () => {
    let db: TTestDb;
    let businessId: string;

    beforeAll(async () => {
      db = await createTestDb(kind);
      businessId = (await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST })).businessId!;
      await seedWeek(db, businessId, await createOtherBusiness(db.db));
    }, 180_000);
    afterAll(() => db.destroy(), 30_000);

    const range = { from: "2026-03-01", to: "2026-03-07" };

    test("calls per local day, AI-handled vs transferred, missed, handling time", async () => {
      const r = await analyticsReport(db.db, scopeFor(businessId), range);
      expect(r.days.length).toBe(7);
      expect(r.days.map((d) => d.calls)).toEqual([1, 2, 1, 0, 0, 0, 0]);
      expect(r.days[1]).toMatchObject({ day: "2026-03-02", aiHandled: 1, transferred: 1 });
      expect(r.calls).toEqual({ total: 4, aiHandled: 2, transferred: 1, missed: 1, avgHandlingSec: 160 });
    });

    test("per-turn latency percentiles from conversation_turns.metrics", async () => {
      const r = await analyticsReport(db.db, scopeFor(businessId), range);
      expect(r.turnLatencyMs).toEqual({ count: 10, avg: 550, p50: 550, p90: 910, p95: 955, p99: 991 });
    });

    test("leads by source, funnel and conversion to viewings and deals", async () => {
      const r = await analyticsReport(db.db, scopeFor(businessId), range);
      expect(r.leadsBySource).toEqual([
        { source: "call", count: 3 },
        { source: "whatsapp", count: 2 },
        { source: "manual", count: 1 },
      ]);
      const f = Object.fromEntries(r.funnel.map((s) => [s.status, s.reached]));
      expect(f).toEqual({ new: 6, contacted: 4, qualified: 3, viewing: 3, negotiation: 2, won: 1, lost: 1 });
      expect(r.conversion).toEqual({ leads: 6, withViewing: 2, won: 1, viewingRate: 33.3, dealRate: 16.7 });
    });

    test("WhatsApp first-response times per customer turn", async () => {
      const r = await analyticsReport(db.db, scopeFor(businessId), range);
      expect(r.whatsappResponseSec.count).toBe(3);
      expect(r.whatsappResponseSec.p50).toBe(30);
      expect(r.whatsappResponseSec.avg).toBeCloseTo((10 + 30 + 120) / 3, 0);
      expect(r.days.find((d) => d.day === "2026-03-04")!.whatsappIn).toBe(3);
    });

    test("revenue: invoices net of credit notes before VAT, paid totals, paid links", async () => {
      const r = await analyticsReport(db.db, scopeFor(businessId), range);
      expect(r.revenue).toEqual({ invoicedAgorot: 1_500_000, creditedAgorot: 100_000, netAgorot: 1_400_000, paidAgorot: 1_180_000, paidViaLinksAgorot: 1_180_000 });
      expect(r.days.find((d) => d.day === "2026-03-06")!.invoicedAgorot).toBe(400_000);
    });

    test("CSV export: BOM, Hebrew headers, one row per day and a total", async () => {
      const { csv, filename } = await exportAnalyticsCsv(db.db, scopeFor(businessId), range);
      expect(filename).toBe("kesher-analytics-2026-03-01-2026-03-07.csv");
      expect(csv.startsWith("\uFEFFתאריך,שיחות,")).toBe(true);
      const lines = csv.trim().split("\r\n");
      expect(lines.length).toBe(9);
      expect(lines[2]).toBe("02/03/2026,2,1,1,2,0,₪0.00,₪0.00");
      expect(lines[8]).toBe('סה״כ,4,2,1,6,4,"₪14,000.00","₪11,800.00"');
      expect(csv).not.toContain("\u200f");
    });

    test("bad ranges are refused in Hebrew; the default range ends today", async () => {
      const err = await analyticsReport(db.db, scopeFor(businessId), { from: "2026-03-07", to: "2026-03-01" }).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).userMessage).toContain("תאריך");
      await expect(analyticsReport(db.db, scopeFor(businessId), { from: "2024-01-01", to: "2026-03-01" })).rejects.toThrow(AppError);
      const def = await analyticsReport(db.db, scopeFor(businessId));
      expect(def.days.length).toBe(30);
    });
  });
}
