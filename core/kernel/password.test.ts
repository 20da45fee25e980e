import { describe, expect, test } from "bun:test";
import { randomBytes, scryptSync } from "node:crypto";
import { generatePassword, hashPassword, PASSWORD_COST, verifyPassword } from "./password";

describe("portable password hashing", () => {
  test("argon2id PHC hashes round-trip and interoperate with Bun.password both ways", async () => {
    const h = await hashPassword("סיסמה-ארוכה-123");
    expect(h).toStartWith("$argon2id$v=19$m=65536,t=2,p=1$");
    expect(await verifyPassword("סיסמה-ארוכה-123", h)).toBe(true);
    expect(await verifyPassword("סיסמה-ארוכה-124", h)).toBe(false);
    // Hashes stored by the earlier Bun.password code still verify, and ours verify under Bun.password.
    const bunHash = await Bun.password.hash("demo-password-123", { algorithm: "argon2id" });
    expect(await verifyPassword("demo-password-123", bunHash)).toBe(true);
    expect(await Bun.password.verify("סיסמה-ארוכה-123", h)).toBe(true);
  }, 30_000);

  test("a fixture's cheaper cost is written into the hash and verified from it; the default stays 64 MiB, t=2", async () => {
    expect(PASSWORD_COST).toEqual({ memorySize: 65536, iterations: 2 });
    const cheap = await hashPassword("fixture-pass-1", { memorySize: 1024, iterations: 1 });
    expect(cheap).toStartWith("$argon2id$v=19$m=1024,t=1,p=1$");
    expect(await verifyPassword("fixture-pass-1", cheap)).toBe(true);
    expect(await verifyPassword("fixture-pass-2", cheap)).toBe(false);
    expect(await Bun.password.verify("fixture-pass-1", cheap)).toBe(true);
  }, 30_000);

  test("legacy scrypt$ hashes verify; malformed hashes fail closed", async () => {
    const salt = randomBytes(16);
    const legacy = `scrypt$${salt.toString("base64")}$${scryptSync("old-secret-1", salt, 32).toString("base64")}`;
    expect(await verifyPassword("old-secret-1", legacy)).toBe(true);
    expect(await verifyPassword("old-secret-2", legacy)).toBe(false);
    expect(await verifyPassword("x", "scrypt$$")).toBe(false);
    expect(await verifyPassword("x", "$argon2id$garbage")).toBe(false);
    expect(await verifyPassword("x", "plaintext")).toBe(false);
  }, 30_000);

  test("generated passwords: 16 characters from the unambiguous alphabet", () => {
    const p = generatePassword();
    expect(p).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{16}$/);
    expect(generatePassword()).not.toBe(p);
  });
});
