import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { customers } from "./customers";
import { callMode, callStatus, speaker } from "./enums";
import { timestamps } from "./timestamps";

/** Latency of one turn, milliseconds from the caller's end of speech. */
export interface TTurnMetrics {
  endpointMs?: number;
  sttMs?: number;
  llmFirstTokenMs?: number;
  ttsFirstByteMs?: number;
  firstFrameMs?: number;
  totalMs?: number;
  ownOverheadMs?: number;
  /** Why the apology was played instead of a reply (provider error, timeout, empty transcript). */
  fallback?: string;
  /** A filler ("one moment") was spoken because the reply was slow. */
  filler?: boolean;
}

export interface TCallMetrics {
  greetingFirstFrameMs?: number;
  turns?: number;
  bargeIns?: number;
  framesIn?: number;
  framesLost?: number;
  malformedMessages?: number;
  avgTurnMs?: number;
  p95TurnMs?: number;
  /** Outbound playback: times Twilio's buffer ran dry mid-reply (audible gaps), and the largest adaptive lead used. */
  playbackUnderruns?: number;
  maxLeadMs?: number;
}

export const callLogs = pgTable(
  "call_logs",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    callSid: text().notNull(),
    streamSid: text(),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    fromNumber: text(),
    toNumber: text(),
    direction: text().notNull().default("inbound"),
    status: callStatus().notNull().default("ringing"),
    mode: callMode().notNull().default("stream"),
    engine: text(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    durationSec: integer(),
    streamStatus: text(),
    recordingUrl: text(),
    recordingSid: text(),
    recordingDurationSec: integer(),
    summary: text(),
    sentiment: text(),
    sentimentScore: real(),
    leadScore: integer(),
    leadReasons: jsonb().$type<string[]>(),
    transferred: boolean().notNull().default(false),
    metrics: jsonb().$type<TCallMetrics>().notNull().default({}),
    /** Normalised summary for Hebrew search (kesher_norm, migration 0002); computed by the database. */
    summaryNorm: text().generatedAlwaysAs(sql`kesher_norm("summary")`),
    /** Digits of the caller's number for phone searches; computed by the database. */
    fromDigits: text().generatedAlwaysAs(sql`regexp_replace(coalesce("from_number", ''), '\\D', '', 'g')`),
    /**
     * The caller's customer name, normalised (kesher_norm), for calls search by name on this table alone.
     * Kept by triggers (migration 0017): set from the customer when a call is written with a customer,
     * rewritten on the customer's calls when the name changes. Never written by the app.
     */
    callerNameNorm: text(),
    /** A dashboard test call ("שיחת ניסיון"); computed from direction so no writer can forget it. */
    isTest: boolean().notNull().generatedAlwaysAs(sql`("direction" = 'test')`),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("call_logs_call_sid_uq").on(t.callSid),
    index("call_logs_business_started_idx").on(t.businessId, t.startedAt, t.id),
    index("call_logs_customer_idx").on(t.customerId),
    index("call_logs_summary_norm_trgm_idx").using("gin", t.summaryNorm.op("gin_trgm_ops")),
    index("call_logs_from_digits_trgm_idx").using("gin", t.fromDigits.op("gin_trgm_ops")),
    index("call_logs_caller_name_norm_trgm_idx").using("gin", t.callerNameNorm.op("gin_trgm_ops")),
  ],
);

export const conversationTurns = pgTable(
  "conversation_turns",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    callId: uuid()
      .notNull()
      .references(() => callLogs.id, { onDelete: "cascade" }),
    /** Order within the call; (call_id, seq) is unique so retried writes are idempotent. */
    seq: integer().notNull(),
    speaker: speaker().notNull(),
    text: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
    interrupted: boolean().notNull().default(false),
    toolName: text(),
    toolPayload: jsonb(),
    metrics: jsonb().$type<TTurnMetrics>(),
    /** Normalised text for Hebrew search (kesher_norm, migration 0002); computed by the database. */
    textNorm: text().generatedAlwaysAs(sql`kesher_norm("text")`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("conversation_turns_call_seq_uq").on(t.callId, t.seq),
    index("conversation_turns_business_idx").on(t.businessId),
    index("conversation_turns_text_trgm_idx").using("gin", t.text.op("gin_trgm_ops")),
    index("conversation_turns_text_norm_trgm_idx").using("gin", t.textNorm.op("gin_trgm_ops")),
  ],
);
