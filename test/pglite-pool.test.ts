/**
 * The tests' reused PGlite copies (test/helpers/pglite-pool.ts): a copy handed
 * back after a suite wrote, updated and deleted rows, moved a sequence and
 * changed session settings is, for the next holder, row for row the template
 * a new copy opens; a copy whose schema changed is closed, not reused; a
 * holder's late query after release fails as on a closed database.
 */
import { describe, expect, test } from "bun:test";
import type { PGlite } from "@electric-sql/pglite";
import { createDb, rowsOf } from "../db/client";
import { pgliteEngine, pgliteSeededTemplate } from "./helpers/db-templates";
import { leasePglite, pgliteCopiesOpened } from "./helpers/pglite-pool";

/** Every user table's rows (as text, sorted), every sequence's value and two session settings. */
async function stateOf(client: PGlite): Promise<Record<string, string>> {
  const tables = rowsOf<{ name: string }>(
    await client.query(`select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1`),
  ).map((r) => r.name);
  const state: Record<string, string> = {};
  for (const name of tables) {
    state[name] = rowsOf<{ rows: string | null }>(await client.query(`select string_agg(t::text, E'\\n' order by t::text) as rows from ${name} t`))[0]!.rows ?? "";
  }
  for (const s of rowsOf<{ name: string; value: string | null }>(await client.query(`select format('%I.%I', schemaname, sequencename) as name, last_value::text as value from pg_sequences`))) {
    state[`sequence ${s.name}`] = s.value ?? "unused";
  }
  state["setting TimeZone"] = rowsOf<{ v: string }>(await client.query(`select current_setting('TimeZone') as v`))[0]!.v;
  state["setting replication role"] = rowsOf<{ v: string }>(await client.query(`select current_setting('session_replication_role') as v`))[0]!.v;
  return state;
}

describe("reused PGlite copies (test helper)", () => {
  test("a copy handed back after writes, deletes, a sequence and a setting is, row for row, a new copy of the template", async () => {
    const fresh = await createDb({ loadDataDir: await pgliteSeededTemplate(), pgliteEngine: await pgliteEngine() });
    const expected = await stateOf((fresh.db as unknown as { $client: PGlite }).$client);
    await fresh.close();
    expect(Object.keys(expected).length).toBeGreaterThan(20);
    expect(expected["public.properties"]!.length).toBeGreaterThan(0);

    const first = await leasePglite("seeded");
    const business = rowsOf<{ id: string }>(await first.query(`select id from businesses limit 1`))[0]!.id;
    // Trigger-kept rows (search terms) come with the inserted customer; the audit sequence moves.
    await first.query(`insert into customers (business_id, full_name, phone) values ($1, 'דנה כהן', '+972541234567')`, [business]);
    await first.exec(`update properties set title = title || ' (נמכר)' where true`);
    await first.exec(`delete from properties where ctid = (select min(ctid) from properties)`);
    await first.query(`insert into audit_log (business_id, action, entity_type) values ($1, 'customers.create', 'customer')`, [business]);
    await first.exec(`set timezone = 'America/New_York'`);
    expect(await stateOf(first)).not.toEqual(expected);
    await first.close();

    const opened = pgliteCopiesOpened();
    const second = await leasePglite("seeded");
    expect(pgliteCopiesOpened()).toBe(opened); // the same copy, not a new one
    expect(await stateOf(second)).toEqual(expected);
    await second.close();
  });

  test("a copy whose schema changed is closed, and the next holder gets a new one", async () => {
    const first = await leasePglite("plain");
    await first.exec(`create table scratch (id int)`);
    await first.close();
    const opened = pgliteCopiesOpened();
    const second = await leasePglite("plain");
    expect(pgliteCopiesOpened()).toBe(opened + 1);
    expect(rowsOf(await second.query(`select 1 from pg_tables where tablename = 'scratch'`))).toEqual([]);
    await second.close();
  });

  test("a holder's query after release fails as on a closed database and reaches no one else", async () => {
    const lease = await leasePglite("plain");
    await lease.close();
    expect(lease.closed).toBe(true);
    expect(() => lease.query(`select 1`)).toThrow("PGlite is closed");
    const next = await leasePglite("plain");
    expect(rowsOf(await next.query(`select 1 as one`))).toEqual([{ one: 1 }]);
    await next.close();
  });
});
