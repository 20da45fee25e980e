/**
 * Process-wide services the call sessions use beyond the media path: Twilio
 * REST actions (transfer, hangup, watchdog redirect), the watchdog itself and
 * post-call analysis. Built once per process from config (api/main.ts).
 */
import OpenAI from "openai";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { TEventBus } from "../../api/lib/events";
import type { TLogger } from "../../api/lib/logger";
import { createTwilioClient, type TTwilioClient } from "../../api/lib/twilio-client";
import { analyzeCall } from "../../api/services/analysis/analyze-call";
import { hangupCall, redirectToFallback, transferCall, type TTransferOutcome } from "../../api/services/calls/transfer-call";
import type { TDb } from "../../db/client";
import { callLogs } from "../../db/schema";
import type { TEnv } from "../../env";
import { createWatchdog, type TWatchdog, type TWatchdogOptions } from "../watchdog";

export interface TCallRefInfo {
  callSid: string;
  businessId?: string;
  callId?: string;
  /**
   * Public origin the signed voice webhook saw, when PUBLIC_BASE_URL is unset. From a stream it is
   * the origin inside the verified stream token (realtime/stream-auth.ts), never a raw parameter.
   */
  origin?: string;
}

export interface TCallServices {
  watchdog: TWatchdog;
  transfer(call: TCallRefInfo): Promise<TTransferOutcome | null>;
  hangup(call: TCallRefInfo): Promise<boolean>;
  /** Post-call analysis by call id (or call sid when the id is unknown). Never throws. */
  analyze(call: TCallRefInfo, opts?: { force?: boolean }): Promise<void>;
  /** Remember the origin of a call (voice webhook) for later REST callbacks. */
  rememberOrigin(callSid: string, origin: string): void;
  /** Record which engine answered the call (call_logs.engine), off the media path. */
  markEngine(callSid: string, engine: string): void;
  close(): void;
}

export interface TCallServicesInput {
  db: TDb;
  log: TLogger;
  events?: TEventBus;
  config: Pick<TEnv, "twilio" | "openai" | "publicBaseUrl">;
  /** Overrides (tests): a ready client, watchdog timings, analysis model. */
  twilio?: TTwilioClient | null;
  openai?: OpenAI | null;
  watchdog?: TWatchdogOptions;
  analysisModel?: string;
  /** Clock for business hours (tests). */
  now?: () => Date;
  /** Hand the analysis to a durable job (api/jobs); if that throws, the analysis runs here. */
  analyzeLater?: (callId: string) => Promise<void>;
}

export function createCallServices(input: TCallServicesInput): TCallServices {
  const { db } = input;
  const log = input.log.child({ component: "call-services" });
  const rest = input.twilio === undefined ? createTwilioClient(input.config.twilio) : input.twilio;
  const openai =
    input.openai !== undefined
      ? input.openai
      : input.config.openai.apiKey
        ? new OpenAI({ apiKey: input.config.openai.apiKey, ...(input.config.openai.baseUrl ? { baseURL: input.config.openai.baseUrl } : {}), maxRetries: 1 })
        : null;
  const origins = new Map<string, string>();
  // Where Twilio is sent (watchdog redirect, transfer, Record): the configured origin, else the one the signed webhook saw.
  const originOf = (callSid: string, given?: string) => input.config.publicBaseUrl ?? origins.get(callSid) ?? given;

  const watchdog = createWatchdog({
    log: input.log,
    options: input.watchdog,
    redirect: (callSid) => redirectToFallback({ twilio: rest, origin: originOf(callSid), log }, callSid, "watchdog"),
    isLive: async (callSid, why) => {
      const [row] = await db
        .select({ id: callLogs.id })
        .from(callLogs)
        .where(
          and(
            eq(callLogs.callSid, callSid),
            inArray(callLogs.status, ["queued", "ringing", "in_progress"]),
            // A stream that attached in another process (split api/realtime) is not a missing start.
            why === "no-start" ? isNull(callLogs.streamSid) : undefined,
          ),
        )
        .limit(1);
      return Boolean(row);
    },
  });

  const businessOf = async (call: TCallRefInfo) => {
    if (call.businessId) return call.businessId;
    const [row] = await db.select({ businessId: callLogs.businessId }).from(callLogs).where(eq(callLogs.callSid, call.callSid)).limit(1);
    return row?.businessId;
  };

  return {
    watchdog,
    async transfer(call) {
      try {
        const businessId = await businessOf(call);
        if (!businessId) return null;
        watchdog.stopped(call.callSid);
        return await transferCall({ db, log, twilio: rest, origin: originOf(call.callSid, call.origin), now: input.now }, { callSid: call.callSid, businessId });
      } catch (err) {
        log.error({ err, callSid: call.callSid }, "transfer failed");
        return null;
      }
    },
    async hangup(call) {
      watchdog.stopped(call.callSid);
      try {
        return await hangupCall({ twilio: rest, log }, call.callSid);
      } catch (err) {
        log.warn({ err, callSid: call.callSid }, "REST hangup failed");
        return false;
      }
    },
    async analyze(call, opts) {
      try {
        let callId = call.callId;
        if (!callId) {
          const [row] = await db.select({ id: callLogs.id }).from(callLogs).where(eq(callLogs.callSid, call.callSid)).limit(1);
          callId = row?.id;
        }
        if (!callId) return;
        if (input.analyzeLater) {
          try {
            return await input.analyzeLater(callId);
          } catch (err) {
            log.warn({ err, callSid: call.callSid }, "analysis job not stored; analysing in-process");
          }
        }
        await analyzeCall({ db, log: input.log, events: input.events, openai, model: input.analysisModel }, callId, opts);
      } catch (err) {
        log.error({ err, callSid: call.callSid }, "post-call analysis failed");
      }
    },
    markEngine(callSid, engine) {
      void db
        .update(callLogs)
        .set({ engine })
        .where(eq(callLogs.callSid, callSid))
        .catch((err: unknown) => log.warn({ err, callSid }, "could not record the call's engine"));
    },
    rememberOrigin(callSid, origin) {
      origins.set(callSid, origin);
      // Bounded: origins only matter while the call is up.
      if (origins.size > 5000) origins.delete(origins.keys().next().value as string);
    },
    close() {
      watchdog.close();
    },
  };
}
