/**
 * Shared Twilio REST client factory. Builds the real `twilio` SDK client from
 * config; when TWILIO_API_BASE_URL is set every request (api.twilio.com,
 * messaging.twilio.com, …) is re-targeted at that origin while keeping the
 * SDK's own path, auth and form encoding, so tests talk to a local double
 * through exactly the code production uses.
 *
 * @example
 *   const client = createTwilioClient(config.twilio);
 *   if (client) await client.messages.create({ from: "whatsapp:+972…", to: "whatsapp:+972…", body: "שלום" });
 */
import twilio from "twilio";
import type { TEnv } from "../../env";

export type TTwilioClient = ReturnType<typeof twilio>;

/** RequestClient whose requests go to `baseUrl` (origin + optional path prefix) instead of *.twilio.com. */
class RetargetedRequestClient extends twilio.RequestClient {
  constructor(private readonly base: URL) {
    super({ timeout: 15_000 });
  }

  override request<TData>(opts: Parameters<InstanceType<typeof twilio.RequestClient>["request"]>[0] & { data?: TData }) {
    const original = new URL(opts.uri);
    const prefix = this.base.pathname.replace(/\/+$/, "");
    const target = new URL(`${prefix}${original.pathname}${original.search}`, this.base.origin);
    // Keep which Twilio domain was meant, so one double can serve several (api, messaging, …).
    const headers = { ...opts.headers, "X-Twilio-Original-Host": original.host };
    return super.request({ ...opts, uri: target.toString(), headers });
  }
}

/**
 * The Twilio REST client for this install, or `null` when no account is
 * configured (then Twilio-only features report a clear error instead).
 */
export function createTwilioClient(cfg: TEnv["twilio"]): TTwilioClient | null {
  if (!cfg.accountSid || !cfg.authToken) return null;
  const httpClient = cfg.apiBaseUrl ? new RetargetedRequestClient(new URL(cfg.apiBaseUrl)) : undefined;
  return twilio(cfg.accountSid, cfg.authToken, { httpClient, autoRetry: !cfg.apiBaseUrl, maxRetries: 3 });
}
