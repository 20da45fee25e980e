/** Payment links (PayPal, Tranzila) and the business's provider credentials. */
import { z } from "zod";
import { sendPaymentLinkToCustomer, ZSendChannel } from "../../services/invoices/send-billing-message";
import { billingSendDeps, ZSent } from "../invoices/send-deps";
import { paymentSecret } from "../../billing/payment-secret";
import { publicOrigin } from "../../../core/kernel/public-url";
import { configuredProviders, saveCredentials, ZPaypalCredentials, ZTranzilaCredentials } from "../../services/payments/credentials";
import { createPaymentLink } from "../../services/payments/create-payment-link";
import { listPaymentLinks, ZListPaymentLinks } from "../../services/payments/list-payment-links";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { iso, ZId } from "../schemas";

const p = permissionProcedure("billing");
const ZProvider = z.enum(["paypal", "tranzila"]);
const ZLinkStatus = z.enum(["created", "paid", "failed", "expired", "cancelled"]);

export const ZPaymentLink = z.object({
  id: z.string(),
  provider: ZProvider,
  providerRef: z.string().nullable(),
  url: z.string().nullable(),
  amountAgorot: z.number(),
  currency: z.string(),
  description: z.string().nullable(),
  status: ZLinkStatus,
  invoiceId: z.string().nullable(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable().optional(),
  paidAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
});

type TLinkLike = { paidAt: Date | null; expiresAt: Date | null; createdAt: Date } & Omit<z.infer<typeof ZPaymentLink>, "paidAt" | "expiresAt" | "createdAt">;
const dto = (r: TLinkLike) => ({
  id: r.id,
  provider: r.provider,
  providerRef: r.providerRef,
  url: r.url,
  amountAgorot: r.amountAgorot,
  currency: r.currency,
  description: r.description,
  status: r.status,
  invoiceId: r.invoiceId,
  customerId: r.customerId,
  customerName: r.customerName ?? null,
  paidAt: iso(r.paidAt),
  expiresAt: iso(r.expiresAt),
  createdAt: r.createdAt.toISOString(),
});

export const paymentsRouter = router({
  list: p
    .input(ZBusinessOverride.extend(ZListPaymentLinks.partial().shape).optional())
    .output(z.array(ZPaymentLink))
    .query(async ({ ctx, input = {} }) => (await listPaymentLinks(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)).map(dto)),

  /** One click: a link for an open invoice (its total) or for a customer and an amount. */
  create: p
    .input(
      ZBusinessOverride.extend({
        provider: ZProvider,
        invoiceId: ZId.optional(),
        customerId: ZId.optional(),
        amountAgorot: z.number().int().min(100, "סכום מינימלי ₪1").max(100_000_000).optional(),
        description: z.string().trim().min(2).max(200).optional(),
        expiresInHours: z.number().int().min(1).max(720).optional(),
      }),
    )
    .output(ZPaymentLink)
    .mutation(async ({ ctx, input }) => {
      const { businessId, ...data } = input;
      const origin = publicOrigin(ctx.req, ctx.deps.config.publicBaseUrl);
      return dto(await createPaymentLink(ctx.deps.dbh.db, scopeOf(ctx, businessId), { secret: paymentSecret(ctx.deps), origin }, data));
    }),

  /** Send an open payment link to its customer (WhatsApp when open, else SMS); stored in their timeline. */
  sendToCustomer: p
    .input(ZBusinessOverride.extend({ id: ZId, channel: ZSendChannel }))
    .output(ZSent)
    .mutation(({ ctx, input }) => sendPaymentLinkToCustomer(billingSendDeps(ctx), scopeOf(ctx, input.businessId), input)),

  /** Which providers are set up, and the webhook URLs to paste into their consoles. */
  providers: p
    .input(ZBusinessOverride.optional())
    .output(z.object({ configured: z.array(ZProvider), paypalWebhookUrl: z.string(), tranzilaNotifyUrl: z.string() }))
    .query(async ({ ctx, input = {} }) => {
      const scope = scopeOf(ctx, input.businessId);
      const origin = publicOrigin(ctx.req, ctx.deps.config.publicBaseUrl);
      return {
        configured: await configuredProviders(ctx.deps.dbh.db, scope),
        paypalWebhookUrl: `${origin}/webhook/payments/paypal/${scope.businessId}`,
        tranzilaNotifyUrl: `${origin}/webhook/payments/tranzila`,
      };
    }),

  /** Store credentials (encrypted). Only the business's admins and billing staff. */
  saveCredentials: p
    .input(z.discriminatedUnion("provider", [z.object({ provider: z.literal("paypal"), credentials: ZPaypalCredentials }), z.object({ provider: z.literal("tranzila"), credentials: ZTranzilaCredentials })]).and(ZBusinessOverride))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      // The local doubles' loopback URLs are for tests; production accepts only the providers' own hosts.
      await saveCredentials(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), paymentSecret(ctx.deps), input.provider, input.credentials, {
        allowLoopback: ctx.deps.config.nodeEnv !== "production",
      });
      return { ok: true as const };
    }),
});
