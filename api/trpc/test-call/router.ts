/**
 * testCall: the in-browser test call ("שיחת ניסיון") and spoken previews.
 * Staff type or pick Hebrew caller lines; Kesher answers through the same
 * agent and TTS as a phone call, and the call is logged like a real one.
 */
import { z } from "zod";
import { SCRIPTED_LINES } from "../../services/test-call/scripted-lines";
import { synthesizeAnswer } from "../../services/test-call/synthesize-answer";
import { testCallRuntimeFor } from "../../services/test-call/test-call-runtime";
import { endTestCall, sayInTestCall, startTestCall, type TTestCallDeps } from "../../services/test-call/test-call-session";
import { permissionProcedure, router, scopeOf, staffProcedure, ZBusinessOverride } from "../init";
import { ZId } from "../schemas";
import type { TTrpcContext } from "../context";

const p = permissionProcedure("calls");

const ZAudio = z.object({
  audioBase64: z.string(),
  mimeType: z.literal("audio/mpeg"),
  durationMs: z.number(),
  firstByteMs: z.number(),
  synthMs: z.number(),
});

const ZTurnMetrics = z.object({
  endpointMs: z.number().optional(),
  sttMs: z.number().optional(),
  llmFirstTokenMs: z.number().optional(),
  ttsFirstByteMs: z.number().optional(),
  firstFrameMs: z.number().optional(),
  totalMs: z.number().optional(),
  ownOverheadMs: z.number().optional(),
});

const ZTestTurn = z.object({
  seq: z.number(),
  speaker: z.enum(["caller", "assistant", "tool"]),
  text: z.string(),
  toolName: z.string().nullable(),
  metrics: ZTurnMetrics.nullable(),
});

const ZAnswer = z.object({
  callId: z.string(),
  turns: z.array(ZTestTurn),
  audio: ZAudio.nullable(),
  action: z.enum(["transfer", "hangup"]).nullable(),
});

function depsOf(ctx: TTrpcContext): TTestCallDeps {
  return { db: ctx.deps.dbh.db, events: ctx.deps.events, log: ctx.log, runtime: testCallRuntimeFor(ctx.deps) };
}

export const testCallRouter = router({
  /** Ready-made caller lines to click. */
  scripts: staffProcedure
    .input(z.void())
    .output(z.array(z.object({ id: z.string(), label: z.string(), text: z.string() })))
    .query(() => SCRIPTED_LINES),

  start: p
    .input(ZBusinessOverride.extend({ callerPhone: z.string().trim().max(40).nullable().optional() }).optional())
    .output(ZAnswer)
    .mutation(({ ctx, input = {} }) => startTestCall(depsOf(ctx), scopeOf(ctx, input.businessId), { callerPhone: input.callerPhone ?? null })),

  say: p
    .input(ZBusinessOverride.extend({ callId: ZId, text: z.string().max(2000) }))
    .output(ZAnswer)
    .mutation(({ ctx, input }) => sayInTestCall(depsOf(ctx), scopeOf(ctx, input.businessId), input)),

  end: p
    .input(ZBusinessOverride.extend({ callId: ZId }))
    .output(z.object({ callId: z.string(), durationSec: z.number() }))
    .mutation(({ ctx, input }) => endTestCall(depsOf(ctx), scopeOf(ctx, input.businessId), input)),

  /** Speak any text with the business's TTS (the settings page "listen" preview). */
  speak: staffProcedure
    .input(z.object({ text: z.string().trim().min(1, "אין טקסט להשמעה").max(1000, "טקסט ארוך מדי להשמעה"), voice: z.string().max(80).optional() }))
    .output(ZAudio)
    .mutation(({ ctx, input }) => synthesizeAnswer(testCallRuntimeFor(ctx.deps).tts, input.text, { voice: input.voice })),
});
