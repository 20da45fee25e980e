import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestDb, DB_KINDS, type TTestDb } from "../../../test/helpers/db";
import { createLoginLimiter, LOGIN_LIMITS } from "./login-limiter";

const MIN = 60_000;

for (const kind of DB_KINDS) {
  describe(`login limiter [${kind}]`, () => {
    let db: TTestDb;
    beforeAll(async () => {
      db = await createTestDb(kind);
    }, 60_000);
    afterAll(async () => {
      await db.destroy();
    });

    test("per (account, address): N tries, then a block that doubles each time; other addresses unaffected", async () => {
      let now = 1_800_000_000_000;
      const l = createLoginLimiter(db.db, { now: () => now });
      for (let i = 0; i < LOGIN_LIMITS.perPair; i++) expect(await l.reserve("A@x.com", "10.0.0.1")).toBe(0);
      expect(await l.reserve("a@x.com", "10.0.0.1")).toBe(LOGIN_LIMITS.baseBlockMs / 1000);
      expect(await l.reserve("a@x.com", "10.0.0.2")).toBe(0); // no account-wide lockout
      now += LOGIN_LIMITS.baseBlockMs - 1000;
      expect(await l.reserve("a@x.com", "10.0.0.1")).toBe(1);
      now += 1000;
      for (let i = 0; i < LOGIN_LIMITS.perPair; i++) expect(await l.reserve("a@x.com", "10.0.0.1")).toBe(0);
      // Second block: twice as long.
      expect(await l.reserve("a@x.com", "10.0.0.1")).toBe((2 * LOGIN_LIMITS.baseBlockMs) / 1000);
      // A quiet window later the budget is back.
      now += 2 * LOGIN_LIMITS.baseBlockMs + LOGIN_LIMITS.windowMs + MIN;
      expect(await l.reserve("a@x.com", "10.0.0.1")).toBe(0);
    });

    test("a success clears the pair; an address spraying many accounts is blocked", async () => {
      let now = 1_800_000_000_000;
      const l = createLoginLimiter(db.db, { now: () => now });
      for (let i = 0; i < LOGIN_LIMITS.perPair - 1; i++) await l.reserve("b@x.com", "10.0.1.1");
      await l.succeeded("b@x.com", "10.0.1.1");
      for (let i = 0; i < LOGIN_LIMITS.perPair; i++) expect(await l.reserve("b@x.com", "10.0.1.1")).toBe(0);

      for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) expect(await l.reserve(`spray${i}@x.com`, "10.0.2.2")).toBe(0);
      expect(await l.reserve("fresh@x.com", "10.0.2.2")).toBeGreaterThan(0);
      expect(await l.reserve("fresh@x.com", "10.0.2.3")).toBe(0);
      now += 1; // keeps the clock injected; nothing depends on the real date
    });
  });
}
