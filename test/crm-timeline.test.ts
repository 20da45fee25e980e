/**
 * Timeline and notes (#17): notes are separate entries with author and time;
 * the customer timeline shows calls (with sentiment), messages, viewings with
 * the listing, tasks, documents, payments and notes in order; tasks carry the
 * customer's name; analytics counts calls by sentiment.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appointmentRequests, callLogs, contracts, customers, paymentLinks, properties, tasks, whatsappMessages } from "../db/schema";
import { DB_KINDS } from "./helpers/db";
import { createTestApp, type TTestApp } from "./helpers/app";
import { adminClient, createTenant, type TTestClient } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`customer timeline and notes (${kind})`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    let customerId: string;
    const at = (min: number) => new Date(Date.UTC(2026, 10, 1, 10, min));

    beforeAll(async () => {
      t = await createTestApp(kind);
      admin = await adminClient(t);
      const b = t.businessId;
      const db = t.db.db;
      const [c] = await db.insert(customers).values({ businessId: b, fullName: "מיכל ציר", phone: "+972541239001", sentiment: "positive" }).returning();
      customerId = c!.id;
      const [p] = await db.insert(properties).values({ businessId: b, title: "דירת גן בהדר", dealType: "sale", propertyType: "apartment", city: "חיפה", price: 1_900_000 }).returning();
      await db.insert(callLogs).values({ businessId: b, callSid: "CAtl1", customerId, status: "completed", startedAt: at(1), summary: "מחפשת דירת גן", sentiment: "positive" });
      await db.insert(whatsappMessages).values({ businessId: b, customerId, provider: "sms", direction: "in", author: "customer", fromNumber: "+972541239001", toNumber: "+97235550100", body: "תודה!", status: "received", sentAt: at(2) });
      await db.insert(appointmentRequests).values({ businessId: b, customerId, propertyId: p!.id, startsAt: at(600), endsAt: at(630), createdAt: at(3) });
      await db.insert(tasks).values({ businessId: b, customerId, title: "לשלוח תוכניות", createdAt: at(4) });
      await db.insert(contracts).values({ businessId: b, customerId, template: "brokerage", title: "הסכם תיווך", body: "...", createdAt: at(5) });
      await db.insert(paymentLinks).values({ businessId: b, customerId, provider: "tranzila", amountAgorot: 50_000, status: "paid", paidAt: at(6), createdAt: at(6) });
    }, 120_000);
    afterAll(() => t.close());

    test("a note is its own entry with the author's name and time; the timeline is in order with every kind", async () => {
      const note = await admin.api.customers.addNote.mutate({ customerId, text: "  מעדיפה קומת קרקע  " });
      expect(note.text).toBe("מעדיפה קומת קרקע");
      expect(note.author).toBeTruthy();
      const second = await admin.api.customers.addNote.mutate({ customerId, text: "חזרה מחו״ל בדצמבר" });
      const d = await admin.api.customers.get.query({ id: customerId });
      const kinds = d.timeline.map((i) => i.kind);
      expect(kinds.slice(0, 2)).toEqual(["note", "note"]);
      expect(d.timeline[0]).toMatchObject({ kind: "note", id: second.id, author: note.author });
      // Older entries in time order, newest first.
      expect(kinds.slice(2)).toEqual(["payment", "contract", "task", "appointment", "whatsapp", "call"]);
      const viewing = d.timeline.find((i) => i.kind === "appointment");
      expect(viewing).toMatchObject({ propertyTitle: "דירת גן בהדר" });
      expect(d.timeline.find((i) => i.kind === "whatsapp")).toMatchObject({ channel: "sms" });
      expect(d.timeline.find((i) => i.kind === "call")).toMatchObject({ sentiment: "positive" });
      expect(d.customer.sentiment).toBe("positive");
    });

    test("bad notes are refused in Hebrew and nothing is written; another tenant cannot add or delete", async () => {
      await expect(admin.api.customers.addNote.mutate({ customerId, text: "   " })).rejects.toThrow("הנתונים שנשלחו אינם תקינים");
      const other = await createTenant(t, { permissions: ["customers"] });
      await expect(other.api.customers.addNote.mutate({ customerId, text: "פריצה" })).rejects.toThrow();
      const d = await admin.api.customers.get.query({ id: customerId });
      const notes = d.timeline.filter((i) => i.kind === "note");
      expect(notes.length).toBe(2);
      await expect(other.api.customers.deleteNote.mutate({ id: notes[0]!.id! })).rejects.toThrow();
      // A colleague in the same business cannot delete someone else's note; the author can.
      const colleague = await createTenant(t, { businessId: t.businessId, permissions: ["customers"] });
      await expect(colleague.api.customers.deleteNote.mutate({ id: notes[0]!.id! })).rejects.toThrow("אפשר למחוק רק הערות שכתבת");
      await admin.api.customers.deleteNote.mutate({ id: notes[0]!.id! });
      const after = await admin.api.customers.get.query({ id: customerId });
      expect(after.timeline.filter((i) => i.kind === "note").length).toBe(1);
    });

    test("tasks show the customer's name; analytics counts calls by sentiment", async () => {
      const list = await admin.api.tasks.list.query({});
      expect(list.find((x) => x.title === "לשלוח תוכניות")?.customerName).toBe("מיכל ציר");
      const r = await admin.api.analytics.report.query({ from: "2026-10-20", to: "2026-11-10" });
      expect(r.callsBySentiment).toEqual([{ sentiment: "positive", count: 1 }]);
    });
  });
}
