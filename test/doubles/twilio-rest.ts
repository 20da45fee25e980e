/**
 * Local double of the Twilio REST API on 127.0.0.1 (random port), speaking
 * its wire protocol: Basic auth with AccountSid:AuthToken, form-encoded
 * bodies, JSON resources with snake_case fields, Twilio error objects.
 * Point the real SDK at it with TWILIO_API_BASE_URL (core/kernel/twilio-client.ts).
 *
 * Covers: Messages (create, fetch), Calls (update: Twiml/Url/Status, fetch).
 * It can also fire signed status callbacks like Twilio does.
 */
import twilio from "twilio";

export interface TRecordedMessage {
  sid: string;
  from: string;
  to: string;
  body: string | null;
  contentSid: string | null;
  contentVariables: string | null;
  statusCallback: string | null;
  status: string;
  params: Record<string, string>;
}

export interface TRecordedCallUpdate {
  callSid: string;
  params: Record<string, string>;
}

export interface TTwilioRestDouble {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  messages: TRecordedMessage[];
  callUpdates: TRecordedCallUpdate[];
  /** Every request seen (method, path, original Twilio host). */
  requests: { method: string; path: string; host: string | null }[];
  /** Serve `bytes` as media of message `messageSid`; returns its public (api.twilio.com) URL. */
  addMedia(messageSid: string, bytes: Uint8Array, contentType: string): string;
  /** Serve a call recording (WAV) at …/Recordings/RE….wav; returns its sid and RecordingUrl (no extension, as Twilio sends it). */
  addRecording(wav: Uint8Array): { sid: string; url: string };
  /** Make the next message create fail with this Twilio error. */
  failNextMessage(code: number, message: string, status?: number): void;
  /** POST a signed status callback for a sent message, as Twilio would. */
  sendStatusCallback(sid: string, status: string, extra?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

const hex = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n / 2)), (b) => b.toString(16).padStart(2, "0")).join("");

export async function startTwilioRestDouble(opts: { accountSid?: string; authToken: string }): Promise<TTwilioRestDouble> {
  const accountSid = opts.accountSid ?? `AC${hex(32)}`;
  const messages: TRecordedMessage[] = [];
  const callUpdates: TRecordedCallUpdate[] = [];
  const requests: TTwilioRestDouble["requests"] = [];
  let nextFailure: { code: number; message: string; status: number } | null = null;
  const media = new Map<string, { bytes: Uint8Array; contentType: string }>();

  const error = (status: number, code: number, message: string) =>
    Response.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status });

  const messageJson = (m: TRecordedMessage) => ({
    sid: m.sid,
    account_sid: accountSid,
    from: m.from,
    to: m.to,
    body: m.body ?? "",
    status: m.status,
    num_segments: "1",
    num_media: "0",
    direction: "outbound-api",
    api_version: "2010-04-01",
    price: null,
    price_unit: "USD",
    error_code: null,
    error_message: null,
    date_created: new Date().toUTCString(),
    date_updated: new Date().toUTCString(),
    date_sent: null,
    messaging_service_sid: null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
    subresource_uris: {},
  });

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      requests.push({ method: req.method, path: url.pathname, host: req.headers.get("x-twilio-original-host") });
      const auth = req.headers.get("authorization") ?? "";
      const expected = `Basic ${Buffer.from(`${accountSid}:${opts.authToken}`).toString("base64")}`;
      if (auth !== expected) return error(401, 20003, "Authenticate");
      const params: Record<string, string> = {};
      if (req.method === "POST") for (const [k, v] of new URLSearchParams(await req.text())) params[k] = v;

      const msgList = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
      if (msgList && req.method === "POST") {
        if (msgList[1] !== accountSid) return error(404, 20404, "The requested resource was not found");
        if (nextFailure) {
          const f = nextFailure;
          nextFailure = null;
          return error(f.status, f.code, f.message);
        }
        if (!params.To) return error(400, 21604, "A 'To' phone number is required.");
        if (!params.From && !params.MessagingServiceSid) return error(400, 21603, "A 'From' phone number is required.");
        if (!params.Body && !params.ContentSid && !params.MediaUrl) return error(400, 21619, "A text message body or media urls must be specified.");
        const m: TRecordedMessage = {
          sid: `SM${hex(32)}`,
          from: params.From ?? "",
          to: params.To,
          body: params.Body ?? null,
          contentSid: params.ContentSid ?? null,
          contentVariables: params.ContentVariables ?? null,
          statusCallback: params.StatusCallback ?? null,
          status: "queued",
          params,
        };
        messages.push(m);
        return Response.json(messageJson(m), { status: 201 });
      }
      const msgOne = url.pathname.match(/^\/2010-04-01\/Accounts\/[^/]+\/Messages\/([^/]+)\.json$/);
      if (msgOne && req.method === "GET") {
        const m = messages.find((x) => x.sid === msgOne[1]);
        return m ? Response.json(messageJson(m)) : error(404, 20404, "The requested resource was not found");
      }
      const mediaItem = media.get(url.pathname);
      if (mediaItem && req.method === "GET") return new Response(mediaItem.bytes.slice(), { headers: { "content-type": mediaItem.contentType } });
      const call = url.pathname.match(/^\/2010-04-01\/Accounts\/[^/]+\/Calls\/([^/]+)\.json$/);
      if (call) {
        if (req.method === "POST") callUpdates.push({ callSid: call[1]!, params });
        const last = [...callUpdates].reverse().find((u) => u.callSid === call[1]);
        return Response.json({
          sid: call[1],
          account_sid: accountSid,
          status: last?.params.Status ?? "in-progress",
          direction: "inbound",
          api_version: "2010-04-01",
          date_created: new Date().toUTCString(),
          date_updated: new Date().toUTCString(),
          uri: `/2010-04-01/Accounts/${accountSid}/Calls/${call[1]}.json`,
        });
      }
      return error(404, 20404, "The requested resource was not found");
    },
  });

  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    accountSid,
    authToken: opts.authToken,
    messages,
    callUpdates,
    requests,
    addRecording(wav) {
      const sid = `RE${hex(32)}`;
      const path = `/2010-04-01/Accounts/${accountSid}/Recordings/${sid}`;
      media.set(`${path}.wav`, { bytes: wav, contentType: "audio/x-wav" });
      return { sid, url: `https://api.twilio.com${path}` };
    },
    addMedia(messageSid, bytes, contentType) {
      const path = `/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}/Media/ME${hex(32)}`;
      media.set(path, { bytes, contentType });
      return `https://api.twilio.com${path}`;
    },
    failNextMessage(code, message, status = 400) {
      nextFailure = { code, message, status };
    },
    async sendStatusCallback(sid, status, extra = {}) {
      const m = messages.find((x) => x.sid === sid);
      if (!m?.statusCallback) throw new Error(`message ${sid} has no StatusCallback`);
      m.status = status;
      const params = { AccountSid: accountSid, MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, From: m.from, To: m.to, ...extra };
      const signature = twilio.getExpectedTwilioSignature(opts.authToken, m.statusCallback, params);
      return fetch(m.statusCallback, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
        body: new URLSearchParams(params).toString(),
      });
    },
    close: async () => {
      await server.stop(true);
    },
  };
}
