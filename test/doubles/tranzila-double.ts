/**
 * Local double of the Tranzila API on 127.0.0.1 (random port): `POST
 * /v1/pr/create` authenticated by the four X-tranzila-api-* headers
 * (access token = HMAC-SHA256 keyed by secret + request time + nonce over
 * the app key; stale times and reused nonces refused), a hosted payment page
 * (`GET /pr/:id`), and the notify call Tranzila makes to the merchant's
 * notify_url after a payment (form-encoded: Response, sum, currency, pr_id,
 * index, ConfirmationCode), and `POST /v1/transactions` (same auth) listing a
 * terminal's transactions for a payment request (`{ terminal_name, pr_id }`),
 * which the merchant uses to confirm a notified outcome server-to-server.
 */
import { createHmac, randomBytes } from "node:crypto";

export interface TTranzilaDoubleRequest {
  id: string;
  terminalName: string;
  sumAgorot: number;
  notifyUrl: string;
  successUrl: string;
  failUrl: string;
  paid: boolean;
}

export interface TTranzilaDoubleTransaction {
  index: string;
  pr_id: string;
  processor_response_code: string;
  /** Decimal shekels, as notified. */
  amount: string;
  currency_code: "ILS";
}

export interface TTranzilaDouble {
  url: string;
  terminalName: string;
  appKey: string;
  secret: string;
  requests: Map<string, TTranzilaDoubleRequest>;
  /** Every charge attempt made on the hosted page, as Tranzila keeps them. */
  transactions: TTranzilaDoubleTransaction[];
  /** Auth failures seen (reason per refused call). */
  refused: string[];
  /** The customer pays (or the card is declined): Tranzila calls notify_url. Returns its HTTP status. */
  pay(prId: string, opts?: { response?: string; sum?: string; notifyUrl?: string }): Promise<number>;
  close(): void;
}

export function startTranzilaDouble(opts: { terminalName?: string; appKey?: string; secret?: string } = {}): TTranzilaDouble {
  const terminalName = opts.terminalName ?? "shaidirot";
  const appKey = opts.appKey ?? "app-key-double-0123";
  const secret = opts.secret ?? "private-key-double-4567";
  const requests = new Map<string, TTranzilaDoubleRequest>();
  const transactions: TTranzilaDoubleTransaction[] = [];
  const refused: string[] = [];
  const seenNonces = new Set<string>();
  let nextId = 1000;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

  const authError = (req: Request): string | null => {
    const key = req.headers.get("x-tranzila-api-app-key");
    const time = req.headers.get("x-tranzila-api-request-time");
    const nonce = req.headers.get("x-tranzila-api-nonce");
    const token = req.headers.get("x-tranzila-api-access-token");
    if (!key || !time || !nonce || !token) return "missing auth headers";
    if (key !== appKey) return "unknown app key";
    if (!/^\d+$/.test(time) || Math.abs(Date.now() / 1000 - Number(time)) > 300) return "stale request time";
    if (seenNonces.has(nonce)) return "nonce reused";
    const expected = createHmac("sha256", secret + time + nonce)
      .update(appKey)
      .digest("hex");
    if (token !== expected) return "bad access token";
    seenNonces.add(nonce);
    return null;
  };

  const notify = async (pr: TTranzilaDoubleRequest, o: { response?: string; sum?: string; notifyUrl?: string }) => {
    const response = o.response ?? "000";
    const sum = o.sum ?? (pr.sumAgorot / 100).toFixed(2);
    const index = String(Math.floor(Math.random() * 1e6));
    // The charge exists at Tranzila before the merchant is told about it.
    transactions.push({ index, pr_id: pr.id, processor_response_code: response, amount: sum, currency_code: "ILS" });
    const form = new URLSearchParams({
      Response: response,
      sum,
      currency: "1",
      pr_id: pr.id,
      index,
      ConfirmationCode: response === "000" ? randomBytes(4).toString("hex") : "",
      supplier: pr.terminalName,
    });
    const res = await fetch(o.notifyUrl ?? pr.notifyUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
    await res.arrayBuffer();
    if (response === "000" && res.ok) pr.paid = true;
    return res.status;
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method === "POST" && url.pathname === "/v1/pr/create") {
        const err = authError(req);
        if (err) {
          refused.push(err);
          return json(401, { error_code: 401, message: "Unauthorized" });
        }
        const b = (await req.json()) as {
          terminal_name?: string;
          items?: { unit_price: number; units_number: number }[];
          notify_url?: string;
          success_url?: string;
          fail_url?: string;
        };
        if (b.terminal_name !== terminalName) return json(200, { error_code: 20004, message: "Terminal not found" });
        if (!b.items?.length || !b.notify_url) return json(200, { error_code: 20001, message: "Missing parameters" });
        const sumAgorot = Math.round(b.items.reduce((s, i) => s + i.unit_price * i.units_number, 0) * 100);
        const id = String(nextId++);
        requests.set(id, { id, terminalName, sumAgorot, notifyUrl: b.notify_url, successUrl: b.success_url ?? "", failUrl: b.fail_url ?? "", paid: false });
        return json(200, { error_code: 0, message: "Success", pr_id: Number(id), pr_link: `${url.origin}/pr/${id}` });
      }
      if (req.method === "POST" && url.pathname === "/v1/transactions") {
        const err = authError(req);
        if (err) {
          refused.push(err);
          return json(401, { error_code: 401, message: "Unauthorized" });
        }
        const b = (await req.json()) as { terminal_name?: string; pr_id?: string | number };
        if (b.terminal_name !== terminalName) return json(200, { error_code: 20004, message: "Terminal not found" });
        return json(200, { error_code: 0, message: "Success", transactions: transactions.filter((t) => b.pr_id === undefined || t.pr_id === String(b.pr_id)) });
      }
      const page = /^\/pr\/(\d+)$/.exec(url.pathname);
      if (req.method === "GET" && page) {
        const pr = requests.get(page[1]!);
        if (!pr) return new Response("not found", { status: 404 });
        return new Response(
          `<!doctype html><html lang="he" dir="rtl"><body><h1>טרנזילה (double)</h1><p>לתשלום ₪${(pr.sumAgorot / 100).toFixed(2)}</p><form method="post" action="/pr/${pr.id}/pay"><button id="pay" type="submit">תשלום</button></form></body></html>`,
          { headers: { "content-type": "text/html; charset=utf-8" } },
        );
      }
      const pay = /^\/pr\/(\d+)\/pay$/.exec(url.pathname);
      if (req.method === "POST" && pay) {
        const pr = requests.get(pay[1]!);
        if (!pr) return new Response("not found", { status: 404 });
        const status = await notify(pr, {});
        return Response.redirect(status < 300 ? pr.successUrl : pr.failUrl, 302);
      }
      return json(404, { error_code: 404, message: "Not found" });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    terminalName,
    appKey,
    secret,
    requests,
    transactions,
    refused,
    async pay(prId, o = {}) {
      const pr = requests.get(prId);
      if (!pr) throw new Error(`no payment request ${prId}`);
      return notify(pr, o);
    },
    close: () => server.stop(true),
  };
}
