import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeBase64, mediaSerializer, parseTwilioMessage, scanTwilioMedia, serializeClear, serializeMark, serializeMedia, type TMediaScan } from "./twilio-serializer";

const fixture = (name: string) =>
  readFileSync(join(import.meta.dir, "../../test/fixtures/twilio", name), "utf8").split("\n").filter(Boolean);

describe("Twilio serializer: inbound fixtures", () => {
  const lines = fixture("inbound-call.jsonl");
  const parsed = lines.map((l) => parseTwilioMessage(l));

  test("every recorded message parses", () => {
    expect(parsed.map((p) => (p.ok ? p.msg.event : p.reason))).toEqual(["connected", "start", "media", "media", "dtmf", "mark", "stop"]);
  });

  test("start carries streamSid, callSid, customParameters and the μ-law format", () => {
    const start = parsed[1]!;
    if (!start.ok || start.msg.event !== "start") throw new Error("start did not parse");
    expect(start.msg.streamSid).toBe("MZ18ad3ab5a668481ce02b83e7395059f0");
    expect(start.msg.callSid).toBe("CA0123456789abcdef0123456789abcdef");
    expect(start.msg.customParameters).toEqual({
      callSid: "CA0123456789abcdef0123456789abcdef",
      caller: "+972541234567",
      businessId: "9c3f4f8e-1b2a-4a51-9d0e-2f7c1a2b3c4d",
      callId: "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
    });
    expect(start.msg.mediaFormat).toEqual({ encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 });
  });

  test("media decodes the base64 payload to 160 μ-law bytes and string numbers to numbers", () => {
    const m = parsed[2]!;
    if (!m.ok || m.msg.event !== "media") throw new Error("media did not parse");
    expect(m.msg.payload.length).toBe(160);
    expect(m.msg.payload.every((b) => b === 0xff)).toBe(true);
    expect(m.msg.chunk).toBe(1);
    expect(m.msg.timestamp).toBe(5);
    const m2 = parsed[3]!;
    if (!m2.ok || m2.msg.event !== "media") throw new Error("media did not parse");
    expect(m2.msg.timestamp).toBe(25);
    expect(m2.msg.payload.some((b) => b !== 0xff)).toBe(true);
  });

  test("dtmf digit, mark name and stop are read", () => {
    expect(parsed[4]).toMatchObject({ ok: true, msg: { event: "dtmf", digit: "1" } });
    expect(parsed[5]).toMatchObject({ ok: true, msg: { event: "mark", name: "t1:s0:c3" } });
    expect(parsed[6]).toMatchObject({ ok: true, msg: { event: "stop", callSid: "CA0123456789abcdef0123456789abcdef" } });
  });
});

describe("Twilio serializer: malformed input is reported, never thrown", () => {
  test("each malformed fixture yields a reason", () => {
    const reasons = fixture("malformed.jsonl").map((l) => {
      const r = parseTwilioMessage(l);
      expect(r.ok).toBe(false);
      return r.ok ? "" : r.reason;
    });
    expect(reasons).toEqual([
      "malformed JSON",
      "not a JSON object",
      "media payload is not valid base64",
      "media payload is not valid base64",
      "media without payload",
      'unknown event "transcription"',
      "unknown event null",
      "start without streamSid",
      "mark without name",
      "dtmf without digit",
    ]);
  });

  test("binary frames are rejected", () => {
    expect(parseTwilioMessage(new Uint8Array([1, 2, 3]))).toEqual({ ok: false, reason: "binary frame" });
  });

  test("strict base64", () => {
    expect(decodeBase64("AAEC")).toEqual(new Uint8Array([0, 1, 2]));
    expect(decodeBase64("AA EC")).toBeNull();
    expect(decodeBase64("AAE")).toBeNull();
  });
});

describe("Twilio serializer: outbound", () => {
  test("media is text JSON with exactly event, streamSid and a headerless base64 payload", () => {
    const bytes = new Uint8Array([0xff, 0x7f, 0x00, 0x80]);
    const msg = JSON.parse(serializeMedia("MZ1", bytes.subarray(1, 3)));
    expect(msg).toEqual({ event: "media", streamSid: "MZ1", media: { payload: Buffer.from([0x7f, 0x00]).toString("base64") } });
  });

  test("mark and clear", () => {
    expect(JSON.parse(serializeMark("MZ1", "t2:s1"))).toEqual({ event: "mark", streamSid: "MZ1", mark: { name: "t2:s1" } });
    expect(JSON.parse(serializeClear("MZ1"))).toEqual({ event: "clear", streamSid: "MZ1" });
  });

  test("outbound media round-trips through the inbound parser shape", () => {
    const bytes = Uint8Array.from({ length: 320 }, (_, i) => i & 0xff);
    const out = JSON.parse(serializeMedia("MZ9", bytes)) as { media: { payload: string } };
    expect(decodeBase64(out.media.payload)).toEqual(bytes);
  });
});

describe("Twilio serializer: media fast path", () => {
  const scan = (raw: string): TMediaScan | null => {
    const out: TMediaScan = { payload: "", chunk: -1, inbound: false };
    return scanTwilioMedia(raw, out) ? out : null;
  };

  test("every recorded media message: the fast path agrees with the full parser, payload left in base64", () => {
    const lines = fixture("inbound-call.jsonl");
    let media = 0;
    for (const l of lines) {
      const full = parseTwilioMessage(l);
      const fast = scan(l);
      if (!full.ok || full.msg.event !== "media") {
        expect(fast).toBeNull();
        continue;
      }
      media++;
      expect(fast).not.toBeNull();
      expect(decodeBase64(fast!.payload)).toEqual(full.msg.payload);
      expect(fast!.chunk).toBe(full.msg.chunk);
      expect(fast!.inbound).toBe(full.msg.track === "inbound" || full.msg.track === "inbound_track");
    }
    expect(media).toBeGreaterThanOrEqual(2);
  });

  test("anything not in Twilio's exact shape falls back to the full parser (which reports it)", () => {
    const ok = '{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"12","timestamp":"240","payload":"AAEC"},"streamSid":"MZ1"}';
    expect(scan(ok)).toEqual({ payload: "AAEC", chunk: 12, inbound: true });
    expect(scan(ok.replace('"chunk":"12"', '"chunk":12'))?.chunk).toBe(12);
    expect(scan(ok.replace('"track":"inbound"', '"track":"outbound"'))?.inbound).toBe(false);
    for (const bad of [
      ok.replace("AAEC", "AA EC"), // not strict base64
      ok.replace("AAEC", "AAE"), // bad length
      ok.slice(0, -1), // truncated JSON
      ok.replace('"media":{', '"medium":{'), // no media object
      ok.replace("AAEC", "AA\\u0045C"), // an escape: only the full parser may read it
      ` ${ok}`, // another spelling of the envelope
      '{"event":"mark","streamSid":"MZ1","mark":{"name":"payload"}}',
    ]) expect(scan(bad)).toBeNull();
  });

  test("outbound: the per-stream serializer writes what serializeMedia writes", () => {
    const bytes = Uint8Array.from({ length: 320 }, (_, i) => (i * 7) & 0xff);
    expect(mediaSerializer('MZ"odd')(bytes.subarray(3, 163))).toBe(JSON.stringify({ event: "media", streamSid: 'MZ"odd', media: { payload: Buffer.from(bytes.subarray(3, 163)).toString("base64") } }));
  });
});
