/**
 * Calls search finds a call by its summary or by its caller's name. The name
 * is kept on the call by triggers (migration 0017: `caller_name_norm`), so the
 * search reads call_logs alone, with the plan `newestIds` picks by how common
 * the words are (the newest calls walked, or counted and fetched). Whatever
 * the plan, `calls.list` pages and `calls.search` return exactly what the
 * plain `summary OR caller IN (customers named …)` query returns, in order,
 * also after customers are renamed, calls move to another customer and a
 * customer is deleted. PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { listCalls } from "../api/services/calls/list-calls";
import { searchAll } from "../api/services/calls/search-all";
import { COMMON_MATCHES } from "../api/services/search/newest-matches";
import { callLogs, conversationTurns, customers } from "../db/schema";
import type { TScope } from "../core/domain/scope";
import { createTestDb, DB_KINDS, rowsOf, type TTestDb } from "./helpers/db";

const T0 = Date.parse("2026-03-01T08:00:00Z");
/** Callers named כהן: common, so their calls are found among the newest. */
const COHENS = 2040;

for (const kind of DB_KINDS) {
  describe(`calls search, summary or caller (${kind})`, () => {
    let h: TTestDb;
    let scope: TScope;

    /** The plain query the service must agree with. */
    async function expected(word: string, opts: { skipTest: boolean; limit: number }): Promise<string[]> {
      const b = scope.businessId;
      return rowsOf<{ id: string }>(
        await h.db.execute(sql`select id from call_logs where business_id = ${b} ${opts.skipTest ? sql`and not is_test` : sql``}
          and (summary_norm like ${`%${word}%`} or customer_id in (select id from customers where business_id = ${b} and kesher_norm(full_name) like ${`%${word}%`}))
          order by started_at desc, id desc limit ${opts.limit}`),
      ).map((r) => r.id);
    }

    beforeAll(async () => {
      h = await createTestDb(kind, { seeded: true });
      const businessId = rowsOf<{ id: string }>(await h.db.execute(sql`select id from businesses order by created_at limit 1`))[0]!.id;
      scope = { businessId, userId: null, ip: null };
      // Customers: many כהן, three זיסמן, the rest לוי; one call each, interleaved in time.
      let named = 0;
      const people = Array.from({ length: Math.ceil((COHENS * 4) / 3) + 600 }, (_, i) => ({
        businessId,
        fullName: i % 4 === 3 ? `דנה לוי ${i}` : named++ < COHENS ? `אבי כהן ${i}` : `רות לוי ${i}`,
        phone: `+97252${String(1_000_000 + i).padStart(7, "0")}`,
      }));
      people[5]!.fullName = "משה זיסמן";
      people[7]!.fullName = "דנה זיסמן";
      const ids: string[] = [];
      for (let i = 0; i < people.length; i += 500) {
        ids.push(...(await h.db.insert(customers).values(people.slice(i, i + 500)).returning({ id: customers.id })).map((r) => r.id));
      }
      // Summaries: every fifth call mentions an elevator (common), two mention זיסמן without the caller being one.
      const calls = ids.map((customerId, i) => ({
        businessId,
        callSid: `CAsearch${i}`,
        customerId,
        status: "completed" as const,
        direction: i % 50 === 0 ? "test" : "inbound",
        startedAt: new Date(T0 + ((i * 7919) % ids.length) * 60_000),
        summary: i % 5 === 0 ? "שאל על מעלית וחניה" : i === 11 || i === 13 ? "הפנה אותנו למשפחת זיסמן" : "שיחה כללית",
      }));
      const callIds: string[] = [];
      for (let i = 0; i < calls.length; i += 500) {
        callIds.push(...(await h.db.insert(callLogs).values(calls.slice(i, i + 500)).returning({ id: callLogs.id })).map((r) => r.id));
      }
      // Turns: every third call asks about ארנונה (common; test calls' turns among the newest), tool turns repeat
      // the word in JSON, and three calls (one a test call) mention סוכות (rare).
      const turns = callIds.flatMap((callId, i) => [
        ...(i % 3 === 0 ? [{ businessId, callId, seq: 1, speaker: "caller" as const, text: "כמה ארנונה משלמים?", startedAt: new Date(T0) }] : []),
        ...(i % 7 === 0 ? [{ businessId, callId, seq: 2, speaker: "tool" as const, text: '{"q":"ארנונה"}', startedAt: new Date(T0) }] : []),
        ...(i === 50 || i === 51 || i === 52 ? [{ businessId, callId, seq: 3, speaker: "assistant" as const, text: "סגור בחג סוכות", startedAt: new Date(T0) }] : []),
      ]);
      for (let i = 0; i < turns.length; i += 500) await h.db.insert(conversationTurns).values(turns.slice(i, i + 500));
    }, 300_000);
    afterAll(() => h?.destroy());

    const cohens = async () => rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from customers where full_name like '%כהן%'`))[0]!.n;

    test("the data exercises every plan", async () => {
      expect(await cohens()).toBeGreaterThan(COMMON_MATCHES);
      expect((await expected("מעלית", { skipTest: false, limit: 10_000 })).length).toBeGreaterThan(COMMON_MATCHES);
      expect((await expected("זיסמן", { skipTest: false, limit: 100 })).length).toBe(4);
    });

    for (const word of ["ארנונה", "סוכות"]) {
      test(`calls.search "${word}": the newest 20 turns equal the plain query (no tool turns, no test calls)`, async () => {
        const want = rowsOf<{ id: number }>(
          await h.db.execute(sql`select t.id from conversation_turns t join call_logs c on c.id = t.call_id
            where t.business_id = ${scope.businessId} and not c.is_test and t.speaker <> 'tool' and t.text_norm like ${`%${word}%`}
            order by t.id desc limit 20`),
        ).map((r) => Number(r.id));
        expect(want.length).toBe(word === "סוכות" ? 2 : 20);
        expect((await searchAll(h.db, scope, word)).turns.map((t) => t.id)).toEqual(want);
      });
    }

    test('calls.list with a typo ("זיסמאן") is corrected through the lexicon and finds what "זיסמן" finds', async () => {
      const r = await listCalls(h.db, scope, { search: "זיסמאן", limit: 50 });
      expect(r.items.map((c) => c.id)).toEqual(await expected("זיסמן", { skipTest: false, limit: 50 }));
      expect(r.items.length).toBe(4);
    });

    for (const word of ["כהן", "מעלית", "זיסמן", "לוי"]) {
      test(`calls.list "${word}": three pages equal the plain query, in order`, async () => {
        const all = await expected(word, { skipTest: false, limit: 150 });
        let cursor: string | undefined;
        const got: string[] = [];
        for (let page = 0; page < 3; page++) {
          const r = await listCalls(h.db, scope, { search: word, limit: 50, cursor });
          got.push(...r.items.map((c) => c.id));
          if (!r.nextCursor) break;
          cursor = r.nextCursor;
        }
        expect(got).toEqual(all);
      });

      test(`calls.search "${word}": the newest 20 calls equal the plain query without test calls`, async () => {
        const r = await searchAll(h.db, scope, word);
        expect(r.calls.map((c) => c.id)).toEqual(await expected(word, { skipTest: true, limit: 20 }));
      });
    }

    // Last: these change the data the tests above read.
    test("the caller's name on a call follows renames, a call moved to another customer and a deleted customer", async () => {
      const b = scope.businessId;
      const idOf = async (name: string) => rowsOf<{ id: string }>(await h.db.execute(sql`select id from customers where business_id = ${b} and full_name = ${name}`))[0]!.id;
      const listed = async (word: string) => (await listCalls(h.db, scope, { search: word, limit: 50 })).items.map((c) => c.id);
      const moshe = await idOf("משה זיסמן");
      const dana = await idOf("דנה זיסמן");
      const [mosheCall] = rowsOf<{ id: string }>(await h.db.execute(sql`select id from call_logs where customer_id = ${moshe}`));

      await h.db.update(customers).set({ fullName: "משה גרינשפן" }).where(sql`${customers.id} = ${moshe}`);
      expect(await listed("גרינשפן")).toEqual([mosheCall!.id]);
      expect(await listed("זיסמן")).toEqual(await expected("זיסמן", { skipTest: false, limit: 50 }));
      expect(await listed("זיסמן")).not.toContain(mosheCall!.id);

      // Dana's call moves to a כהן: found by that name, no longer by hers.
      const cohen = rowsOf<{ id: string }>(await h.db.execute(sql`select id from customers where business_id = ${b} and full_name like 'אבי כהן%' limit 1`))[0]!.id;
      const [danaCall] = rowsOf<{ id: string }>(await h.db.execute(sql`select id from call_logs where customer_id = ${dana}`));
      await h.db.update(callLogs).set({ customerId: cohen }).where(sql`${callLogs.id} = ${danaCall!.id}`);
      expect(await listed("זיסמן")).toEqual(await expected("זיסמן", { skipTest: false, limit: 50 }));
      expect(await listed("זיסמן")).not.toContain(danaCall!.id);
      expect((await searchAll(h.db, scope, "כהן")).calls.map((c) => c.id)).toEqual(await expected("כהן", { skipTest: true, limit: 20 }));

      // A deleted customer's calls stay, without a caller name.
      await h.db.delete(customers).where(sql`${customers.id} = ${moshe}`);
      expect(await listed("גרינשפן")).toEqual([]);
      const [kept] = rowsOf<{ customer_id: string | null; caller_name_norm: string | null }>(
        await h.db.execute(sql`select customer_id, caller_name_norm from call_logs where id = ${mosheCall!.id}`),
      );
      expect(kept).toEqual({ customer_id: null, caller_name_norm: null });
    });
  });
}
