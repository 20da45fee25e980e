/**
 * One inbound SMS (Twilio Messaging webhook, already signature-checked):
 * stored in the customer's thread (the unified inbox), idempotent on the
 * MessageSid; STOP/START update the opt-out; "1"/"כן" and "2"/"בטל" answer
 * the customer's next viewing notice and get a short confirmation back.
 */
import type { TDb } from "../../../db/client";
import { whatsappMessages } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { toE164 } from "../../../core/kernel/phone";
import { resolveBusinessForNumber } from "../../../core/domain/resolve-business";
import { findOrCreateCustomerByPhone } from "../../../core/domain/find-or-create-customer";
import { sendToCustomer, type TSendToCustomerDeps } from "../messaging/send-to-customer";
import { optIn, optKeyword, optOut } from "./sms-opt-out";
import { applyViewingReply, REPLY_TEXT, viewingReply } from "./viewing-notices";

export interface TInboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string | null;
  raw: Record<string, string>;
}

export type TInboundSmsAction = "stored" | "duplicate" | "opted_out" | "opted_in" | "confirmed" | "cancelled";

export interface TInboundSmsResult {
  action: TInboundSmsAction;
  businessId: string;
  customerId: string;
  messageId: string | null;
}

export async function handleInboundSms(deps: TSendToCustomerDeps, sms: TInboundSms): Promise<TInboundSmsResult> {
  const from = toE164(sms.from);
  const to = toE164(sms.to);
  if (!from || !/^SM|^MM/.test(sms.messageSid)) throw new AppError("BAD_REQUEST", "inbound sms without a sender or MessageSid");
  const business = await resolveBusinessForNumber(deps.db, to);
  if (!business) throw new AppError("NOT_FOUND", `no business for sms to ${to}`);
  const now = deps.now?.() ?? new Date();
  const { customer } = await findOrCreateCustomerByPhone(deps.db as TDb, { businessId: business.id, phone: from, source: "sms" });

  const [row] = await deps.db
    .insert(whatsappMessages)
    .values({
      businessId: business.id,
      customerId: customer.id,
      provider: "sms",
      providerMessageId: sms.messageSid,
      direction: "in",
      author: "customer",
      fromNumber: from,
      toNumber: to ?? sms.to,
      body: sms.body,
      status: "received",
      raw: sms.raw,
      sentAt: now,
    })
    .onConflictDoNothing({ target: [whatsappMessages.businessId, whatsappMessages.provider, whatsappMessages.providerMessageId] })
    .returning({ id: whatsappMessages.id });
  const base = { businessId: business.id, customerId: customer.id };
  if (!row) return { ...base, action: "duplicate", messageId: null };
  deps.events.publish({ type: "whatsapp.message", businessId: business.id, customerId: customer.id, messageId: row.id, direction: "in" });
  const result = { ...base, messageId: row.id };

  // Twilio answers STOP/START itself on long codes; we only remember it.
  const opt = optKeyword(sms.body);
  if (opt?.kind === "stop") {
    await optOut(deps.db, business.id, from, opt.word);
    deps.log.info({ businessId: business.id, customerId: customer.id }, "sms opt-out stored");
    return { ...result, action: "opted_out" };
  }
  if (opt?.kind === "start") {
    await optIn(deps.db, business.id, from);
    return { ...result, action: "opted_in" };
  }

  const reply = viewingReply(sms.body);
  if (reply) {
    const applied = await applyViewingReply(deps, { businessId: business.id, customerId: customer.id, reply, now });
    if (applied) {
      await sendToCustomer(deps, { ...base, body: REPLY_TEXT[applied.status], purpose: "other", channel: "sms" }).catch((err: unknown) =>
        deps.log.warn({ err, appointmentId: applied.appointmentId }, "could not confirm the viewing reply by sms"),
      );
      deps.log.info({ appointmentId: applied.appointmentId, status: applied.status }, "viewing answered by sms");
      return { ...result, action: applied.status };
    }
  }
  return { ...result, action: "stored" };
}
