import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { paymentLinks } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TLogger } from "../../../core/kernel/logger";
import { applyPaymentOutcome, type TPaymentOutcome } from "./apply-payment-outcome";
import { loadCredentials } from "./credentials";
import { decimalToAgorot, paypalCaptureOrder, paypalVerifyWebhook, type TPaypalOrder, type TPaypalWebhookHeaders } from "./paypal-client";

interface TPaypalEvent {
  id?: string;
  event_type?: string;
  resource?: {
    id?: string;
    status?: string;
    amount?: { currency_code?: string; value?: string };
    supplementary_data?: { related_ids?: { order_id?: string } };
  };
}

async function linkByOrder(db: TDb, businessId: string, orderId: string) {
  const [link] = await db
    .select()
    .from(paymentLinks)
    .where(and(eq(paymentLinks.businessId, businessId), eq(paymentLinks.provider, "paypal"), eq(paymentLinks.providerRef, orderId)));
  return link;
}

/** Capture an approved order unless already paid; COMPLETED → paid. */
async function captureAndApply(db: TDb, secret: string, businessId: string, linkId: string, orderId: string, source: string) {
  const creds = await loadCredentials(db, businessId, secret, "paypal");
  let order: TPaypalOrder;
  try {
    order = await paypalCaptureOrder(creds, orderId);
  } catch (err) {
    // Already captured elsewhere (webhook and return page race): the capture event decides.
    if (err instanceof AppError && /ORDER_ALREADY_CAPTURED/.test(err.message)) return { changed: false, status: "created" as const };
    throw err;
  }
  const outcome: TPaymentOutcome | null = order.status === "COMPLETED" ? "paid" : order.status === "VOIDED" ? "failed" : null;
  if (!outcome) return { changed: false, status: order.status };
  const r = await applyPaymentOutcome(db, { linkId, outcome, raw: order, source });
  return { changed: r.changed, status: r.status };
}

/**
 * PayPal webhook for one business. Verified through PayPal before anything
 * is read from it; a forged delivery → FORBIDDEN with no side effect.
 * Replays are harmless (the outcome is applied idempotently).
 */
export async function handlePaypalWebhook(
  db: TDb,
  secret: string,
  log: TLogger,
  input: { businessId: string; headers: TPaypalWebhookHeaders; body: string },
): Promise<{ handled: boolean; status?: string }> {
  let event: TPaypalEvent;
  try {
    event = JSON.parse(input.body) as TPaypalEvent;
  } catch {
    throw new AppError("BAD_REQUEST", "paypal webhook body is not JSON");
  }
  const creds = await loadCredentials(db, input.businessId, secret, "paypal");
  if (!(await paypalVerifyWebhook(creds, input.headers, event))) throw new AppError("FORBIDDEN", "paypal webhook signature rejected");

  const type = event.event_type ?? "";
  const orderId = type.startsWith("CHECKOUT.ORDER.") ? event.resource?.id : event.resource?.supplementary_data?.related_ids?.order_id;
  if (!orderId) {
    log.info({ type, eventId: event.id }, "paypal webhook without order id ignored");
    return { handled: false };
  }
  const link = await linkByOrder(db, input.businessId, orderId);
  if (!link) {
    log.warn({ type, orderId }, "paypal webhook for unknown order");
    return { handled: false };
  }
  if (type === "CHECKOUT.ORDER.APPROVED") {
    if (link.status === "paid") return { handled: true, status: "paid" };
    const r = await captureAndApply(db, secret, input.businessId, link.id, orderId, `paypal:${type}`);
    return { handled: true, status: r.status };
  }
  let outcome: TPaymentOutcome | null = null;
  if (type === "PAYMENT.CAPTURE.COMPLETED") {
    const paid = decimalToAgorot(event.resource?.amount?.value ?? "");
    if (paid !== link.amountAgorot || event.resource?.amount?.currency_code !== link.currency) {
      log.error({ orderId, paid, expected: link.amountAgorot }, "paypal capture amount differs from the link");
      throw new AppError("UNPROCESSABLE", "captured amount differs");
    }
    outcome = "paid";
  } else if (type === "PAYMENT.CAPTURE.DENIED" || type === "PAYMENT.CAPTURE.DECLINED" || type === "CHECKOUT.PAYMENT-APPROVAL.REVERSED") {
    outcome = "failed";
  }
  if (!outcome) return { handled: false };
  const r = await applyPaymentOutcome(db, { linkId: link.id, outcome, raw: event, source: `paypal:${type}` });
  return { handled: true, status: r.status };
}

/**
 * The buyer came back from PayPal's approve page (return_url carries our
 * link id and PayPal's `token` = order id): capture now so the customer sees
 * the result at once; the webhook then finds the link already paid.
 */
export async function handlePaypalReturn(db: TDb, secret: string, input: { linkId: string; orderId: string }): Promise<{ status: string }> {
  const [link] = await db.select().from(paymentLinks).where(eq(paymentLinks.id, input.linkId));
  if (!link || link.provider !== "paypal" || link.providerRef !== input.orderId) throw new AppError("NOT_FOUND", "unknown paypal return", { userMessage: "התשלום לא נמצא" });
  if (link.status === "paid") return { status: "paid" };
  const r = await captureAndApply(db, secret, link.businessId, link.id, input.orderId, "paypal:return");
  return { status: String(r.status) };
}
