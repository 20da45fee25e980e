/**
 * Viewing confirmation (right after booking) and reminder (the day before),
 * by WhatsApp when the customer's conversation is open, else SMS
 * (sendToCustomer). Each (viewing, kind) is claimed in `viewing_notices`
 * before sending, so a notice goes out exactly once even when ticks or
 * processes race; the claim keeps the outcome (channel, skipped, error).
 *
 * `sendDueViewingReminders` is a plain idempotent function of `now`: a timer
 * calls it today, a job queue can call it tomorrow.
 */
import { and, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { appointmentRequests, businesses, properties, viewingNotices } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { updateAppointment } from "../appointments/manage-appointments";
import { sendToCustomer, type TSendToCustomerDeps } from "../messaging/send-to-customer";

export type TNoticeKind = "confirmation" | "reminder";

/** Reminders go out for viewings starting within this window from now. */
export const REMINDER_LEAD_MS = 24 * 3_600_000;

interface TViewingInfo {
  id: string;
  businessId: string;
  customerId: string | null;
  startsAt: Date;
  status: string;
  businessName: string;
  timezone: string;
  title: string | null;
  city: string | null;
  neighborhood: string | null;
  street: string | null;
}

async function loadViewing(deps: TSendToCustomerDeps, appointmentId: string): Promise<TViewingInfo | undefined> {
  const [v] = await deps.db
    .select({
      id: appointmentRequests.id,
      businessId: appointmentRequests.businessId,
      customerId: appointmentRequests.customerId,
      startsAt: appointmentRequests.startsAt,
      status: appointmentRequests.status,
      businessName: businesses.name,
      timezone: businesses.timezone,
      title: properties.title,
      city: properties.city,
      neighborhood: properties.neighborhood,
      street: properties.street,
    })
    .from(appointmentRequests)
    .innerJoin(businesses, eq(businesses.id, appointmentRequests.businessId))
    .leftJoin(properties, eq(properties.id, appointmentRequests.propertyId))
    .where(eq(appointmentRequests.id, appointmentId))
    .limit(1);
  return v;
}

/** "רחוב הרצל 10, פלורנטין, תל אביב" from what the listing has. */
export function addressOf(v: Pick<TViewingInfo, "street" | "neighborhood" | "city">): string | null {
  const parts = [v.street, v.neighborhood, v.city].map((p) => p?.trim()).filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}

/** Hebrew day and time in the business's timezone, e.g. "יום ה׳ 26.11 בשעה 10:00". */
export function whenOf(startsAt: Date, timezone: string): string {
  const day = new Intl.DateTimeFormat("he-IL", { weekday: "short", timeZone: timezone }).format(startsAt);
  const date = new Intl.DateTimeFormat("he-IL", { day: "2-digit", month: "2-digit", timeZone: timezone }).format(startsAt);
  const time = new Intl.DateTimeFormat("he-IL", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: timezone }).format(startsAt);
  return `${day} ${date} בשעה ${time}`;
}

/** The message text: what, when, where, and how to answer. */
export function noticeText(kind: TNoticeKind, v: TViewingInfo): string {
  const where = addressOf(v);
  const what = v.title ? `ביקור ב${v.title}` : "ביקור בנכס";
  const head = kind === "confirmation" ? `${v.businessName}: נקבע לך ${what}` : `${v.businessName}: תזכורת — מחר ${what}`;
  return [`${head} ${whenOf(v.startsAt, v.timezone)}.`, where ? `כתובת: ${where}.` : "", "לאישור השיבו 1 או כן, לביטול השיבו 2 או בטל."].filter(Boolean).join("\n");
}

export interface TNoticeResult {
  appointmentId: string;
  kind: TNoticeKind;
  outcome: "whatsapp" | "sms" | "skipped" | "failed" | "already_sent";
}

/**
 * Send one notice for one viewing, at most once. Never throws for an
 * expected reason (no customer/phone, opted out, cancelled): the claim row
 * records why nothing was sent.
 */
export async function sendViewingNotice(deps: TSendToCustomerDeps, appointmentId: string, kind: TNoticeKind): Promise<TNoticeResult> {
  const v = await loadViewing(deps, appointmentId);
  if (!v) return { appointmentId, kind, outcome: "skipped" };
  const [claimed] = await deps.db
    .insert(viewingNotices)
    .values({ appointmentId, kind, businessId: v.businessId })
    .onConflictDoNothing()
    .returning({ appointmentId: viewingNotices.appointmentId });
  if (!claimed) return { appointmentId, kind, outcome: "already_sent" };
  const settle = (outcome: string, extra: { messageId?: string; error?: string } = {}) =>
    deps.db
      .update(viewingNotices)
      .set({ outcome, messageId: extra.messageId ?? null, error: extra.error ?? null })
      .where(and(eq(viewingNotices.appointmentId, appointmentId), eq(viewingNotices.kind, kind)));
  if (!v.customerId || (v.status !== "requested" && v.status !== "confirmed")) {
    await settle("skipped", { error: v.customerId ? `status ${v.status}` : "no customer" });
    return { appointmentId, kind, outcome: "skipped" };
  }
  try {
    const sent = await sendToCustomer(deps, { businessId: v.businessId, customerId: v.customerId, body: noticeText(kind, v), purpose: kind === "confirmation" ? "viewing_confirmation" : "viewing_reminder" });
    await settle(sent.channel, { messageId: sent.messageId });
    return { appointmentId, kind, outcome: sent.channel };
  } catch (err) {
    const expected = err instanceof AppError && err.status < 500;
    const message = err instanceof Error ? err.message : String(err);
    await settle(expected ? "skipped" : "failed", { error: message.slice(0, 500) });
    deps.log[expected ? "info" : "warn"]({ err, appointmentId, kind }, "viewing notice not sent");
    return { appointmentId, kind, outcome: expected ? "skipped" : "failed" };
  }
}

/**
 * Remind every active viewing that starts within the next 24 h and has no
 * reminder yet. Idempotent: run it as often as you like.
 */
export async function sendDueViewingReminders(deps: TSendToCustomerDeps & { now: () => Date }): Promise<TNoticeResult[]> {
  const now = deps.now();
  const due = await deps.db
    .select({ id: appointmentRequests.id })
    .from(appointmentRequests)
    .where(
      and(
        inArray(appointmentRequests.status, ["requested", "confirmed"]),
        gt(appointmentRequests.startsAt, now),
        lte(appointmentRequests.startsAt, new Date(now.getTime() + REMINDER_LEAD_MS)),
        sql`not exists (select 1 from ${viewingNotices} where ${viewingNotices.appointmentId} = ${appointmentRequests.id} and ${viewingNotices.kind} = 'reminder')`,
      ),
    )
    .orderBy(appointmentRequests.startsAt)
    .limit(200);
  const out: TNoticeResult[] = [];
  for (const a of due) out.push(await sendViewingNotice(deps, a.id, "reminder"));
  return out;
}

/** Reply words: "1"/"כן" confirms, "2"/"בטל" cancels (with a few natural variants). */
export function viewingReply(body: string | null | undefined): "confirm" | "cancel" | null {
  const w = (body ?? "").trim().replace(/[.!]+$/, "").toLowerCase();
  if (["1", "כן", "מאשר", "מאשרת", "אישור", "yes"].includes(w)) return "confirm";
  if (["2", "בטל", "ביטול", "לבטל", "cancel"].includes(w)) return "cancel";
  return null;
}

/**
 * Apply a customer's reply to their next viewing that was sent a notice.
 * Returns the viewing id and new status, or null when there is none to answer.
 */
export async function applyViewingReply(
  deps: Pick<TSendToCustomerDeps, "db">,
  input: { businessId: string; customerId: string; reply: "confirm" | "cancel"; now: Date },
): Promise<{ appointmentId: string; status: "confirmed" | "cancelled" } | null> {
  const [next] = await deps.db
    .select({ id: appointmentRequests.id })
    .from(appointmentRequests)
    .innerJoin(viewingNotices, eq(viewingNotices.appointmentId, appointmentRequests.id))
    .where(
      and(
        eq(appointmentRequests.businessId, input.businessId),
        eq(appointmentRequests.customerId, input.customerId),
        inArray(appointmentRequests.status, ["requested", "confirmed"]),
        gt(appointmentRequests.startsAt, input.now),
      ),
    )
    .orderBy(appointmentRequests.startsAt)
    .limit(1);
  if (!next) return null;
  const status = input.reply === "confirm" ? ("confirmed" as const) : ("cancelled" as const);
  // The one appointment write (audit, slot rules); a webhook acts as no user.
  await updateAppointment(deps.db, { businessId: input.businessId, userId: null, ip: null }, next.id, { status });
  return { appointmentId: next.id, status };
}

export const REPLY_TEXT = {
  confirmed: "תודה! הביקור אושר. נתראה.",
  cancelled: "הביקור בוטל. נציג יחזור אליך לתיאום מועד אחר.",
} as const;

