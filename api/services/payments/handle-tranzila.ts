import { eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { paymentLinks } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TLogger } from "../../../core/kernel/logger";
import { applyPaymentOutcome } from "./apply-payment-outcome";
import { loadCredentials } from "./credentials";
import { decimalToAgorot } from "./paypal-client";
import { tranzilaConfirmPaid, verifyTranzilaNotifySignature } from "./tranzila-client";

/**
 * Tranzila notify: the URL carries our link id and its HMAC (see
 * tranzila-client), the form carries Tranzila's result. Verified first; a
 * forged or altered call → FORBIDDEN with no side effect. `Response=000` with
 * the link's exact amount, confirmed server-to-server with Tranzila → paid
 * (also after a failed try); any other response code → failed.
 */
export async function handleTranzilaNotify(
  db: TDb,
  secret: string,
  log: TLogger,
  input: { linkId: string | undefined; sig: string | undefined; form: Record<string, string>; ip: string | null },
): Promise<{ status: string; changed: boolean }> {
  const linkId = z.uuid().safeParse(input.linkId);
  if (!linkId.success) throw new AppError("FORBIDDEN", "tranzila notify without a valid link id");
  const [link] = await db.select().from(paymentLinks).where(eq(paymentLinks.id, linkId.data));
  if (!link || link.provider !== "tranzila") throw new AppError("FORBIDDEN", "tranzila notify for unknown link");
  const creds = await loadCredentials(db, link.businessId, secret, "tranzila");
  if (!verifyTranzilaNotifySignature(creds, link.id, input.sig)) throw new AppError("FORBIDDEN", "tranzila notify signature rejected");
  if (input.form.pr_id && input.form.pr_id !== link.providerRef) throw new AppError("FORBIDDEN", "tranzila notify for another payment request");

  const ok = input.form.Response === "000";
  if (ok) {
    const paid = decimalToAgorot((input.form.sum ?? "").trim());
    if (paid !== link.amountAgorot) {
      log.error({ linkId: link.id, paid, expected: link.amountAgorot }, "tranzila notify amount differs from the link");
      throw new AppError("UNPROCESSABLE", "notified amount differs");
    }
    // Never paid on the form's word: Tranzila itself must hold an approved charge of this amount.
    if (!link.providerRef || !(await tranzilaConfirmPaid(creds, { prId: link.providerRef, amountAgorot: link.amountAgorot }))) {
      log.warn({ linkId: link.id, prId: link.providerRef }, "tranzila notify says paid but Tranzila has no approved transaction: refused");
      throw new AppError("FORBIDDEN", "tranzila success not confirmed by Tranzila");
    }
  }
  const r = await applyPaymentOutcome(db, { linkId: link.id, outcome: ok ? "paid" : "failed", raw: input.form, source: `tranzila:${input.form.Response ?? "?"}`, ip: input.ip });
  return { status: r.status, changed: r.changed };
}
