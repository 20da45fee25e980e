/** Call and turn shapes on the wire. */
import { z } from "zod";
import { callLogs, conversationTurns } from "../../../db/schema";

export const ZCall = z.object({
  id: z.string(),
  businessId: z.string(),
  callSid: z.string(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  fromNumber: z.string().nullable(),
  toNumber: z.string().nullable(),
  direction: z.string(),
  status: z.string(),
  mode: z.string(),
  engine: z.string().nullable(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationSec: z.number().nullable(),
  recordingUrl: z.string().nullable(),
  summary: z.string().nullable(),
  sentiment: z.string().nullable(),
  leadScore: z.number().nullable(),
  leadReasons: z.array(z.string()).nullable(),
  transferred: z.boolean(),
  metrics: z.record(z.string(), z.number()),
});
export type TCallDto = z.infer<typeof ZCall>;

export const ZTurn = z.object({
  id: z.number(),
  callId: z.string(),
  seq: z.number(),
  speaker: z.string(),
  text: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  interrupted: z.boolean(),
  toolName: z.string().nullable(),
  metrics: z.record(z.string(), z.number()).nullable(),
});
export type TTurnDto = z.infer<typeof ZTurn>;

const numbers = (o: object | null | undefined): Record<string, number> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => typeof v === "number")) as Record<string, number>;

export function toCallDto(c: typeof callLogs.$inferSelect, customerName: string | null = null): TCallDto {
  return {
    id: c.id,
    businessId: c.businessId,
    callSid: c.callSid,
    customerId: c.customerId,
    customerName,
    fromNumber: c.fromNumber,
    toNumber: c.toNumber,
    direction: c.direction,
    status: c.status,
    mode: c.mode,
    engine: c.engine,
    startedAt: c.startedAt.toISOString(),
    answeredAt: c.answeredAt?.toISOString() ?? null,
    endedAt: c.endedAt?.toISOString() ?? null,
    durationSec: c.durationSec,
    recordingUrl: c.recordingUrl,
    summary: c.summary,
    sentiment: c.sentiment,
    leadScore: c.leadScore,
    leadReasons: c.leadReasons ?? null,
    transferred: c.transferred,
    metrics: numbers(c.metrics),
  };
}

export function toTurnDto(t: typeof conversationTurns.$inferSelect): TTurnDto {
  return {
    id: t.id,
    callId: t.callId,
    seq: t.seq,
    speaker: t.speaker,
    text: t.text,
    startedAt: t.startedAt.toISOString(),
    endedAt: t.endedAt?.toISOString() ?? null,
    interrupted: t.interrupted,
    toolName: t.toolName,
    metrics: t.metrics ? numbers(t.metrics) : null,
  };
}
