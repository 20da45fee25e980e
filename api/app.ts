/**
 * Builds the Hono app: health, Twilio webhooks, static audio, tRPC and the
 * dashboard. Runtime-portable (no Bun APIs); api/main.ts is the Bun entry.
 */
import { icsRoutes } from "./http/ics-routes";
import { Hono } from "hono";
import { fileURLToPath } from "node:url";
import { AppError, isExpected } from "../core/kernel/errors";
import { serveDashboard } from "./static/dashboard";
import { STATIC_PROMPTS, type TStaticName } from "./static/static-audio";
import { twilioVoiceRoutes } from "./twilio/routes";
import { whatsappRoutes } from "./whatsapp/routes";
import { smsRoutes } from "./sms/routes";
import { trpcHandler } from "./trpc/mount";
import { callRecordingRoute } from "./http/call-recording";
import { propertyPhotoRoutes } from "./http/property-photos";
import { readinessHandler, type TReadinessChecks } from "./http/readiness";
import { billingRoutes } from "./billing/routes";
import { invoicePdfRoutes } from "./billing/invoice-pdf-link";
import { clientAddressResolver, type TPeerAddress } from "./middleware/client-address";
import { bodyLimits } from "./middleware/body-limits";
import { rejectMalformedUrl } from "./middleware/reject-malformed-url";
import type { TOnRecording } from "./twilio/recording";
import type { TOnStreamAnswered } from "./twilio/voice-webhook";
import type { TAppDeps, THonoEnv } from "./types";

export interface TAppOptions {
  /** Folder of the built dashboard; defaults to web/dist. */
  dashboardDir?: string;
  onRecording?: TOnRecording;
  /** A call was answered with a media stream (the watchdog arms its start timer). */
  onStreamAnswered?: TOnStreamAnswered;
  /** The socket address of a request (runtime-specific; api/main.ts passes Bun's server.requestIP). */
  peerAddress?: TPeerAddress;
  /** What else /ready waits for (the media server's greetings). */
  readiness?: TReadinessChecks;
  /** Extra routes (tRPC, WhatsApp webhooks, …) mounted before the dashboard fallback. */
  mount?: (app: Hono<THonoEnv>) => void;
}

export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../web/dist", import.meta.url));

export function createApp(deps: TAppDeps, opts: TAppOptions = {}) {
  const app = new Hono<THonoEnv>();

  app.use("*", async (c, next) => {
    const requestId = c.req.header("x-request-id") ?? crypto.randomUUID();
    c.set("requestId", requestId);
    c.set("log", deps.log.child({ requestId }));
    c.header("x-request-id", requestId);
    await next();
  });
  app.use("*", rejectMalformedUrl());
  // Before any route reads a body: oversized posts are refused unread (api/middleware/body-limits.ts).
  app.use("*", bodyLimits());

  app.onError((err, c) => {
    const log = c.get("log") ?? deps.log;
    if (err instanceof AppError) {
      if (isExpected(err)) log.info({ code: err.code, msg: err.message }, "request failed");
      else log.error({ err }, "request failed");
      return c.json({ error: { code: err.code, message: err.userMessage } }, err.status as 400);
    }
    log.error({ err, path: c.req.path }, "unhandled error");
    return c.json({ error: { code: "INTERNAL", message: "אירעה שגיאה פנימית, נסו שוב" } }, 500);
  });

  app.get("/health", async (c) => {
    const db = await deps.dbh.ping();
    return c.json({ ok: db, db: db ? deps.dbh.kind : "unreachable", version: deps.version }, db ? 200 : 503);
  });

  app.route("/", twilioVoiceRoutes(deps, { onRecording: opts.onRecording, onStreamAnswered: opts.onStreamAnswered }));
  if (deps.whatsapp) app.route("/", whatsappRoutes(deps, deps.whatsapp));
  app.route("/", smsRoutes(deps));
  app.route("/", invoicePdfRoutes(deps));

  app.get("/ready", readinessHandler(deps, opts.readiness));

  app.get("/static/:name{[a-z_]+\\.mp3}", async (c) => {
    const name = c.req.param("name") as TStaticName;
    if (!(name in STATIC_PROMPTS)) return c.notFound();
    // ?business=<id>: that business's greeting and voice (Twilio <Play> URLs carry it).
    const business = c.req.query("business");
    const businessId = business && /^[0-9a-f-]{36}$/i.test(business) ? business : undefined;
    const mp3 = await deps.audio.get(name, { db: deps.dbh.db, businessId });
    return c.body(mp3, 200, { "content-type": "audio/mpeg", "cache-control": "public, max-age=3600" });
  });

  // Which address a request comes from: the socket, or what TRUST_PROXY says our proxies wrote.
  const clientAddress = clientAddressResolver(deps.config.trustProxy, opts.peerAddress);
  app.all("/trpc/*", trpcHandler(deps, { clientAddress }));
  app.get("/recordings/:callId", callRecordingRoute(deps));
  app.route("/", icsRoutes(deps));
  app.route("/", propertyPhotoRoutes(deps));
  app.route("/", billingRoutes(deps, { clientAddress }));

  opts.mount?.(app);

  app.use("*", serveDashboard(opts.dashboardDir ?? DEFAULT_DASHBOARD_DIR, { production: deps.config.nodeEnv === "production" }));
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: "הדף לא נמצא" } }, 404));
  return app;
}

export type TApp = ReturnType<typeof createApp>;
