/**
 * A customer's conversation history across channels — call turns, call
 * summaries and WhatsApp messages — merged oldest first, for the agent.
 */
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs, conversationTurns, whatsappMessages } from "../../../db/schema";
import type { THistoryItem } from "../../../core/conversation/brain/types";

interface TStamped extends THistoryItem {
  at: Date;
}

/**
 * @param excludeMessageId  the message being answered (it is passed to the agent as input, not history)
 */
export async function customerHistory(
  db: TDb,
  businessId: string,
  customerId: string,
  opts: { limit?: number; excludeMessageId?: string } = {},
): Promise<THistoryItem[]> {
  const limit = opts.limit ?? 30;
  const msgConds = [eq(whatsappMessages.businessId, businessId), eq(whatsappMessages.customerId, customerId)];
  if (opts.excludeMessageId) msgConds.push(ne(whatsappMessages.id, opts.excludeMessageId));
  const messages = await db
    .select({ direction: whatsappMessages.direction, body: whatsappMessages.body, mediaType: whatsappMessages.mediaType, at: whatsappMessages.sentAt, status: whatsappMessages.status })
    .from(whatsappMessages)
    .where(and(...msgConds))
    .orderBy(desc(whatsappMessages.sentAt))
    .limit(limit);

  const calls = await db
    .select({ id: callLogs.id, summary: callLogs.summary, startedAt: callLogs.startedAt })
    .from(callLogs)
    .where(and(eq(callLogs.businessId, businessId), eq(callLogs.customerId, customerId)))
    .orderBy(desc(callLogs.startedAt))
    .limit(5);
  const turns = calls.length
    ? await db
        .select({ speaker: conversationTurns.speaker, text: conversationTurns.text, at: conversationTurns.startedAt, callId: conversationTurns.callId })
        .from(conversationTurns)
        .where(and(eq(conversationTurns.businessId, businessId), inArray(conversationTurns.callId, calls.map((c) => c.id))))
        .orderBy(desc(conversationTurns.startedAt))
        .limit(limit)
    : [];

  const items: TStamped[] = [];
  for (const m of messages) {
    if (m.direction === "out" && m.status === "failed") continue;
    const text = m.body ?? (m.mediaType ? `[${m.mediaType}]` : null);
    if (text) items.push({ role: m.direction === "in" ? "user" : "assistant", text, at: m.at });
  }
  const callsWithTurns = new Set(turns.map((t) => t.callId));
  for (const t of turns) {
    if (t.speaker === "caller") items.push({ role: "user", text: t.text, at: t.at });
    else if (t.speaker === "assistant" || t.speaker === "staff") items.push({ role: "assistant", text: t.text, at: t.at });
  }
  for (const c of calls) {
    if (c.summary && !callsWithTurns.has(c.id)) items.push({ role: "tool", text: `סיכום שיחת טלפון: ${c.summary}`, at: c.startedAt });
  }
  items.sort((a, b) => a.at.getTime() - b.at.getTime());
  return items.slice(-limit).map(({ role, text }) => ({ role, text }));
}
