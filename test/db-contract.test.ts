/** One database contract suite, run on PGlite and (when DATABASE_URL is set) PostgreSQL. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq, sql } from "drizzle-orm";
import { verifyPassword } from "../core/kernel/password";
import { businesses, callLogs, conversationTurns, customers, properties, users } from "../db/schema";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../db/seed/seed-demo";
import { createTestDb, DB_KINDS, rowsOf, type TTestDb } from "./helpers/db";

async function expectFailure(q: PromiseLike<unknown>): Promise<void> {
  let failed = false;
  try {
    await q;
  } catch {
    failed = true;
  }
  expect(failed).toBe(true);
}

for (const kind of DB_KINDS) {
  describe(`database contract [${kind}]`, () => {
    let h: TTestDb;
    let businessId: string;
    beforeAll(async () => {
      h = await createTestDb(kind);
      const seed = await seedDemo(h.db, { adminPassword: "initial-pass-42" });
      expect(seed.seeded).toBe(true);
      businessId = seed.businessId!;
    });
    afterAll(async () => {
      await h.destroy();
    });

    test("every contract table exists", async () => {
      const rows = rowsOf<{ table_name: string }>(
        await h.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public'`),
      ).map((r) => r.table_name);
      for (const t of [
        "businesses",
        "users",
        "customers",
        "call_logs",
        "conversation_turns",
        "appointment_requests",
        "properties",
        "tasks",
        "whatsapp_messages",
        "contracts",
        "invoices",
        "payment_links",
        "audit_log",
      ]) {
        expect(rows).toContain(t);
      }
    });

    test("seed: the demo agency, one hashed admin, ~30 listings; a second run is a no-op", async () => {
      const [b] = await h.db.select().from(businesses);
      expect(b!.name).toBe("שי דירות ומשרדים בע״מ");
      const [admin] = await h.db.select().from(users).where(eq(users.email, DEMO_ADMIN_EMAIL));
      expect(admin!.role).toBe("admin");
      expect(admin!.passwordHash).not.toContain("initial-pass-42");
      expect(admin!.passwordHash.startsWith("$argon2id$")).toBe(true);
      expect(await verifyPassword("initial-pass-42", admin!.passwordHash)).toBe(true);
      expect(await verifyPassword("wrong", admin!.passwordHash)).toBe(false);
      const [{ n }] = (await h.db.select({ n: count() }).from(properties)) as [{ n: number }];
      expect(n).toBeGreaterThanOrEqual(28);
      const cities = rowsOf<{ city: string }>(await h.db.execute(sql`select distinct city from properties`)).map((r) => r.city);
      for (const c of ["תל אביב", "רמת גן", "ירושלים", "חיפה"]) expect(cities).toContain(c);
      const types = rowsOf<{ t: string }>(await h.db.execute(sql`select distinct deal_type::text || '/' || property_type::text as t from properties`)).map(
        (r) => r.t,
      );
      for (const t of ["sale/apartment", "rent/apartment", "sale/office", "rent/office"]) expect(types).toContain(t);
      expect((await seedDemo(h.db)).seeded).toBe(false);
      const [{ n: nb }] = (await h.db.select({ n: count() }).from(businesses)) as [{ n: number }];
      expect(nb).toBe(1);
    });

    test("pg_trgm is loaded: Hebrew similarity and trigram search", async () => {
      const [row] = rowsOf<{ s: number }>(await h.db.execute(sql`select similarity('דירה בתל אביב', 'דירות תל אביב') as s`));
      expect(Number(row!.s)).toBeGreaterThan(0.4);
      await h.db.insert(customers).values([
        { businessId, fullName: "יוסי לוי", phone: "+972521111111", notes: "מחפש 4 חדרים ברמת-גן" },
        { businessId, fullName: "דנה כהן", phone: "+972522222222", notes: "משרד בתל אביב" },
      ]);
      const hits = rowsOf<{ full_name: string }>(
        await h.db.execute(
          sql`select full_name from customers where business_id = ${businessId} and ${"רמת גן"} <% notes order by word_similarity(${"רמת גן"}, notes) desc`,
        ),
      );
      expect(hits[0]?.full_name).toBe("יוסי לוי");
      expect(hits.map((r) => r.full_name)).not.toContain("דנה כהן");
    });

    test("a phone is unique per business, not across businesses", async () => {
      const [other] = await h.db.insert(businesses).values({ name: "סוכנות אחרת", slug: `other-${kind}` }).returning();
      await h.db.insert(customers).values({ businessId: other!.id, fullName: "יוסי לוי", phone: "+972521111111" });
      await expectFailure(h.db.insert(customers).values({ businessId, phone: "+972521111111" }));
      // Phones may be missing on many rows.
      await h.db.insert(customers).values([{ businessId }, { businessId }]);
    });

    test("turns: (call_id, seq) unique so retried writes stay idempotent; cascade on call delete", async () => {
      const [call] = await h.db.insert(callLogs).values({ businessId, callSid: `CA_contract_${kind}` }).returning();
      const turn = { businessId, callId: call!.id, seq: 1, speaker: "caller" as const, text: "שלום, אני מחפש דירה" };
      await h.db.insert(conversationTurns).values(turn);
      await h.db.insert(conversationTurns).values(turn).onConflictDoNothing();
      await expectFailure(h.db.insert(conversationTurns).values(turn));
      const rows = await h.db.select().from(conversationTurns).where(eq(conversationTurns.callId, call!.id));
      expect(rows).toHaveLength(1);
      await h.db.delete(callLogs).where(eq(callLogs.id, call!.id));
      expect(await h.db.select().from(conversationTurns).where(eq(conversationTurns.callId, call!.id))).toHaveLength(0);
    });

    test("call_sid is unique", async () => {
      await h.db.insert(callLogs).values({ businessId, callSid: `CA_u_${kind}` });
      await expectFailure(h.db.insert(callLogs).values({ businessId, callSid: `CA_u_${kind}` }));
    });

    test("status columns are enums", async () => {
      await expectFailure(h.db.execute(sql`insert into customers (business_id, status) values (${businessId}, 'bogus')`));
    });
  });
}
