/**
 * Bulk data for `bench:crm`: customers, properties, calls and conversation
 * turns generated inside the database with `generate_series` (one INSERT …
 * SELECT per table and batch), so 1M turns take seconds on PostgreSQL instead
 * of a million round trips. Values are realistic Hebrew: names, cities,
 * notes and transcript lines drawn from small vocabularies, phones unique
 * E.164 mobiles. A second business gets a slice of the same data so every
 * timed query also has to filter by tenant.
 */
import { sql } from "drizzle-orm";
import type { TDb } from "../../db/client";

export interface TCrmScale {
  customers: number;
  turns: number;
  /** Turns per call (calls = turns / turnsPerCall). */
  turnsPerCall: number;
  properties: number;
}

export interface TGenerated {
  businessId: string;
  otherBusinessId: string;
  customers: number;
  calls: number;
  turns: number;
  properties: number;
  /** Per-table insert time, milliseconds. */
  ms: Record<string, number>;
}

const FIRST = ["יוסי", "דנה", "משה", "רונית", "אבי", "מיכל", "דוד", "שירה", "איתי", "נועה", "עמית", "תמר", "אורי", "יעל", "גיל", "הילה", "רועי", "ענבל", "אלון", "ליאת"];
const LAST = ["כהן", "לוי", "מזרחי", "פרץ", "ביטון", "דהן", "אברהם", "פרידמן", "אזולאי", "שפירא", "גולן", "ברק", "קפלן", "רוזן", "חדד", "שושן", "נחום", "טל", "אשכנזי", "בן-דוד"];
const CITIES = ["תל אביב", "רמת גן", "גבעתיים", "חולון", "בת ים", "הרצליה", "רעננה", "פתח תקווה", "ראשון לציון", "ירושלים", "חיפה", "נתניה"];
const NOTES = [
  "מחפש דירת 4 חדרים עם מעלית וחניה",
  "מעוניינת במשרד קטן קרוב לרכבת",
  "צריך להיכנס עד הקיץ, גמיש במחיר",
  "משפחה עם שני ילדים, חשוב מרחב מוגן",
  "משקיע, מחפש דירות להשכרה",
  "רוצה פנטהאוז עם מרפסת שמש",
  "חזר מחו״ל, מחפש שכירות לטווח ארוך",
  "סטודנטית, תקציב מוגבל",
];
const CALLER_LINES = [
  "שלום, אני מחפש דירת ארבעה חדרים ברמת גן",
  "התקציב שלי בערך שלושה מיליון שקל",
  "אפשר לקבוע צפייה ביום שלישי בערב?",
  "יש משהו עם חניה ומעלית?",
  "אני מעוניינת במשרד להשכרה בתל אביב",
  "כמה עולה הארנונה שם?",
  "תודה רבה, נדבר",
];
const ASSISTANT_LINES = [
  "שלום, איך אפשר לעזור לכם היום?",
  "יש לנו כמה דירות מתאימות ברמת גן. מה התקציב?",
  "מצוין, אחפש לך נכסים במסגרת הזו",
  "קבעתי לך צפייה ביום שלישי בשש בערב",
  "כן, בשתי הדירות יש חניה ומעלית",
  "הארנונה שם כשלוש מאות שקל לחודש",
  "בשמחה, יום טוב",
];

const arrayLiteral = (xs: string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(",")}]::text[]`;
/** Element of a constant SQL text array picked by an integer SQL expression (wraps). */
const pick = (xs: string[], i: string) => sql.raw(`(${arrayLiteral(xs)})[1 + ((${i}) % ${xs.length})]`);

async function timed(ms: Record<string, number>, name: string, fn: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await fn();
  ms[name] = Math.round(performance.now() - t0);
}

/** Deterministic pseudo-random integer from an integer SQL expression (hash, not random(), so runs repeat). */
const h = (expr: string, salt: number) => `(hashint4((${expr})::int + ${salt})::bigint & 2147483647)`;

/**
 * Fill `businessId` (and ~5% of the volume into a second business) with
 * generated rows. Batches keep each statement's memory bounded (PGlite).
 */
export async function generateCrmData(db: TDb, businessId: string, scale: TCrmScale, opts: { batch?: number } = {}): Promise<TGenerated> {
  const ms: Record<string, number> = {};
  const batch = opts.batch ?? 100_000;
  const inserted = await db.execute(sql`insert into businesses (name, slug) values ('סוכנות אחרת בע״מ', ${`bench-other-${Date.now()}`}) returning id`);
  const otherBusinessId = rows<{ id: string }>(inserted)[0]!.id;
  const biz = (i: string) => sql.raw(`(case when (${i}) % 20 = 0 then '${otherBusinessId}'::uuid else '${businessId}'::uuid end)`);

  await timed(ms, "properties", () =>
    db.execute(sql`
      insert into properties (business_id, title, description, deal_type, property_type, city, neighborhood, rooms, size_sqm, floor, price, features, status, created_at)
      select ${biz("i")},
             'דירת ' || (2 + i % 5) || ' חדרים ב' || ${pick(CITIES, "i * 7")},
             ${pick(NOTES, "i")},
             (case when i % 3 = 0 then 'rent' else 'sale' end)::deal_type,
             (case when i % 6 = 0 then 'office' when i % 11 = 0 then 'penthouse' else 'apartment' end)::property_type,
             ${pick(CITIES, "i * 7")},
             null,
             2 + i % 5,
             50 + i % 120,
             i % 15,
             (case when i % 3 = 0 then 3000 + (${sql.raw(h("i", 1))} % 12000) else 900000 + (${sql.raw(h("i", 2))} % 4000000) end),
             array['מעלית','חניה']::text[],
             (case when i % 10 = 0 then 'sold' else 'available' end)::property_status,
             now() - (i || ' minutes')::interval
      from generate_series(1, ${scale.properties}::int) as i`),
  );

  await timed(ms, "customers", async () => {
    for (let from = 1; from <= scale.customers; from += batch) {
      const to = Math.min(scale.customers, from + batch - 1);
      await db.execute(sql`
        insert into customers (business_id, full_name, phone, email, status, source, tags, requirements, notes, created_at, updated_at)
        select ${biz("i")},
               ${pick(FIRST, h("i", 3))} || ' ' || ${pick(LAST, h("i", 4))},
               '+9725' || lpad((${sql.raw(String(10_000_000))} + i)::text, 8, '0'),
               'lead' || i || '@example.co.il',
               (array['new','contacted','qualified','viewing','negotiation','won','lost'])[1 + i % 7]::customer_status,
               (array['call','whatsapp','manual','import'])[1 + i % 4]::customer_source,
               (case when i % 5 = 0 then array['משקיע']::text[] when i % 7 = 0 then array['VIP']::text[] else '{}'::text[] end),
               jsonb_build_object(
                 'dealType', case when i % 3 = 0 then 'rent' else 'sale' end,
                 'propertyType', case when i % 6 = 0 then 'office' else 'apartment' end,
                 'cities', jsonb_build_array(${pick(CITIES, "i * 13")}),
                 'roomsMin', 2 + i % 3, 'roomsMax', 4 + i % 3,
                 'budgetMax', case when i % 3 = 0 then 4000 + (${sql.raw(h("i", 5))} % 10000) else 1000000 + (${sql.raw(h("i", 6))} % 4000000) end),
               ${pick(NOTES, "i * 3")},
               now() - (i || ' seconds')::interval,
               now() - (i || ' seconds')::interval
        from generate_series(${from}::int, ${to}::int) as i`);
    }
  });

  const calls = Math.max(1, Math.floor(scale.turns / scale.turnsPerCall));
  await timed(ms, "call_logs", async () => {
    for (let from = 1; from <= calls; from += batch) {
      const to = Math.min(calls, from + batch - 1);
      // Caller i calls about the customer number (i * 7) mod N of the same business.
      await db.execute(sql`
        insert into call_logs (business_id, call_sid, stream_sid, customer_id, from_number, to_number, status, mode, engine, started_at, answered_at, ended_at, duration_sec, summary, metrics)
        select c.business_id, 'CAbench' || lpad(i::text, 12, '0'), 'MZbench' || i, c.id, c.phone, '+97235550100', 'completed', 'stream', 'pipeline',
               now() - (i * 37 || ' seconds')::interval, now() - (i * 37 || ' seconds')::interval, now() - (i * 37 - 95 || ' seconds')::interval, 95,
               ${pick(NOTES, "i")}, '{"turns":5}'::jsonb
        from generate_series(${from}::int, ${to}::int) as i
        join customers c on c.phone = '+9725' || lpad((${sql.raw(String(10_000_000))} + 1 + (i * 7) % ${scale.customers})::text, 8, '0')`);
    }
  });

  await timed(ms, "conversation_turns", async () => {
    const [{ n } = { n: 0 }] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from call_logs where call_sid like 'CAbench%'`));
    const perBatch = Math.max(1, Math.floor(batch / scale.turnsPerCall));
    for (let from = 0; from < n; from += perBatch) {
      await db.execute(sql`
        insert into conversation_turns (business_id, call_id, seq, speaker, text, started_at, ended_at, interrupted, metrics)
        select c.business_id, c.id, s,
               (case when s % 2 = 0 then 'assistant' else 'caller' end)::speaker,
               (case when s % 2 = 0 then ${pick(ASSISTANT_LINES, "s / 2 + c.k")} else ${pick(CALLER_LINES, "s / 2 + c.k")} end),
               c.started_at + (s * 9 || ' seconds')::interval, c.started_at + (s * 9 + 4 || ' seconds')::interval, false,
               (case when s % 2 = 0 and s > 0 then jsonb_build_object('firstFrameMs', 300 + (c.k * 31 + s) % 400) end)
        from (select id, business_id, started_at, row_number() over (order by call_sid)::int as k from call_logs where call_sid like 'CAbench%' order by call_sid offset ${from} limit ${perBatch}) c
        cross join generate_series(0, ${scale.turnsPerCall - 1}::int) as s`);
    }
  });

  // VACUUM as autovacuum would after a bulk load: sets the visibility map (index-only counts) and statistics.
  await timed(ms, "vacuum analyze", () => db.execute(sql`vacuum analyze`));
  const count = async (table: string) => rows<{ n: number }>(await db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]?.n ?? 0;
  return {
    businessId,
    otherBusinessId,
    customers: await count("customers"),
    calls: await count("call_logs"),
    turns: await count("conversation_turns"),
    properties: await count("properties"),
    ms,
  };
}

/** Rows of a db.execute() result: PGlite returns {rows}, postgres-js an array. */
export function rows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
