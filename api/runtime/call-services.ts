/**
 * Process-wide services the call sessions use beyond the media path: Twilio
 * REST actions (transfer, hangup, watchdog redirect), the watchdog itself and
 * post-call analysis. Built once per process by the composition root
 * (api/runtime); the media side sees only the port in realtime/engines/call-services.ts.
 */
import type OpenAI from "openai";
import { createOpenAiClients } from "../../core/conversation/providers/openai-clients";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { TEventBus } from "../../core/kernel/events";
import type { TLogger } from "../../core/kernel/logger";
import { createTwilioClient, type TTwilioClient } from "../../core/kernel/twilio-client";
import { analyzeCall } from "../services/analysis/analyze-call";
import { hangupCall, redirectToFallback, transferCall, type TTransferOutcome } from "../services/calls/transfer-call";
import type { TDb } from "../../db/client";
import { callLogs } from "../../db/schema";
import type { TEnv } from "../../env";
import type { TCallRefInfo, TCallServices } from "../../realtime/engines/call-services";
import { createWatchdog, type TWatchdogOptions } from "../../realtime/watchdog";

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

export type { TCallRefInfo, TCallServices };

/** The call services over Twilio REST and the api services; `transfer` also reports what it did. */
export function createCallServices(input: TCallServicesInput): TCallServices & { transfer(call: TCallRefInfo): Promise<TTransferOutcome | null> } {
  const { db } = input;
  const log = input.log.child({ component: "call-services" });
  const rest = input.twilio === undefined ? createTwilioClient(input.config.twilio) : input.twilio;
  const openai = input.openai !== undefined ? input.openai : createOpenAiClients(input.config).background;
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
