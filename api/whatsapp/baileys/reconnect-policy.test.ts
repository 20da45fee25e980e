import { describe, expect, test } from "bun:test";
import { DisconnectReason } from "@whiskeysockets/baileys";
import { decideReconnect, disconnectCode, DEFAULT_BACKOFF } from "./reconnect-policy";

describe("decideReconnect", () => {
  test("515 restartRequired → reconnect at once", () => {
    expect(decideReconnect(DisconnectReason.restartRequired, 0)).toEqual({ action: "reconnect", delayMs: 0, reason: "restart_required" });
  });
  test("401 loggedOut → logged_out (clear auth, ask for login)", () => {
    expect(decideReconnect(DisconnectReason.loggedOut, 0).action).toBe("logged_out");
  });
  test("403 forbidden and 440 connectionReplaced → stop, never loop", () => {
    for (const code of [DisconnectReason.forbidden, DisconnectReason.connectionReplaced]) {
      for (const attempt of [0, 1, 5]) expect(decideReconnect(code, attempt).action).toBe("stop");
    }
  });
  test("500 badSession and 411 multideviceMismatch → logged_out", () => {
    expect(decideReconnect(DisconnectReason.badSession, 0).action).toBe("logged_out");
    expect(decideReconnect(DisconnectReason.multideviceMismatch, 0).action).toBe("logged_out");
  });
  test("transient codes back off exponentially within [exp/2, exp], capped", () => {
    for (const code of [DisconnectReason.connectionClosed, DisconnectReason.connectionLost, DisconnectReason.unavailableService, undefined]) {
      const low = decideReconnect(code, 0, DEFAULT_BACKOFF, () => 0);
      const high = decideReconnect(code, 0, DEFAULT_BACKOFF, () => 0.999999);
      expect(low).toMatchObject({ action: "reconnect", delayMs: DEFAULT_BACKOFF.baseMs / 2 });
      expect(high.action === "reconnect" && high.delayMs).toBe(DEFAULT_BACKOFF.baseMs);
      const third = decideReconnect(code, 3, DEFAULT_BACKOFF, () => 0);
      expect(third.action === "reconnect" && third.delayMs).toBe((DEFAULT_BACKOFF.baseMs * 8) / 2);
      const capped = decideReconnect(code, 10, DEFAULT_BACKOFF, () => 0.999999);
      expect(capped.action === "reconnect" && capped.delayMs).toBe(DEFAULT_BACKOFF.maxMs);
    }
  });
  test("too many transient failures → stop", () => {
    expect(decideReconnect(428, DEFAULT_BACKOFF.maxAttempts)).toEqual({ action: "stop", reason: "too_many_attempts" });
  });
  test("disconnectCode reads a Boom's output.statusCode", () => {
    expect(disconnectCode({ output: { statusCode: 515 } })).toBe(515);
    expect(disconnectCode(new Error("x"))).toBeUndefined();
    expect(disconnectCode(undefined)).toBeUndefined();
  });
});
