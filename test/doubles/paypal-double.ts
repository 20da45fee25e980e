/**
 * Local double of the PayPal REST API on 127.0.0.1 (random port), speaking
 * its wire format: OAuth2 client-credentials (`POST /v1/oauth2/token`, Basic
 * auth), Orders v2 (`POST /v2/checkout/orders`, `POST …/:id/capture` with
 * PayPal's 422 issues), a buyer approve page (`GET /checkoutnow?token=`)
 * that redirects to the order's return_url, and webhook deliveries signed
 * with transmission headers that `POST /v1/notifications/verify-webhook-signature`
 * checks (PayPal signs id|time|webhookId|crc32(body); the double uses an
 * HMAC over the same string instead of PayPal's certificate).
 */
import { createHmac, randomBytes } from "node:crypto";

export interface TPaypalDoubleOrder {
  id: string;
  status: "PAYER_ACTION_REQUIRED" | "APPROVED" | "COMPLETED";
  amount: { currency_code: string; value: string };
  referenceId: string;
  returnUrl: string;
  cancelUrl: string;
  captureId?: string;
}

export interface TPaypalDouble {
  url: string;
  clientId: string;
  clientSecret: string;
  webhookId: string;
  orders: Map<string, TPaypalDoubleOrder>;
  /** Every request seen, method + path. */
  requests: string[];
  /** Mark an order approved by the buyer (what the approve page does). */
  approve(orderId: string): void;
  /** Deliver a signed (or forged) webhook event to `target`; returns the HTTP status. */
  deliver(target: string, event: Record<string, unknown>, opts?: { forge?: boolean; transmissionId?: string }): Promise<number>;
  /** The event PayPal sends when a capture completes. */
  captureCompletedEvent(orderId: string): Record<string, unknown>;
  close(): void;
}

function crc32(s: string): number {
  let c = ~0;
  for (const b of Buffer.from(s)) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

export function startPaypalDouble(opts: { clientId?: string; clientSecret?: string; webhookId?: string } = {}): TPaypalDouble {
  const clientId = opts.clientId ?? "AcLientIdDouble";
  const clientSecret = opts.clientSecret ?? "EclientSecretDouble";
  const webhookId = opts.webhookId ?? "WH-DOUBLE-1";
  const signingKey = randomBytes(32);
  const tokens = new Set<string>();
  const orders = new Map<string, TPaypalDoubleOrder>();
  const requests: string[] = [];
  const sign = (id: string, time: string, whId: string, body: string) => createHmac("sha256", signingKey).update(`${id}|${time}|${whId}|${crc32(body)}`).digest("base64");
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const unauthorized = () => json(401, { error: "invalid_token", error_description: "Token signature verification failed" });
  const bearerOk = (req: Request) => tokens.has((req.headers.get("authorization") ?? "").replace(/^Bearer /, ""));
  const issue = (name: string, issue: string) => json(422, { name: "UNPROCESSABLE_ENTITY", details: [{ issue, description: issue }], message: "The requested action could not be performed." });

  const orderJson = (o: TPaypalDoubleOrder, base: string) => ({
    id: o.id,
    status: o.status,
    purchase_units: [
      {
        reference_id: o.referenceId,
        custom_id: o.referenceId,
        amount: o.amount,
        ...(o.captureId ? { payments: { captures: [{ id: o.captureId, status: "COMPLETED", amount: o.amount }] } } : {}),
      },
    ],
    links: [
      { href: `${base}/v2/checkout/orders/${o.id}`, rel: "self", method: "GET" },
      ...(o.status === "PAYER_ACTION_REQUIRED" ? [{ href: `${base}/checkoutnow?token=${o.id}`, rel: "payer-action", method: "GET" }] : []),
    ],
  });

  const approve = (orderId: string) => {
    const o = orders.get(orderId);
    if (!o) throw new Error(`no order ${orderId}`);
    if (o.status === "PAYER_ACTION_REQUIRED") o.status = "APPROVED";
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const base = url.origin;
      requests.push(`${req.method} ${url.pathname}`);
      if (req.method === "POST" && url.pathname === "/v1/oauth2/token") {
        const [id, secret] = Buffer.from((req.headers.get("authorization") ?? "").replace(/^Basic /, ""), "base64").toString().split(":");
        const form = new URLSearchParams(await req.text());
        if (id !== clientId || secret !== clientSecret) return json(401, { error: "invalid_client", error_description: "Client Authentication failed" });
        if (form.get("grant_type") !== "client_credentials") return json(400, { error: "unsupported_grant_type" });
        const token = `A21AA${randomBytes(16).toString("hex")}`;
        tokens.add(token);
        return json(200, { scope: "https://uri.paypal.com/services/payments", access_token: token, token_type: "Bearer", app_id: "APP-DOUBLE", expires_in: 32400, nonce: randomBytes(8).toString("hex") });
      }
      if (req.method === "POST" && url.pathname === "/v2/checkout/orders") {
        if (!bearerOk(req)) return unauthorized();
        const body = (await req.json()) as {
          intent?: string;
          purchase_units?: { reference_id?: string; amount?: { currency_code: string; value: string } }[];
          payment_source?: { paypal?: { experience_context?: { return_url?: string; cancel_url?: string } } };
        };
        const pu = body.purchase_units?.[0];
        if (body.intent !== "CAPTURE" || !pu?.amount || !/^\d+(\.\d{2})?$/.test(pu.amount.value)) {
          return json(400, { name: "INVALID_REQUEST", details: [{ issue: "MISSING_REQUIRED_PARAMETER" }] });
        }
        const ctx = body.payment_source?.paypal?.experience_context;
        const o: TPaypalDoubleOrder = {
          id: randomBytes(9).toString("hex").toUpperCase().slice(0, 17),
          status: "PAYER_ACTION_REQUIRED",
          amount: pu.amount,
          referenceId: pu.reference_id ?? "default",
          returnUrl: ctx?.return_url ?? "",
          cancelUrl: ctx?.cancel_url ?? "",
        };
        orders.set(o.id, o);
        return json(200, orderJson(o, base));
      }
      const capture = /^\/v2\/checkout\/orders\/([A-Z0-9]+)\/capture$/.exec(url.pathname);
      if (req.method === "POST" && capture) {
        if (!bearerOk(req)) return unauthorized();
        const o = orders.get(capture[1]!);
        if (!o) return json(404, { name: "RESOURCE_NOT_FOUND", details: [{ issue: "INVALID_RESOURCE_ID" }] });
        if (o.status === "COMPLETED") return issue("UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED");
        if (o.status !== "APPROVED") return issue("UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED");
        o.status = "COMPLETED";
        o.captureId = randomBytes(8).toString("hex").toUpperCase();
        return json(201, orderJson(o, base));
      }
      if (req.method === "GET" && url.pathname === "/checkoutnow") {
        const o = orders.get(url.searchParams.get("token") ?? "");
        if (!o) return new Response("unknown order", { status: 404 });
        return new Response(
          `<!doctype html><html lang="en"><body><h1>PayPal (double)</h1><p>Pay ${o.amount.currency_code} ${o.amount.value}</p><form method="post" action="/checkoutnow/approve?token=${o.id}"><button id="approve" type="submit">Pay Now</button></form></body></html>`,
          { headers: { "content-type": "text/html" } },
        );
      }
      if (req.method === "POST" && url.pathname === "/checkoutnow/approve") {
        const id = url.searchParams.get("token") ?? "";
        const o = orders.get(id);
        if (!o) return new Response("unknown order", { status: 404 });
        approve(id);
        const back = new URL(o.returnUrl);
        back.searchParams.set("token", o.id);
        back.searchParams.set("PayerID", "PAYERDOUBLE1");
        return Response.redirect(back.toString(), 302);
      }
      if (req.method === "POST" && url.pathname === "/v1/notifications/verify-webhook-signature") {
        if (!bearerOk(req)) return unauthorized();
        const b = (await req.json()) as Record<string, unknown>;
        const expected = sign(String(b.transmission_id), String(b.transmission_time), String(b.webhook_id), JSON.stringify(b.webhook_event));
        const ok = b.auth_algo === "SHA256withRSA" && b.webhook_id === webhookId && b.transmission_sig === expected;
        return json(200, { verification_status: ok ? "SUCCESS" : "FAILURE" });
      }
      return json(404, { name: "RESOURCE_NOT_FOUND" });
    },
  });
  const url = `http://127.0.0.1:${server.port}`;

  return {
    url,
    clientId,
    clientSecret,
    webhookId,
    orders,
    requests,
    approve,
    async deliver(target, event, o = {}) {
      const body = JSON.stringify(event);
      const id = o.transmissionId ?? crypto.randomUUID();
      const time = new Date().toISOString();
      const sig = o.forge ? sign(id, time, "WH-SOMEONE-ELSE", body) : sign(id, time, webhookId, body);
      const res = await fetch(target, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "paypal-transmission-id": id,
          "paypal-transmission-time": time,
          "paypal-transmission-sig": sig,
          "paypal-cert-url": `${url}/v1/notifications/certs/CERT-DOUBLE`,
          "paypal-auth-algo": "SHA256withRSA",
        },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    },
    captureCompletedEvent(orderId) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId}`);
      return {
        id: `WH-${randomBytes(6).toString("hex").toUpperCase()}`,
        event_version: "1.0",
        create_time: new Date().toISOString(),
        resource_type: "capture",
        event_type: "PAYMENT.CAPTURE.COMPLETED",
        summary: `Payment completed for ${o.amount.currency_code} ${o.amount.value}`,
        resource: {
          id: o.captureId ?? randomBytes(8).toString("hex").toUpperCase(),
          status: "COMPLETED",
          amount: o.amount,
          custom_id: o.referenceId,
          supplementary_data: { related_ids: { order_id: o.id } },
        },
      };
    },
    close: () => server.stop(true),
  };
}
