/**
 * Attack tests for issue #12 item 8: NUL characters in text inputs and
 * malformed percent-encoding in a path must be a clear 4xx (Hebrew message),
 * never a 500 with an error log per request, and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createApp } from "../../api/app";
import pino from "pino";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS, rowsOf } from "../helpers/db";
import { adminClient, TEST_ORIGIN, trpcError } from "../helpers/trpc";

/** A logger that keeps every line, to count error logs. */
function captureLogs() {
  const lines: { level: number; msg?: string }[] = [];
  const log = pino({ level: "info" }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, errors: () => lines.filter((l) => l.level >= 50) };
}

for (const kind of DB_KINDS) {
  describe(`input hygiene [${kind}]`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    }, 480_000);
    afterAll(async () => {
      await t.close();
    });

    test("NUL in a tRPC text input → 400 with a Hebrew message, nothing written", async () => {
      const admin = await adminClient(t);
      const err = await trpcError(admin.api.customers.create.mutate({ fullName: "דני\u0000כהן" }));
      expect(err.data?.code).toBe("BAD_REQUEST");
      expect(err.data?.httpStatus).toBe(400);
      expect(err.message).toMatch(/[\u0590-\u05FF]/);
      const n = rowsOf<{ n: number }>(await t.db.db.execute(sql`select count(*)::int as n from customers where full_name like 'דני%כהן'`))[0]!.n;
      expect(n).toBe(0);
    }, 240_000);

    test("NUL in a query input (GET) → 400", async () => {
      const admin = await adminClient(t);
      const q = await trpcError(admin.api.customers.list.query({ search: "a\u0000" } as never));
      expect(q.data?.httpStatus).toBe(400);
    }, 240_000);

    test("malformed percent-encoding in a path → 400 with a Hebrew message and no error log", async () => {
      const cap = captureLogs();
      const app = createApp({ ...t.deps, log: cap.log });
      for (const path of ["/%E0%A4%A", "/customers/%zz", "/assets/%", "/trpc/%E0%A4%A"]) {
        const res = await app.request(`${TEST_ORIGIN}${path}`);
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { message: string } };
        expect(body.error.message).toMatch(/[\u0590-\u05FF]/);
      }
      expect(cap.errors()).toEqual([]);
    }, 240_000);
  });
}
