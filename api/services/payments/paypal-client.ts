/**
 * PayPal REST over fetch: OAuth2 client-credentials token, Orders v2
 * (create → buyer approves → capture) and webhook signature verification
 * through PayPal's verify-webhook-signature endpoint.
 */
import { AppError } from "../../../core/kernel/errors";
import type { TPaypalCredentials } from "./credentials";

const BASE = { sandbox: "https://api-m.sandbox.paypal.com", live: "https://api-m.paypal.com" } as const;

export function paypalBase(c: TPaypalCredentials): string {
  return (c.apiBaseUrl ?? BASE[c.mode]).replace(/\/+$/, "");
}

/** "1180.00" from 118000 agorot (PayPal wants a decimal string). */
export function agorotToDecimal(agorot: number): string {
  return `${Math.floor(agorot / 100)}.${String(agorot % 100).padStart(2, "0")}`;
}

export function decimalToAgorot(value: string): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) return Number.NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
}

async function call<T>(url: string, init: RequestInit, what: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new AppError("UNAVAILABLE", `paypal ${what}: network error`, { cause: err, userMessage: "PayPal אינו זמין כרגע, נסו שוב בעוד רגע" });
  }
  const text = await res.text();
  if (!res.ok) {
    throw new AppError(res.status === 401 ? "UNPROCESSABLE" : "UNAVAILABLE", `paypal ${what}: HTTP ${res.status} ${text.slice(0, 300)}`, {
      userMessage: res.status === 401 ? "פרטי החשבון ב-PayPal שגויים" : "PayPal דחה את הבקשה",
    });
  }
  return JSON.parse(text) as T;
}

export async function paypalAccessToken(c: TPaypalCredentials): Promise<string> {
  const res = await call<{ access_token: string }>(
    `${paypalBase(c)}/v1/oauth2/token`,
    {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    },
    "token",
  );
  return res.access_token;
}

export interface TPaypalOrder {
  id: string;
  status: string;
  links?: { href: string; rel: string; method?: string }[];
  purchase_units?: { reference_id?: string; custom_id?: string; amount?: { currency_code: string; value: string }; payments?: { captures?: { id: string; status: string }[] } }[];
}

/** Create an order; the buyer pays at the returned approve link. */
export async function paypalCreateOrder(
  c: TPaypalCredentials,
  input: { linkId: string; amountAgorot: number; currency: string; description: string; returnUrl: string; cancelUrl: string },
): Promise<{ orderId: string; approveUrl: string; raw: TPaypalOrder }> {
  const token = await paypalAccessToken(c);
  const order = await call<TPaypalOrder>(
    `${paypalBase(c)}/v2/checkout/orders`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "paypal-request-id": input.linkId, prefer: "return=representation" },
      body: JSON.stringify({
        intent: "CAPTURE",
        purchase_units: [
          {
            reference_id: input.linkId,
            custom_id: input.linkId,
            description: input.description.slice(0, 127),
            amount: { currency_code: input.currency, value: agorotToDecimal(input.amountAgorot) },
          },
        ],
        payment_source: {
          paypal: { experience_context: { locale: "he-IL", user_action: "PAY_NOW", return_url: input.returnUrl, cancel_url: input.cancelUrl } },
        },
      }),
    },
    "create order",
  );
  const approve = order.links?.find((l) => l.rel === "payer-action" || l.rel === "approve");
  if (!approve) throw new AppError("UNAVAILABLE", "paypal order without approve link", { userMessage: "PayPal לא החזיר קישור לתשלום" });
  return { orderId: order.id, approveUrl: approve.href, raw: order };
}

/** Capture an approved order. COMPLETED means the money moved. */
export async function paypalCaptureOrder(c: TPaypalCredentials, orderId: string): Promise<TPaypalOrder> {
  const token = await paypalAccessToken(c);
  return call<TPaypalOrder>(
    `${paypalBase(c)}/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`,
    { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "paypal-request-id": `capture-${orderId}` }, body: "{}" },
    "capture",
  );
}

export interface TPaypalWebhookHeaders {
  transmissionId: string | null;
  transmissionTime: string | null;
  transmissionSig: string | null;
  certUrl: string | null;
  authAlgo: string | null;
}

/** Ask PayPal whether a webhook delivery is genuine (verify-webhook-signature). */
export async function paypalVerifyWebhook(c: TPaypalCredentials, headers: TPaypalWebhookHeaders, event: unknown): Promise<boolean> {
  if (!headers.transmissionId || !headers.transmissionSig || !headers.transmissionTime || !headers.certUrl || !headers.authAlgo) return false;
  const token = await paypalAccessToken(c);
  const res = await call<{ verification_status: string }>(
    `${paypalBase(c)}/v1/notifications/verify-webhook-signature`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        auth_algo: headers.authAlgo,
        cert_url: headers.certUrl,
        transmission_id: headers.transmissionId,
        transmission_sig: headers.transmissionSig,
        transmission_time: headers.transmissionTime,
        webhook_id: c.webhookId,
        webhook_event: event,
      }),
    },
    "verify webhook",
  );
  return res.verification_status === "SUCCESS";
}
