/**
 * Tranzila API v1 over fetch: every request carries the app key, the request
 * time, a nonce and an access token = HMAC-SHA256(key: secret + time + nonce,
 * message: app key). Payment requests (`POST /v1/pr/create`) return a link
 * the customer pays at; Tranzila then calls our notify URL.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../../../core/kernel/errors";
import type { TTranzilaCredentials } from "./credentials";

export function tranzilaBase(c: TTranzilaCredentials): string {
  return (c.apiBaseUrl ?? "https://api.tranzila.com").replace(/\/+$/, "");
}

/** The four auth headers for one request. */
export function tranzilaAuthHeaders(c: TTranzilaCredentials, now = Date.now(), nonce = randomBytes(40).toString("hex")): Record<string, string> {
  const time = String(Math.floor(now / 1000));
  const accessToken = createHmac("sha256", c.secret + time + nonce)
    .update(c.appKey)
    .digest("hex");
  return {
    "X-tranzila-api-app-key": c.appKey,
    "X-tranzila-api-request-time": time,
    "X-tranzila-api-nonce": nonce,
    "X-tranzila-api-access-token": accessToken,
  };
}

export interface TTranzilaPrResponse {
  error_code: number;
  message?: string;
  pr_id?: number | string;
  pr_link?: string;
}

/** Create a payment request (one item, ILS); returns its id and link. */
export async function tranzilaCreatePaymentRequest(
  c: TTranzilaCredentials,
  input: { amountAgorot: number; description: string; clientName: string | null; clientEmail: string | null; clientPhone: string | null; notifyUrl: string; successUrl: string; failUrl: string; reference: string },
): Promise<{ prId: string; url: string; raw: TTranzilaPrResponse }> {
  const body = {
    terminal_name: c.terminalName,
    created_via: "TRAPI",
    request_language: "hebrew",
    response_language: "hebrew",
    payment_plans: [1],
    payment_methods: [1],
    client: { name: input.clientName ?? "", email: input.clientEmail ?? "", phone_number: input.clientPhone ?? "", external_id: input.reference },
    items: [{ name: input.description.slice(0, 100), type: "I", unit_price: input.amountAgorot / 100, units_number: 1, price_type: "G", currency_code: "ILS" }],
    notify_url: input.notifyUrl,
    success_url: input.successUrl,
    fail_url: input.failUrl,
  };
  let res: Response;
  try {
    res = await fetch(`${tranzilaBase(c)}/v1/pr/create`, {
      method: "POST",
      headers: { "content-type": "application/json", ...tranzilaAuthHeaders(c) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new AppError("UNAVAILABLE", "tranzila: network error", { cause: err, userMessage: "טרנזילה אינה זמינה כרגע, נסו שוב בעוד רגע" });
  }
  const text = await res.text();
  let json: TTranzilaPrResponse;
  try {
    json = JSON.parse(text) as TTranzilaPrResponse;
  } catch {
    throw new AppError("UNAVAILABLE", `tranzila: HTTP ${res.status} non-JSON`, { userMessage: "טרנזילה דחתה את הבקשה" });
  }
  if (!res.ok || json.error_code !== 0 || !json.pr_id || !json.pr_link) {
    throw new AppError(res.status === 401 || res.status === 403 ? "UNPROCESSABLE" : "UNAVAILABLE", `tranzila pr/create: HTTP ${res.status} ${text.slice(0, 300)}`, {
      userMessage: res.status === 401 || res.status === 403 ? "פרטי המסוף בטרנזילה שגויים" : "טרנזילה דחתה את הבקשה",
    });
  }
  return { prId: String(json.pr_id), url: json.pr_link, raw: json };
}

/**
 * Server-to-server confirmation of a notified success: ask Tranzila (signed
 * request, `POST /v1/transactions`) for the payment request's transactions and
 * accept only an approved one (processor_response_code 000) for exactly the
 * expected amount in ILS. The notify form alone proves nothing: its signature
 * (ours, in the URL) covers only the link id, so its fields could be replayed
 * or rewritten.
 */
export async function tranzilaConfirmPaid(c: TTranzilaCredentials, input: { prId: string; amountAgorot: number }): Promise<boolean> {
  let res: Response;
  try {
    res = await fetch(`${tranzilaBase(c)}/v1/transactions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...tranzilaAuthHeaders(c) },
      body: JSON.stringify({ terminal_name: c.terminalName, pr_id: input.prId }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new AppError("UNAVAILABLE", "tranzila: network error while confirming a payment", { cause: err });
  }
  if (!res.ok) throw new AppError("UNAVAILABLE", `tranzila transactions: HTTP ${res.status}`);
  const json = (await res.json().catch(() => null)) as { error_code?: number; transactions?: { pr_id?: string | number; processor_response_code?: string; amount?: string | number; currency_code?: string }[] } | null;
  if (!json || json.error_code !== 0 || !Array.isArray(json.transactions)) throw new AppError("UNAVAILABLE", "tranzila transactions: unexpected answer");
  const expected = (input.amountAgorot / 100).toFixed(2);
  return json.transactions.some(
    (t) => String(t.pr_id) === input.prId && t.processor_response_code === "000" && Number(t.amount).toFixed(2) === expected && (t.currency_code ?? "ILS") === "ILS",
  );
}

/**
 * Tranzila's notify call is not signed by Tranzila, so the notify URL we hand
 * it carries our own signature of the payment link id (HMAC-SHA256 under the
 * terminal's private key). Anyone without the key cannot forge a notify.
 */
export function tranzilaNotifySignature(c: TTranzilaCredentials, linkId: string): string {
  return createHmac("sha256", `notify:${c.secret}`).update(linkId).digest("base64url");
}

export function verifyTranzilaNotifySignature(c: TTranzilaCredentials, linkId: string, sig: string | null | undefined): boolean {
  if (!sig) return false;
  const expected = Buffer.from(tranzilaNotifySignature(c, linkId));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
