import { z } from "zod";
import { paymentSecret } from "../../billing/payment-secret";
import { publicOrigin } from "../../../core/kernel/public-url";
import { messagingDepsOf } from "../../sms/messaging-deps";
import type { TSendToCustomerDeps } from "../../services/messaging/send-to-customer";
import type { TBillingSendDeps } from "../../services/invoices/send-billing-message";
import type { TAppDeps } from "../../types";

/** One sender per app (its Twilio client is reused across requests). */
const senders = new WeakMap<TAppDeps, TSendToCustomerDeps>();

/** What the billing "send to customer" procedures need, from the request context. */
export function billingSendDeps(ctx: { deps: TAppDeps; req: Request }): TBillingSendDeps {
  let messaging = senders.get(ctx.deps);
  if (!messaging) {
    messaging = messagingDepsOf(ctx.deps);
    senders.set(ctx.deps, messaging);
  }
  return { messaging, origin: publicOrigin(ctx.req, ctx.deps.config.publicBaseUrl), secret: paymentSecret(ctx.deps) };
}

/** What a send returns to the dashboard. */
export const ZSent = z.object({ channel: z.enum(["whatsapp", "sms"]), messageId: z.string(), url: z.string() });
