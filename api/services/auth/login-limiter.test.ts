import { describe, expect, test } from "bun:test";
import { createLoginLimiter } from "./login-limiter";

describe("login limiter", () => {
  test("blocks an account after N failures until the window passes, per IP independently", () => {
    let now = 1_000_000;
    const l = createLoginLimiter({ windowMs: 60_000, maxPerAccount: 3, maxPerIp: 5, now: () => now });
    for (let i = 0; i < 3; i++) l.recordFailure(`10.0.0.${i}`, "A@x.com");
    expect(l.blockedFor("10.0.0.9", "a@x.com")).toBe(60);
    now += 30_000;
    expect(l.blockedFor(null, "a@x.com")).toBe(30);
    now += 30_001;
    expect(l.blockedFor(null, "a@x.com")).toBe(0);
    for (let i = 0; i < 5; i++) l.recordFailure("10.9.9.9", `u${i}@x.com`);
    expect(l.blockedFor("10.9.9.9", "fresh@x.com")).toBeGreaterThan(0);
    expect(l.blockedFor("10.9.9.8", "fresh@x.com")).toBe(0);
  });
  test("a successful login resets the account counter", () => {
    const l = createLoginLimiter({ maxPerAccount: 2 });
    l.recordFailure(null, "b@x.com");
    l.reset("b@x.com");
    l.recordFailure(null, "b@x.com");
    expect(l.blockedFor(null, "b@x.com")).toBe(0);
  });
});
