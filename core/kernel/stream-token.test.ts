import { describe, expect, test } from "bun:test";
import { mintStreamToken, verifyStreamToken } from "./stream-token";

const KEY = "auth_token_0123456789abcdef";
const NOW = 1_800_000_000_000;
const claims = { callSid: "CA0123", callId: "6f1c8a52-7d4e-4b8a-9c1d-2e3f4a5b6c7d", origin: "https://kesher.example.com", expiresAt: NOW + 120_000 };

describe("stream token", () => {
  test("round-trips for its CallSid until it expires", () => {
    const token = mintStreamToken(KEY, claims);
    expect(verifyStreamToken(KEY, token, claims.callSid, NOW)).toEqual({ ok: true, claims });
    expect(verifyStreamToken(KEY, token, claims.callSid, claims.expiresAt)).toMatchObject({ ok: true });
    expect(verifyStreamToken(KEY, token, claims.callSid, claims.expiresAt + 1)).toEqual({ ok: false, reason: "expired" });
  });

  test("a token without a call id (the webhook could not write the row) verifies with none", () => {
    const token = mintStreamToken(KEY, { ...claims, callId: undefined });
    expect(verifyStreamToken(KEY, token, claims.callSid, NOW)).toEqual({ ok: true, claims: { ...claims, callId: undefined } });
  });

  test("another CallSid, another key, or any edited field fails the signature", () => {
    const token = mintStreamToken(KEY, claims);
    const [v, callId, exp, origin, mac] = token.split(".") as [string, string, string, string, string];
    const edited = [
      [v, "6f1c8a52-7d4e-4b8a-9c1d-000000000000", exp, origin, mac],
      [v, callId, String(Number(exp) + 3_600_000), origin, mac],
      [v, callId, exp, Buffer.from("https://attacker.invalid").toString("base64url"), mac],
      [v, "-", exp, origin, mac],
    ].map((p) => p.join("."));
    for (const t of edited) expect(verifyStreamToken(KEY, t, claims.callSid, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyStreamToken(KEY, token, "CA9999", NOW)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyStreamToken("another_token_0000000000", token, claims.callSid, NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  test("missing or malformed tokens are named as such", () => {
    expect(verifyStreamToken(KEY, undefined, "CA1", NOW)).toEqual({ ok: false, reason: "missing" });
    expect(verifyStreamToken(KEY, "", "CA1", NOW)).toEqual({ ok: false, reason: "missing" });
    for (const t of ["v1.garbage", "v2.a.1.b.c", "v1.a.notanumber.b.c", "v1.a.1.b.c$", "v1.a.1.b.c.d"]) {
      expect(verifyStreamToken(KEY, t, "CA1", NOW)).toEqual({ ok: false, reason: "malformed" });
    }
  });
});
