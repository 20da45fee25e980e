/**
 * The Bun-specific edge for Twilio Media Streams: upgrades /ws/twilio-media and
 * hands each socket to a session. (The full call session lives in
 * realtime/call-session.ts; until it is wired, streams are accepted and logged.)
 */
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { TLogger } from "../api/lib/logger";

export const MEDIA_PATHS = new Set(["/ws/twilio-media", "/ws/twilio-media/"]);

export interface TSocketData {
  id: string;
  log: TLogger;
  connectedAt: number;
}

export interface TMediaServer {
  /** Try to upgrade; returns true when the request was a media-stream upgrade. */
  upgrade(req: Request, server: Server<TSocketData>): boolean;
  websocket: WebSocketHandler<TSocketData>;
  activeCount(): number;
}

export function createMediaServer(deps: { log: TLogger }): TMediaServer {
  const sockets = new Set<ServerWebSocket<TSocketData>>();
  return {
    upgrade(req, server) {
      const url = new URL(req.url);
      if (!MEDIA_PATHS.has(url.pathname)) return false;
      const id = crypto.randomUUID();
      return server.upgrade(req, { data: { id, log: deps.log.child({ ws: id }), connectedAt: Date.now() } });
    },
    websocket: {
      open(ws) {
        sockets.add(ws);
        ws.data.log.info("media stream connected");
      },
      message(ws, message) {
        if (typeof message !== "string") {
          ws.data.log.warn({ bytes: message.byteLength }, "binary media-stream message ignored");
          return;
        }
        try {
          const msg = JSON.parse(message) as { event?: string };
          if (msg.event !== "media") ws.data.log.info({ event: msg.event }, "media stream event");
        } catch {
          ws.data.log.warn({ length: message.length }, "malformed media-stream JSON ignored");
        }
      },
      close(ws, code) {
        sockets.delete(ws);
        ws.data.log.info({ code }, "media stream closed");
      },
    },
    activeCount: () => sockets.size,
  };
}
