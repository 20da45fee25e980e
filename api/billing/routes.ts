/**
 * Public billing routes (no login): the contract signing page, the payment
 * providers' notification endpoints (verified inside the services) and the
 * pages a payer returns to. Everything else in billing is behind tRPC.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { randomBytes } from "node:crypto";
import { AppError } from "../../core/kernel/errors";
import { jsonHasNul, NUL_INPUT_MESSAGE } from "../trpc/input-guard";
import { clientAddressResolver, type TClientAddress } from "../middleware/client-address";
import { getSigningView, signContract, ZSignContract } from "../services/contracts/sign-contract";
import { handlePaypalReturn, handlePaypalWebhook } from "../services/payments/handle-paypal";
import { handleTranzilaNotify } from "../services/payments/handle-tranzila";
import type { TAppDeps, THonoEnv } from "../types";
import { paymentSecret } from "./payment-secret";
import { messagePageHtml, signPageHtml } from "./sign-page";

function htmlHeaders(nonce: string): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  };
}

/** Signing page + payment notifications + the pages a payer returns to. */
export function billingRoutes(deps: TAppDeps, opts: { clientAddress?: TClientAddress } = {}) {
  const app = new Hono<THonoEnv>();
  const clientAddress = opts.clientAddress ?? clientAddressResolver(deps.config.trustProxy);
  // Public endpoints: cap bodies before reading them (a drawn signature is well under 1 MB).
  const tooLarge = (max: number) =>
    bodyLimit({ maxSize: max, onError: (c) => c.json({ error: { code: "PAYLOAD_TOO_LARGE", message: "הבקשה גדולה מדי" } }, 413) });
  app.post("/sign/*", tooLarge(1024 * 1024));
  app.post("/webhook/payments/*", tooLarge(256 * 1024));

  app.get("/sign/:token", async (c) => {
    const nonce = randomBytes(16).toString("base64");
    try {
      const view = await getSigningView(deps.dbh.db, c.req.param("token"));
      if (view.status === "signed") return c.body(messagePageHtml("החוזה כבר נחתם", "קישור החתימה הוא לשימוש חד-פעמי. לעותק החתום פנו למשרד.", nonce), 200, htmlHeaders(nonce));
      return c.body(signPageHtml(view, nonce), 200, htmlHeaders(nonce));
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return c.body(messagePageHtml("לא ניתן לחתום", err.userMessage, nonce), err.status as 404, htmlHeaders(nonce));
      throw err;
    }
  });

  app.post("/sign/:token", async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new AppError("BAD_REQUEST", "signing body is not JSON", { userMessage: "הבקשה אינה תקינה" });
    }
    if (jsonHasNul(JSON.stringify(body))) throw new AppError("BAD_REQUEST", "NUL in signing input", { userMessage: NUL_INPUT_MESSAGE });
    const ip = clientAddress(c);
    const parsed = ZSignContract.safeParse(body);
    if (!parsed.success) {
      return c.json({ error: { code: "BAD_REQUEST", message: parsed.error.issues[0]?.message ?? "הפרטים אינם תקינים" } }, 400);
    }
    const result = await signContract(deps.dbh.db, c.req.param("token"), parsed.data, { ip });
    c.get("log").info({ contractId: result.contractId, businessId: result.businessId }, "contract signed");
    return c.json({ ok: true, sha256: result.pdfSha256 });
  });

  // PayPal webhooks are configured per business (each has its own PayPal app and webhook id).
  app.post("/webhook/payments/paypal/:businessId", async (c) => {
    const businessId = c.req.param("businessId");
    if (!/^[0-9a-f-]{36}$/i.test(businessId)) throw new AppError("NOT_FOUND", "bad business id");
    const h = (n: string) => c.req.header(n) ?? null;
    const result = await handlePaypalWebhook(deps.dbh.db, paymentSecret(deps), c.get("log"), {
      businessId,
      body: await c.req.text(),
      headers: {
        transmissionId: h("paypal-transmission-id"),
        transmissionTime: h("paypal-transmission-time"),
        transmissionSig: h("paypal-transmission-sig"),
        certUrl: h("paypal-cert-url"),
        authAlgo: h("paypal-auth-algo"),
      },
    });
    return c.json({ ok: true, ...result });
  });

  app.post("/webhook/payments/tranzila", async (c) => {
    const form = Object.fromEntries(Object.entries(await c.req.parseBody()).filter((e): e is [string, string] => typeof e[1] === "string"));
    const result = await handleTranzilaNotify(deps.dbh.db, paymentSecret(deps), c.get("log"), {
      linkId: c.req.query("link"),
      sig: c.req.query("sig"),
      form,
      ip: clientAddress(c),
    });
    return c.json({ ok: true, ...result });
  });

  app.get("/pay/paypal/return", async (c) => {
    const nonce = randomBytes(16).toString("base64");
    const linkId = c.req.query("link") ?? "";
    const orderId = c.req.query("token") ?? "";
    if (!/^[0-9a-f-]{36}$/i.test(linkId) || !orderId) return c.body(messagePageHtml("התשלום לא נמצא", "הקישור אינו תקין.", nonce), 404, htmlHeaders(nonce));
    const r = await handlePaypalReturn(deps.dbh.db, paymentSecret(deps), { linkId, orderId });
    return r.status === "paid"
      ? c.body(messagePageHtml("התשלום התקבל", "תודה! התשלום בוצע בהצלחה.", nonce), 200, htmlHeaders(nonce))
      : c.body(messagePageHtml("התשלום לא הושלם", "התשלום טרם אושר. אפשר לנסות שוב מהקישור שקיבלתם.", nonce), 200, htmlHeaders(nonce));
  });

  const simple = (title: string, message: string) => (c: { body: (b: string, s: 200, h: Record<string, string>) => Response }) => {
    const nonce = randomBytes(16).toString("base64");
    return c.body(messagePageHtml(title, message, nonce), 200, htmlHeaders(nonce));
  };
  app.get("/pay/done", simple("התשלום התקבל", "תודה! התשלום בוצע בהצלחה."));
  app.get("/pay/failed", simple("התשלום נכשל", "התשלום לא בוצע. אפשר לנסות שוב מהקישור שקיבלתם."));
  app.get("/pay/cancelled", simple("התשלום בוטל", "לא בוצע חיוב."));

  return app;
}
