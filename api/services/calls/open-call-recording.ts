/**
 * Streams a call's recording from Twilio for the dashboard player. Twilio
 * media URLs need the account's Basic auth, which must never reach the
 * browser, so the API fetches and relays the MP3. Only Twilio hosts (or the
 * configured TWILIO_API_BASE_URL double) are fetched: the stored URL came
 * from a webhook and is not trusted as an arbitrary fetch target.
 */
import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs } from "../../../db/schema";
import type { TEnv } from "../../../env";
import { AppError } from "../../../core/kernel/errors";
import type { TScope } from "../../../core/domain/scope";

export interface TRecordingStream {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  contentLength: string | null;
}

/** The URL to fetch: `.mp3` of the Twilio resource, retargeted to the API double when configured. */
export function recordingFetchUrl(recordingUrl: string, apiBaseUrl: string | undefined): URL {
  let url: URL;
  try {
    url = new URL(recordingUrl);
  } catch {
    throw new AppError("UNPROCESSABLE", "stored recording url is invalid", { userMessage: "כתובת ההקלטה אינה תקינה" });
  }
  if (url.protocol !== "https:" || !(url.hostname === "twilio.com" || url.hostname.endsWith(".twilio.com"))) {
    throw new AppError("UNPROCESSABLE", `recording host not allowed: ${url.host}`, { userMessage: "ההקלטה אינה שמורה אצל Twilio" });
  }
  if (!/\.(mp3|wav)$/i.test(url.pathname)) url.pathname += ".mp3";
  if (apiBaseUrl) {
    const base = new URL(apiBaseUrl);
    return new URL(`${base.pathname.replace(/\/+$/, "")}${url.pathname}${url.search}`, base.origin);
  }
  return url;
}

export async function openCallRecording(db: TDb, twilio: TEnv["twilio"], scope: TScope, callId: string, fetchImpl: typeof fetch = fetch): Promise<TRecordingStream> {
  const [call] = await db
    .select({ recordingUrl: callLogs.recordingUrl })
    .from(callLogs)
    .where(and(eq(callLogs.id, callId), eq(callLogs.businessId, scope.businessId)))
    .limit(1);
  if (!call?.recordingUrl) throw new AppError("NOT_FOUND", "no recording for call", { userMessage: "אין הקלטה לשיחה זו" });
  const url = recordingFetchUrl(call.recordingUrl, twilio.apiBaseUrl);
  const headers: Record<string, string> = {};
  if (twilio.accountSid && twilio.authToken) headers.authorization = `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString("base64")}`;
  let res: Response;
  try {
    res = await fetchImpl(url, { headers, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new AppError("UNAVAILABLE", "recording fetch failed", { userMessage: "ההקלטה אינה זמינה כרגע, נסו שוב", cause: err });
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new AppError(res.status === 404 ? "NOT_FOUND" : "UNAVAILABLE", `recording fetch ${res.status}`, {
      userMessage: res.status === 404 ? "ההקלטה לא נמצאה אצל Twilio" : "ההקלטה אינה זמינה כרגע, נסו שוב",
    });
  }
  return { body: res.body, contentType: res.headers.get("content-type") ?? "audio/mpeg", contentLength: res.headers.get("content-length") };
}
