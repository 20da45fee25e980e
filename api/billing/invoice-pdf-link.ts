/**
 * A link a customer can open to get their invoice PDF without logging in:
 * `GET /documents/invoice/:id?exp=<unix>&sig=<hmac>`. The signature is
 * HMAC-SHA256 over the invoice id and the expiry under the server secret, so
 * a link can't be forged for another invoice or extended; the PDF is rendered
 * from the stored row, scoped to the invoice's own business.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { invoices } from "../../db/schema";
import { renderInvoicePdf } from "../services/invoices/render-invoice-pdf";
import type { TAppDeps, THonoEnv } from "../types";
import { paymentSecret } from "./payment-secret";

/** How long a sent invoice link stays valid. */
export const INVOICE_LINK_DAYS = 30;

const sign = (secret: string, id: string, exp: number) => createHmac("sha256", secret).update(`invoice-pdf:${id}:${exp}`).digest("base64url");

/** Path (with query) of a signed invoice PDF link valid until `now + days`. */
export function invoicePdfPath(secret: string, invoiceId: string, now: Date, days = INVOICE_LINK_DAYS): string {
  const exp = Math.floor(now.getTime() / 1000) + days * 86400;
  return `/documents/invoice/${invoiceId}?exp=${exp}&sig=${sign(secret, invoiceId, exp)}`;
}

/** Whether a link's id/exp/sig are authentic and unexpired. */
export function verifyInvoicePdfLink(secret: string, invoiceId: string, exp: string | undefined, sig: string | undefined, now: Date): boolean {
  if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return false;
  const want = Buffer.from(sign(secret, invoiceId, Number(exp)));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
  return Number(exp) * 1000 > now.getTime();
}

export function invoicePdfRoutes(deps: TAppDeps) {
  const app = new Hono<THonoEnv>();
  app.get("/documents/invoice/:id", async (c) => {
    const id = c.req.param("id");
    const now = deps.now?.() ?? new Date();
    const notFound = () => c.text("הקישור אינו תקף", 404, { "content-type": "text/plain; charset=utf-8" });
    if (!/^[0-9a-f-]{36}$/i.test(id) || !verifyInvoicePdfLink(paymentSecret(deps), id, c.req.query("exp"), c.req.query("sig"), now)) return notFound();
    const [row] = await deps.dbh.db.select({ businessId: invoices.businessId }).from(invoices).where(eq(invoices.id, id));
    if (!row) return notFound();
    const f = await renderInvoicePdf(deps.dbh.db, { businessId: row.businessId, userId: null, ip: null }, id);
    return c.body(f.pdf as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="${f.filename}"`,
      "cache-control": "private, no-store",
      "x-robots-tag": "noindex",
    });
  });
  return app;
}
