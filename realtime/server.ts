/**
 * The Bun-specific edge for Twilio Media Streams: upgrades /ws/twilio-media
 * (and the trailing-slash spelling) and gives each socket its own CallSession.
 */
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { TEventBus } from "../api/lib/events";
import type { TLogger } from "../api/lib/logger";
import type { TDb } from "../db/client";
import { createCallSession, type TCallSession, type TCallSessionDeps, type TSessionOptions, type TSessionProviders, type TSessionStats } from "./call-session";
import type { TVoicePrompts } from "./voice-prompts";

export const MEDIA_PATHS = new Set(["/ws/twilio-media", "/ws/twilio-media/"]);
/** Largest inbound media-stream message accepted (bytes). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface TSocketData {
  id: string;
  log: TLogger;
  connectedAt: number;
  session?: TCallSession;
  /** Set once the session is ending (persistence flushing). */
  ending?: Promise<void>;
}

export interface TMediaServerDeps {
  log: TLogger;
  db: TDb;
  events?: TEventBus;
  providers: TSessionProviders;
  prompts: TVoicePrompts;
  options?: TSessionOptions;
  /** Observer for finished sessions (the benchmark aggregates their stats). */
  onSessionEnd?: (stats: TSessionStats) => void;
  /** Builds each socket's session (engine choice, watchdog, DTMF, actions); default: the pipeline session. */
  createSession?: (deps: TCallSessionDeps) => TCallSession;
}

export interface TMediaServer {
  /** Try to upgrade; returns true when the request was a media-stream upgrade. */
  upgrade(req: Request, server: Server<TSocketData>): boolean;
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
    const p = s.end(reason).then(
      () => deps.onSessionEnd?.(s.stats),
      (err: unknown) => ws.data.log.error({ err }, "ending the call session failed"),
    );
    ws.data.ending = p;
    finishing.add(p);
    void p.finally(() => finishing.delete(p));
    return p;
  };
  return {
    upgrade(req, server) {
      const url = new URL(req.url);
      if (!MEDIA_PATHS.has(url.pathname)) return false;
      const id = crypto.randomUUID();
      return server.upgrade(req, { data: { id, log: deps.log.child({ ws: id }), connectedAt: Date.now() } });
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
        ws.data.session = (deps.createSession ?? createCallSession)({
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
        });
      },
      message(ws, message) {
        ws.data.session?.handle(typeof message === "string" ? message : new Uint8Array(message));
      },
      close(ws, code) {
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
