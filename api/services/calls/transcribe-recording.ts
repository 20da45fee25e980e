/**
 * A Record-mode recording (watchdog fallback or Direct Record business) is
 * ready: download it from Twilio (account Basic auth), transcribe it in Hebrew
 * with the configured STT, store the transcript as the caller's turn, update
 * the lead with what the caller asked for, and run the post-call analysis.
 * Without a real STT (no key) nothing is invented: the recording stays linked
 * to the call and staff get a task to listen to it.
 */
import { and, eq, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs, conversationTurns, tasks } from "../../../db/schema";
import { parseWav, wavToPcm16 } from "../../../core/conversation/audio/wav";
import { extractRequest } from "../analysis/analysis-rules";
import { upsertLead } from "../../../core/conversation/brain/tools/upsert-lead";
import type { TSttProvider } from "../../../core/conversation/providers/types";
import type { TEventBus } from "../../../core/kernel/events";
import type { TLogger } from "../../../core/kernel/logger";
import type { TEnv } from "../../../env";

export interface TRecordingReady {
  callId: string;
  businessId: string;
  callSid: string;
  recordingUrl: string;
  recordingSid: string;
}

export interface TTranscribeRecordingDeps {
  db: TDb;
  log: TLogger;
  events: TEventBus;
  /** A real speech-to-text provider, or null when none is configured. */
  stt: TSttProvider | null;
  download: (url: string) => Promise<Uint8Array>;
  /** Post-call analysis (summary, score, next-best-action task). */
  analyze?: (callId: string) => Promise<unknown>;
  /**
   * When download or STT fails: "task" (default) gives staff a listen task now;
   * "throw" rethrows so a job retries later (its last attempt passes "task").
   */
  onError?: "task" | "throw";
}

export type TTranscribeOutcome = { kind: "transcribed"; text: string; customerId: string | null } | { kind: "task"; reason: "no_stt" | "empty" | "failed"; taskId: string } | { kind: "duplicate" };

/** Downloads Twilio media with the account's Basic auth; *.twilio.com is re-targeted at TWILIO_API_BASE_URL (tests). */
export function twilioRecordingDownloader(cfg: TEnv["twilio"]): (url: string) => Promise<Uint8Array> {
  return async (url) => {
    if (!cfg.accountSid || !cfg.authToken) throw new Error("no Twilio account configured to download recordings");
    let target = new URL(/\.(wav|mp3)$/.test(url) ? url : `${url}.wav`);
    if (cfg.apiBaseUrl && /(^|\.)twilio\.com$/.test(target.hostname)) {
      const base = new URL(cfg.apiBaseUrl);
      target = new URL(`${base.pathname.replace(/\/+$/, "")}${target.pathname}${target.search}`, base.origin);
    }
    const res = await fetch(target, {
      headers: { authorization: `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString("base64")}` },
      redirect: "follow",
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`recording download failed: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

async function nextSeq(db: TDb, callId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`coalesce(max(${conversationTurns.seq}), -1) + 1` }).from(conversationTurns).where(eq(conversationTurns.callId, callId));
  return Number(row?.n ?? 0);
}

export async function transcribeRecording(deps: TTranscribeRecordingDeps, r: TRecordingReady): Promise<TTranscribeOutcome> {
  const { db } = deps;
  const log = deps.log.child({ callSid: r.callSid, recordingSid: r.recordingSid });
  // Twilio may deliver the callback twice: one transcript per recording.
  const [seen] = await db
    .select({ id: conversationTurns.id })
    .from(conversationTurns)
    .where(and(eq(conversationTurns.callId, r.callId), sql`${conversationTurns.toolPayload}->>'recordingSid' = ${r.recordingSid}`))
    .limit(1);
  if (seen) return { kind: "duplicate" };

  const [call] = await db.select({ customerId: callLogs.customerId, fromNumber: callLogs.fromNumber }).from(callLogs).where(eq(callLogs.id, r.callId)).limit(1);
  const addTask = async (reason: "no_stt" | "empty" | "failed"): Promise<TTranscribeOutcome> => {
    const title = "להאזין להקלטת השיחה ולחזור ללקוח";
    const why = reason === "no_stt" ? "אין שירות תמלול מוגדר" : reason === "empty" ? "התמלול יצא ריק" : "התמלול נכשל";
    // One task per recording, decided by the database: a concurrent redelivery's insert hits tasks_dedupe_key_uq and does nothing.
    const [t] = await db
      .insert(tasks)
      .values({ businessId: r.businessId, customerId: call?.customerId ?? null, callId: r.callId, title, description: `${why}. ההקלטה: ${r.recordingUrl}`, priority: "high", dueAt: new Date(Date.now() + 4 * 3_600_000), dedupeKey: `recording:${r.recordingSid}` })
      .onConflictDoNothing()
      .returning({ id: tasks.id });
    if (!t) return { kind: "duplicate" as const };
    await db
      .insert(conversationTurns)
      .values({ businessId: r.businessId, callId: r.callId, seq: await nextSeq(db, r.callId), speaker: "system", text: `התקבלה הקלטה (${why}) — נוצרה משימה להאזנה.`, toolPayload: { recordingSid: r.recordingSid, recordingUrl: r.recordingUrl } })
      .onConflictDoNothing();
    log.info({ reason }, "recording stored without transcript; staff task created");
    return { kind: "task" as const, reason, taskId: t!.id };
  };

  if (!deps.stt) return addTask("no_stt");
  let text: string;
  try {
    const wav = parseWav(await deps.download(r.recordingUrl));
    const pcm = wavToPcm16(wav);
    text = (await deps.stt.transcribe({ pcm, sampleRate: wav.sampleRate, language: "he", signal: AbortSignal.timeout(60_000) })).text.trim();
  } catch (err) {
    if (deps.onError === "throw") throw err;
    log.error({ err }, "recording transcription failed");
    return addTask("failed");
  }
  if (!text) return addTask("empty");

  await db
    .insert(conversationTurns)
    .values({ businessId: r.businessId, callId: r.callId, seq: await nextSeq(db, r.callId), speaker: "caller", text, toolPayload: { recordingSid: r.recordingSid, source: "recording" } })
    .onConflictDoNothing();
  deps.events.publish({ type: "call.turn", businessId: r.businessId, callId: r.callId, seq: 0, speaker: "caller", text });

  // What the caller asked for becomes the lead's requirements.
  const req = extractRequest([text]);
  const requirements = {
    ...(req.dealType ? { dealType: req.dealType as "sale" | "rent" } : {}),
    ...(req.propertyType === "apartment" || req.propertyType === "office" ? { propertyType: req.propertyType as "apartment" | "office" } : {}),
    ...(req.city ? { cities: [req.city] } : {}),
    ...(req.rooms ? { roomsMin: req.rooms } : {}),
    ...(req.budget !== undefined ? { budgetMax: req.budget } : {}),
  };
  let customerId = call?.customerId ?? null;
  if (call?.fromNumber) {
    const lead = await upsertLead(
      { db, events: deps.events, log },
      { businessId: r.businessId, channel: "call", callId: r.callId, customerId, callerPhone: call.fromNumber },
      { ...(req.name ? { name: req.name } : {}), requirements, notes: `הודעה מוקלטת: ${text.slice(0, 500)}` },
    );
    lead.publish();
    customerId = lead.customerId;
    if (!call.customerId) await db.update(callLogs).set({ customerId }).where(eq(callLogs.id, r.callId));
  }
  log.info({ chars: text.length }, "recording transcribed");
  await deps.analyze?.(r.callId);
  return { kind: "transcribed", text, customerId };
}
