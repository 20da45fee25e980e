/**
 * One inbound WhatsApp message, from either transport: store it (redeliveries
 * stop here), publish it, and answer — unless staff took the thread over —
 * with the shared conversation agent in Hebrew, or with the after-hours
 * auto-reply when the business is closed.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { businesses, customers, whatsappMessages } from "../../../db/schema";
import type { TAgent } from "../../../core/conversation/brain/types";
import type { TInboundMessage } from "../../whatsapp/types";
import { afterHoursReply, isOpenAt } from "./business-hours";
import { customerHistory } from "./customer-history";
import { recordInboundMessage } from "./record-message";
import { sendWhatsAppMessage, type TSendDeps } from "./send-whatsapp-message";

export interface TInboundDeps extends TSendDeps {
  /** The conversation agent; null turns AI replies off (messages are still stored). */
  agent: TAgent | null;
  /** Answers when `agent` throws (the local brain behind an LLM agent). */
  fallbackAgent?: TAgent;
  /** Per-customer agent state (slots, stage) kept between messages. */
  agentState?: Map<string, Record<string, unknown>>;
  /** Voice note → text, when a real STT provider is configured. */
  transcribe?: (msg: TInboundMessage) => Promise<string | null>;
  /** Hand a stored voice note to the job engine (true: the job transcribes and answers it). */
  deferVoiceNote?: (businessId: string, messageId: string, msg: TInboundMessage) => Promise<boolean>;
}

export type TInboundOutcome = "duplicate" | "own_message" | "ai_paused" | "after_hours" | "after_hours_silent" | "replied" | "no_reply" | "reply_failed" | "transcribing";

export interface TInboundResult {
  outcome: TInboundOutcome;
  messageId: string;
  customerId: string;
  replyId?: string;
}

/** Do not repeat the after-hours message more often than this per customer. */
const AFTER_HOURS_REPEAT_MS = 12 * 60 * 60 * 1000;

/** What the agent reads for a message without text. */
function agentInput(msg: TInboundMessage): string {
  if (msg.body) return msg.body;
  const kind: Record<string, string> = { image: "תמונה", video: "סרטון", audio: "הקלטה", voice: "הודעה קולית", document: "מסמך", sticker: "מדבקה", location: "מיקום", contact: "איש קשר" };
  return `[הלקוח שלח ${kind[msg.mediaType ?? ""] ?? "הודעה"}]`;
}

/**
 * @param onStored called once the message is safely in the database (before
 *   any transcription or reply), so a webhook can acknowledge early.
 */
export async function handleInboundMessage(deps: TInboundDeps, businessId: string, msg: TInboundMessage, onStored?: () => void): Promise<TInboundResult> {
  const { db, log } = deps;
  const recorded = await recordInboundMessage(db, businessId, msg);
  onStored?.();
  const base = { messageId: recorded.message.id, customerId: recorded.customer.id };
  const mlog = log.child({ businessId, customerId: base.customerId, providerMessageId: msg.providerMessageId, provider: msg.provider });
  if (!recorded.created) {
    mlog.info("duplicate whatsapp delivery ignored");
    return { outcome: "duplicate", ...base };
  }
  deps.events.publish({ type: "whatsapp.message", businessId, customerId: base.customerId, messageId: base.messageId, direction: msg.fromMe ? "out" : "in" });
  if (msg.fromMe) return { outcome: "own_message", ...base };
  // A voice note goes to its job (transcribed with retries on any instance, then answered by answerStoredMessage).
  if (msg.mediaType === "voice" && !msg.body && deps.deferVoiceNote && (await deps.deferVoiceNote(businessId, base.messageId, msg))) {
    mlog.info("voice note handed to its transcription job");
    return { outcome: "transcribing", ...base };
  }
  if (msg.mediaType === "voice" && !msg.body && deps.transcribe) {
    const transcript = await deps.transcribe(msg);
    if (transcript) {
      msg.body = transcript;
      await db
        .update(whatsappMessages)
        .set({ body: transcript, raw: sql`coalesce(${whatsappMessages.raw}, '{}'::jsonb) || ${JSON.stringify({ transcribed: true })}::jsonb` })
        .where(eq(whatsappMessages.id, base.messageId));
    }
  }
  if (recorded.customer.aiPaused) {
    mlog.info("thread taken over by staff; AI stays quiet");
    return { outcome: "ai_paused", ...base };
  }
  return answer(deps, businessId, msg, base, mlog);
}

/**
 * Answer a message already stored (a voice note after its transcription job): the same reply
 * path as a message that just arrived, with the stored body (the transcript).
 */
export async function answerStoredMessage(
  deps: TInboundDeps,
  businessId: string,
  stored: { messageId: string; provider: TInboundMessage["provider"]; peerAddress: string; peerPhone: string },
): Promise<TInboundResult> {
  const [row] = await deps.db.select().from(whatsappMessages).where(and(eq(whatsappMessages.id, stored.messageId), eq(whatsappMessages.businessId, businessId)));
  if (!row?.customerId) throw new Error(`whatsapp message ${stored.messageId} not found`);
  const base = { messageId: row.id, customerId: row.customerId };
  const mlog = deps.log.child({ businessId, customerId: base.customerId, messageId: row.id, provider: stored.provider });
  const [customer] = await deps.db.select({ aiPaused: customers.aiPaused }).from(customers).where(eq(customers.id, row.customerId));
  if (customer?.aiPaused) return { outcome: "ai_paused", ...base };
  const msg: TInboundMessage = {
    provider: stored.provider,
    providerMessageId: row.providerMessageId ?? row.id,
    fromMe: false,
    from: row.fromNumber,
    to: row.toNumber,
    peerPhone: stored.peerPhone,
    peerAddress: stored.peerAddress,
    body: row.body,
    mediaType: row.mediaType as TInboundMessage["mediaType"],
    mediaMime: null,
    mediaUrl: row.mediaUrl,
    profileName: null,
    sentAt: row.sentAt,
    raw: row.raw,
  };
  return answer(deps, businessId, msg, base, mlog);
}

async function answer(deps: TInboundDeps, businessId: string, msg: TInboundMessage, base: { messageId: string; customerId: string }, mlog: TInboundDeps["log"]): Promise<TInboundResult> {
  const { db } = deps;
  const [business] = await db.select().from(businesses).where(eq(businesses.id, businessId));
  if (!business) throw new Error(`business ${businessId} vanished`);
  const now = deps.now?.() ?? new Date();
  const reply = async (body: string, author: "ai" | "system") =>
    sendWhatsAppMessage(deps, { businessId, customerId: base.customerId, author, body, to: msg.peerAddress, provider: msg.provider });

  try {
    if (!isOpenAt(business.settings.businessHours, business.timezone, now)) {
      const recent = await db
        .select({ id: whatsappMessages.id })
        .from(whatsappMessages)
        .where(
          and(
            eq(whatsappMessages.businessId, businessId),
            eq(whatsappMessages.customerId, base.customerId),
            eq(whatsappMessages.author, "system"),
            // Same clock as the one that stamped the auto-reply (sendWhatsAppMessage uses deps.now).
            gt(whatsappMessages.sentAt, new Date(now.getTime() - AFTER_HOURS_REPEAT_MS)),
          ),
        )
        .limit(1);
      if (recent.length > 0) return { outcome: "after_hours_silent", ...base };
      const sent = await reply(afterHoursReply(business.name), "system");
      return { outcome: "after_hours", ...base, replyId: sent.id };
    }

    if (!deps.agent) {
      mlog.warn("no conversation agent configured; message stored without an AI reply");
      return { outcome: "no_reply", ...base };
    }
    const history = await customerHistory(db, businessId, base.customerId, { excludeMessageId: base.messageId });
    const stateKey = `${businessId}:${base.customerId}`;
    const state = deps.agentState?.get(stateKey) ?? {};
    const ctx = {
      businessId,
      channel: "whatsapp" as const,
      customerId: base.customerId,
      callerPhone: msg.peerPhone,
      history,
      systemPrompt: business.settings.systemPrompt,
      businessName: business.name,
      state,
    };
    const run = async (agent: TAgent) => {
      let out = "";
      for await (const ev of agent.reply({ text: agentInput(msg), ctx })) if (ev.type === "text") out += ev.delta;
      return out;
    };
    let text: string;
    try {
      text = await run(deps.agent);
    } catch (err) {
      // The LLM failed (timeout, 5xx): the local Hebrew brain answers instead of leaving the customer unanswered.
      if (!deps.fallbackAgent) throw err;
      mlog.warn({ err, agent: deps.agent.name }, "agent failed; answering with the fallback agent");
      text = await run(deps.fallbackAgent);
    }
    deps.agentState?.set(stateKey, state);
    text = text.trim();
    if (!text) return { outcome: "no_reply", ...base };
    // Staff may have taken over while the agent was thinking.
    const [fresh] = await db.select({ aiPaused: customers.aiPaused }).from(customers).where(eq(customers.id, base.customerId));
    if (fresh?.aiPaused) return { outcome: "ai_paused", ...base };
    const sent = await reply(text, "ai");
    return { outcome: "replied", ...base, replyId: sent.id };
  } catch (err) {
    mlog.error({ err }, "whatsapp auto-reply failed");
    return { outcome: "reply_failed", ...base };
  }
}
