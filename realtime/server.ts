/**
 * The Bun-specific edge for Twilio Media Streams: upgrades /ws/twilio-media
 * (and the trailing-slash spelling) and gives each socket its own CallSession.
 * Nobody else gets in (realtime/stream-auth.ts): an upgrade without a valid
 * Twilio signature is answered 403; a socket gets a session only once its
 * `start` carries the signed webhook's one-time token for a live call, and the
 * session then sees trusted parameters only. Anything else: close 1008,
 * nothing written.
 */
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { TEventBus } from "../core/kernel/events";
import type { TLogger } from "../core/kernel/logger";
import type { TDb } from "../db/client";
import { createCallSession, type TCallSession, type TCallSessionDeps, type TSessionOptions, type TSessionProviders, type TSessionStats } from "./call-session";
import { parseTwilioMessage } from "./stages/twilio-serializer";
import type { TStreamAuth } from "./stream-auth";
import type { TAdmission } from "./admission";
import type { TVoicePrompts } from "../core/conversation/voice-prompts";

export const MEDIA_PATHS = new Set(["/ws/twilio-media", "/ws/twilio-media/"]);
/** Largest inbound media-stream message accepted (bytes). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** A socket that has not been admitted by then (no valid `start`) is closed. */
export const START_TIMEOUT_MS = 10_000;
/** Messages kept while a `start` is being checked (~1 s of media); later ones are dropped. */
const MAX_EARLY = 60;

export interface TSocketData {
  id: string;
  log: TLogger;
  connectedAt: number;
  session?: TCallSession;
  /** The admitted call (admission control). */
  callSid?: string;
  /** Admission of this socket's `start` (stream-auth). */
  gate: { state: "waiting" | "checking" | "admitted" | "refused"; early: (string | Uint8Array)[]; timer?: ReturnType<typeof setTimeout>; closed?: boolean };
  /** Set once the session is ending (persistence flushing). */
  ending?: Promise<void>;
}

export interface TMediaServerDeps {
  log: TLogger;
  db: TDb;
  events?: TEventBus;
  providers: TSessionProviders;
  prompts: TVoicePrompts;
  /** Upgrade signature and start-token checks (realtime/stream-auth.ts). */
  auth: TStreamAuth;
  options?: TSessionOptions;
  /** Observer for finished sessions (the benchmark aggregates their stats). */
  onSessionEnd?: (stats: TSessionStats) => void;
  /** Admission control: told when a call's stream starts and ends (realtime/admission.ts). */
  admission?: Pick<TAdmission, "started" | "ended">;
  /** Builds each socket's session (engine choice, watchdog, DTMF, actions); default: the pipeline session. */
  createSession?: (deps: TCallSessionDeps) => TCallSession;
}

export interface TMediaServer {
  /**
   * Try to upgrade: false when the request is not for the media path (serve it
   * elsewhere), true when upgraded, a Response (403, 400) to send when refused.
   */
  upgrade(req: Request, server: Server<TSocketData>): boolean | Response;
  websocket: WebSocketHandler<TSocketData>;
  activeCount(): number;
  /** End every session and flush its persistence (shutdown). */
  closeAll(reason?: string): Promise<void>;
}

export function createMediaServer(deps: TMediaServerDeps): TMediaServer {
  const sockets = new Set<ServerWebSocket<TSocketData>>();
  // Sessions whose socket closed but whose persistence is still flushing.
  const finishing = new Set<Promise<void>>();
  const finish = (ws: ServerWebSocket<TSocketData>, reason: string): Promise<void> => {
    const s = ws.data.session;
    if (!s) return Promise.resolve();
    if (ws.data.ending) return ws.data.ending;
    if (ws.data.callSid) deps.admission?.ended(ws.data.callSid);
    const p = s.end(reason).then(
      () => deps.onSessionEnd?.(s.stats),
      (err: unknown) => ws.data.log.error({ err }, "ending the call session failed"),
    );
    ws.data.ending = p;
    finishing.add(p);
    void p.finally(() => finishing.delete(p));
    return p;
  };
  const startSession = (ws: ServerWebSocket<TSocketData>) =>
    (ws.data.session = (deps.createSession ?? createCallSession)({
      providers: deps.providers,
      prompts: deps.prompts,
      db: deps.db,
      log: ws.data.log,
      events: deps.events,
      options: deps.options,
      send: (text) => {
        ws.send(text);
      },
      hangup: () => ws.close(1000, "hangup"),
    }));

  const refuse = (ws: ServerWebSocket<TSocketData>, reason: string, callSid?: string) => {
    ws.data.gate.state = "refused";
    ws.data.gate.early.length = 0;
    clearTimeout(ws.data.gate.timer);
    ws.data.log.warn({ reason, callSid }, "media stream refused");
    if (!ws.data.gate.closed) ws.close(1008, "policy violation");
  };

  /** Before admission: wait for `start`, check it, then hand the session trusted parameters. */
  const gate = (ws: ServerWebSocket<TSocketData>, message: string | Uint8Array) => {
    const g = ws.data.gate;
    if (g.state === "refused") return;
    if (g.state === "checking") {
      if (g.early.length < MAX_EARLY) g.early.push(message);
      return;
    }
    // Twilio sends only `connected` before `start`; anything else before it is ignored.
    if (typeof message !== "string" || !message.includes('"start"')) return;
    const parsed = parseTwilioMessage(message);
    if (!parsed.ok || parsed.msg.event !== "start") return;
    const start = parsed.msg;
    g.state = "checking";
    const t0 = performance.now();
    deps.auth.admitStart(start).then(
      (verdict) => {
        if (g.closed || g.state !== "checking") return;
        if (!verdict.ok) return refuse(ws, verdict.reason, start.callSid);
        g.state = "admitted";
        clearTimeout(g.timer);
        // The greeting waits for this check (one UPDATE of the call row): worth watching.
        ws.data.log.info({ callSid: start.callSid, admitMs: Math.round((performance.now() - t0) * 100) / 100 }, "media stream admitted");
        const raw = JSON.parse(message) as { start: Record<string, unknown> };
        raw.start.callSid = start.callSid;
        raw.start.customParameters = verdict.customParameters;
        ws.data.callSid = start.callSid;
        deps.admission?.started(start.callSid);
        const session = startSession(ws);
        session.handle(JSON.stringify(raw));
        for (const m of g.early.splice(0)) session.handle(m);
      },
      (err: unknown) => {
        ws.data.log.error({ err }, "checking the media stream start failed");
        refuse(ws, "start check failed", start.callSid);
      },
    );
  };

  return {
    upgrade(req, server) {
      const url = new URL(req.url);
      if (!MEDIA_PATHS.has(url.pathname)) return false;
      const id = crypto.randomUUID();
      const log = deps.log.child({ ws: id });
      const verdict = deps.auth.checkUpgrade(req);
      if (!verdict.ok) {
        log.warn({ reason: verdict.reason, ip: server.requestIP(req)?.address }, "media stream upgrade refused");
        return new Response("Forbidden", { status: 403 });
      }
      if (server.upgrade(req, { data: { id, log, connectedAt: Date.now(), gate: { state: "waiting", early: [] } } })) return true;
      return new Response("Expected a WebSocket upgrade", { status: 400 });
    },
    websocket: {
      // Twilio sends 50 small frames a second; do not batch them.
      perMessageDeflate: false,
      // Twilio messages are < 1 KB (a 20 ms media frame, a mark); anything near this is abuse:
      // Bun closes such a socket with 1009 instead of buffering it.
      maxPayloadLength: MAX_MESSAGE_BYTES,
      open(ws) {
        sockets.add(ws);
        ws.data.log.info("media stream connected");
        ws.data.gate.timer = setTimeout(() => {
          if (ws.data.gate.state !== "admitted") refuse(ws, "no valid start in time");
        }, START_TIMEOUT_MS);
      },
      message(ws, message) {
        const m = typeof message === "string" ? message : new Uint8Array(message);
        if (ws.data.session) ws.data.session.handle(m);
        else gate(ws, m);
      },
      close(ws, code) {
        ws.data.gate.closed = true;
        clearTimeout(ws.data.gate.timer);
        sockets.delete(ws);
        ws.data.log.info({ code }, "media stream closed");
        void finish(ws, "socket closed");
      },
    },
    activeCount: () => sockets.size,
    async closeAll(reason = "shutdown") {
      await Promise.all([...[...sockets].map((ws) => finish(ws, reason)), ...finishing]);
    },
  };
}
