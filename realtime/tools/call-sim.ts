/**
 * `bun run call-sim` — dials a running Kesher the way Twilio does: a signed
 * POST /twilio/voice, then the bidirectional media stream from the returned
 * TwiML with real μ-law audio of Hebrew caller lines (synthesised locally with
 * espeak-ng), sent in real time, with Kesher's audio played back in real time
 * and marks echoed. Prints the dialogue and per-turn latency. Like Twilio, it
 * signs the WebSocket upgrade (X-Twilio-Signature over the stream URL) and
 * passes the TwiML's parameters (with the one-time stream token) back in
 * `start`.
 *
 * Simulator side channels (documented, never sent by real Twilio): the lines
 * are announced in `customParameters.simScript` so the no-key `local` STT can
 * return them, and Kesher names a mark `say:<turn>:<text>` before each
 * sentence so the dialogue can be printed. The server honours them only when
 * started with VOICE_SIMULATOR=on (refused in production).
 *
 *   bun run call-sim [--url http://127.0.0.1:3000] [--barge-in] [--from +972541234567]
 */
import { readFileSync } from "node:fs";
import twilio from "twilio";
import { devSecretsPath } from "../../core/kernel/dev-secrets";
import { loadEnv } from "../../env";
import { MULAW_DECODE_TABLE } from "../../core/conversation/audio/mulaw";
import { quantile } from "../metrics";
import { synthesizeMulaw } from "../../core/conversation/providers/tts/local";
import { createSimPhone, type TSimEvent } from "./sim-phone";

/** A 4-room apartment to buy in Ramat Gan, ~3.3 million ₪, a name, a viewing. One sentence per line. */
export const DEFAULT_SCRIPT = [
  "שלום, אני מחפש לקנות דירה ברמת גן.",
  "ארבעה חדרים.",
  "בסביבות שלושה מיליון ושלוש מאות אלף.",
  "כן, הראשונה.",
  "קוראים לי דני כהן.",
  "מחר בחמש אחרי הצהריים.",
  "לא, תודה רבה.",
];

export interface TCallSimOptions {
  baseUrl: string;
  authToken: string;
  script?: string[];
  from?: string;
  to?: string;
  /** Interrupt Kesher: speak line `bargeInLine` this long after Kesher starts the previous reply. */
  bargeIn?: { line: number; afterMs: number };
  /** Print the dialogue as it happens. */
  print?: (line: string) => void;
  /** Give up on a reply after this long. */
  replyTimeoutMs?: number;
  /** After the last reply, wait this long for Kesher to hang up before the caller does (default 3000 ms). */
  hangupGraceMs?: number;
}

export interface TCallSimTurn {
  caller: string;
  /** Caller's last audio frame sent → Kesher's first audio frame received (includes endpointing). */
  latencyMs: number | null;
  kesher: string[];
  bargeIn?: { clearMs: number | null };
}

export interface TCallSimResult {
  callSid: string;
  greeting: string[];
  /** `start` sent → first greeting audio frame received. */
  greetingMs: number | null;
  turns: TCallSimTurn[];
  hungUpByKesher: boolean;
  clears: number;
}

/** Drop espeak's leading/trailing silence so "end of speech" is the last spoken sample. */
export function trimSilence(mulaw: Uint8Array): Uint8Array {
  const loud = (b: number) => Math.abs(MULAW_DECODE_TABLE[b]!) >= 300;
  let a = 0;
  let z = mulaw.length;
  while (a < z && !loud(mulaw[a]!)) a++;
  while (z > a && !loud(mulaw[z - 1]!)) z--;
  return mulaw.subarray(a, z);
}

/** Parse <Stream url> and its <Parameter>s out of the TwiML. */
export function parseStreamTwiml(xml: string): { url: string; parameters: Record<string, string> } {
  const url = /<Stream[^>]*\burl="([^"]+)"/.exec(xml)?.[1];
  if (!url) throw new Error(`no <Stream url> in TwiML:\n${xml}`);
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const parameters: Record<string, string> = {};
  for (const m of xml.matchAll(/<Parameter\s+name="([^"]+)"\s+value="([^"]*)"\s*\/>/g)) parameters[unescape(m[1]!)] = unescape(m[2]!);
  return { url: unescape(url), parameters };
}

async function signedPost(baseUrl: string, path: string, token: string, params: Record<string, string>): Promise<Response> {
  const url = `${baseUrl}${path}`;
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(token, url, params) },
    body: new URLSearchParams(params),
  });
}

export async function runCallSim(opts: TCallSimOptions): Promise<TCallSimResult> {
  const script = opts.script ?? DEFAULT_SCRIPT;
  const print = opts.print ?? (() => {});
  const replyTimeoutMs = opts.replyTimeoutMs ?? 60_000;
  const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
  // A fresh number per run by default, so each run is a new lead.
  const from = opts.from ?? `+9725${2 + Math.floor(Math.random() * 7)}${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const accountSid = `AC${"0".repeat(32)}`;
  const audio = Promise.all(script.map(async (l) => trimSilence(await synthesizeMulaw(l))));

  const res = await signedPost(opts.baseUrl, "/twilio/voice", opts.authToken, { CallSid: callSid, AccountSid: accountSid, From: from, To: opts.to ?? "", CallStatus: "ringing", Direction: "inbound" });
  if (res.status !== 200) throw new Error(`/twilio/voice answered ${res.status}: ${await res.text()}`);
  const twiml = await res.text();
  if (!/<Stream\b/.test(twiml)) throw new Error(`Kesher answered without a media stream (no speech recognition configured? start it with VOICE_SIMULATOR=on for call-sim):\n${twiml}`);
  const { url, parameters } = parseStreamTwiml(twiml);
  const lines = await audio;

  // Twilio signs the upgrade like a webhook: the stream URL as given in <Stream url>, no params.
  const ws = new WebSocket(url, { headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(opts.authToken, url, {}) } } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`could not open the media stream at ${url} (refused? the server checks the Twilio signature with its auth token)`));
  });
  let closed = false;
  let refusal: string | undefined;
  const closedP = new Promise<void>(
    (resolve) =>
      (ws.onclose = (e) => {
        closed = true;
        if (e.code === 1008) refusal = e.reason || "policy violation";
        resolve();
      }),
  );

  const events: (TSimEvent & { t: number })[] = [];
  const t0 = performance.now();
  const result: TCallSimResult = { callSid, greeting: [], greetingMs: null, turns: [], hungUpByKesher: false, clears: 0 };
  let current: string[] = result.greeting;
  const phone = createSimPhone({
    send: (t) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(t);
    },
    callSid,
    onEvent: (e) => {
      events.push({ ...e, t: performance.now() - t0 });
      if (e.type === "sentence") {
        current.push(e.text);
        print(`  קשר:   ${e.text}`);
      }
    },
  });
  ws.onmessage = (m) => phone.receive(typeof m.data === "string" ? m.data : new TextDecoder().decode(m.data as ArrayBuffer));

  const starts = () => events.filter((e) => e.type === "kesher-start").length;
  /** End-of-turn marks echoed (`<turn>:<ms>:end`, sent after a reply's last sentence). */
  const ends = () => events.filter((e) => e.type === "mark" && e.name.endsWith(":end")).length;
  /**
   * Kesher finished a reply: it spoke, its end-of-turn mark came back and it is quiet. A pause
   * between two sentences of one reply (a slow synthesis on a busy machine) is not the end, as a
   * caller hears a pause and waits; a server that sends no end mark is taken as done after 4 s of quiet.
   */
  const replyDone = (after: number, endsAfter: number) => () =>
    closed || (starts() > after && !phone.kesherSpeaking && (ends() > endsAfter || phone.kesherSilentForMs > 4000));

  phone.start({ ...parameters, simScript: JSON.stringify(script) });
  await phone.waitFor(() => phone.stats.firstAudioAt >= 0 || closed, 5000, "the greeting");
  if (refusal) {
    phone.stop();
    throw new Error(`the media server refused the stream (${refusal}): see its log`);
  }
  result.greetingMs = phone.stats.firstAudioAt >= 0 ? phone.stats.firstAudioAt : null;
  await phone.waitFor(replyDone(0, 0), replyTimeoutMs, "the greeting to finish");

  for (let i = 0; i < script.length && !closed; i++) {
    const turn: TCallSimTurn = { caller: script[i]!, latencyMs: null, kesher: [] };
    const barge = opts.bargeIn && opts.bargeIn.line === i + 1;
    const before = starts();
    const endsBefore = ends();
    current = turn.kesher;
    result.turns.push(turn);
    print(`  מתקשר: ${script[i]}`);
    await phone.say(lines[i]!);
    const saidAt = performance.now() - t0;
    if (barge && i + 1 < script.length) {
      // Speak the next line while Kesher is still answering this one.
      await phone.waitFor(() => closed || starts() > before, replyTimeoutMs, `reply ${i + 1}`);
      turn.latencyMs = (events.find((e, k) => e.type === "kesher-start" && k >= 0 && e.t >= saidAt)?.t ?? NaN) - saidAt;
      await Bun.sleep(opts.bargeIn!.afterMs);
      const next: TCallSimTurn = { caller: script[i + 1]!, latencyMs: null, kesher: [], bargeIn: { clearMs: null } };
      const clearsBefore = phone.stats.clears;
      const speakAt = performance.now() - t0;
      print(`  מתקשר (מתפרץ): ${script[i + 1]}`);
      const before2 = starts();
      const endsBefore2 = ends();
      current = next.kesher;
      result.turns.push(next);
      await phone.say(lines[i + 1]!);
      const said2 = performance.now() - t0;
      next.bargeIn!.clearMs = phone.stats.clears > clearsBefore ? phone.stats.lastClearAt - speakAt : null;
      print(`  [barge-in: clear ${next.bargeIn!.clearMs === null ? "not received" : `${Math.round(next.bargeIn!.clearMs)} ms after the caller started`}]`);
      await phone.waitFor(replyDone(before2, endsBefore2), replyTimeoutMs, `reply ${i + 2}`);
      next.latencyMs = (events.find((e) => e.type === "kesher-start" && e.t >= said2)?.t ?? NaN) - said2;
      i++;
      continue;
    }
    await phone.waitFor(replyDone(before, endsBefore), replyTimeoutMs, `reply ${i + 1}`);
    const first = events.find((e) => e.type === "kesher-start" && e.t >= saidAt);
    turn.latencyMs = first ? first.t - saidAt : null;
    print(`    (${turn.latencyMs === null ? "—" : `${Math.round(turn.latencyMs)} ms`} מסוף הדיבור עד תחילת התשובה)`);
  }
  // A caller stays on the line a moment after the last reply: Kesher ends the call itself once its goodbye has
  // played (the end mark came back, then a REST hangup), which on a busy machine takes a moment more.
  if (!closed) await Promise.race([closedP, Bun.sleep(opts.hangupGraceMs ?? 3000)]);
  result.hungUpByKesher = closed;
  result.clears = phone.stats.clears;
  phone.stop();
  if (!closed) ws.close();
  await Promise.race([closedP, Bun.sleep(1000)]);
  const duration = Math.round((performance.now() - t0) / 1000);
  await signedPost(opts.baseUrl, "/twilio/status", opts.authToken, { CallSid: callSid, AccountSid: accountSid, CallStatus: "completed", CallDuration: String(duration) }).catch(() => undefined);
  return result;
}

/** One line saying why the simulated call failed and how to point call-sim at a server. */
export function callSimFailure(err: unknown, baseUrl: string, urlGiven: boolean): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string } | null)?.code ?? "";
  const unreachable = /ECONNREFUSED|ConnectionRefused|Unable to connect|fetch failed|ENOTFOUND|EHOSTUNREACH/i.test(`${code} ${message}`);
  if (unreachable) {
    const how = urlGiven
      ? "check the address"
      : "start it in another terminal with `VOICE_SIMULATOR=on npm start`, or point call-sim at a running server with `bun run call-sim --url https://your-host`";
    return `no Kesher server answers at ${baseUrl}: ${how}.`;
  }
  return `${message} (server: ${baseUrl}; the server must run with VOICE_SIMULATOR=on and the same TWILIO_AUTH_TOKEN or DATA_DIR)`;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.main) {
  const env = loadEnv();
  let token = env.twilio.authToken;
  if (!token) {
    try {
      token = (JSON.parse(readFileSync(devSecretsPath(env.dataDir), "utf8")) as { twilioAuthToken?: string }).twilioAuthToken;
    } catch {
      // handled below
    }
  }
  if (!token) {
    console.error(`[call-sim] no TWILIO_AUTH_TOKEN and no ${devSecretsPath(env.dataDir)}: start Kesher first (npm start) or set the token`);
    process.exit(1);
  }
  const baseUrl = (arg("url") ?? `http://127.0.0.1:${env.port}`).replace(/\/+$/, "");
  console.log(`call-sim → ${baseUrl}`);
  const r = await runCallSim({
    baseUrl,
    authToken: token,
    from: arg("from"),
    to: arg("to"),
    bargeIn: process.argv.includes("--barge-in") ? { line: 3, afterMs: Number(arg("barge-after") ?? 1500) } : undefined,
    print: (l) => console.log(l),
  }).catch((err: unknown) => {
    // A developer tool: say what to do, not a stack trace.
    console.error(`[call-sim] ${callSimFailure(err, baseUrl, arg("url") !== undefined)}`);
    process.exit(1);
  });
  const lat = r.turns.map((t) => t.latencyMs).filter((x): x is number => x !== null && Number.isFinite(x));
  console.log(
    `\ncall ${r.callSid}: greeting first frame ${r.greetingMs === null ? "—" : `${Math.round(r.greetingMs)} ms`} after start · ${r.turns.length} caller turns · reply latency p50 ${Math.round(quantile(lat, 0.5))} ms, max ${Math.round(Math.max(0, ...lat))} ms (incl. endpointing) · ${r.clears} clear(s) · ${r.hungUpByKesher ? "Kesher hung up" : "caller hung up"}`,
  );
  process.exit(0);
}
