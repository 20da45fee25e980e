/**
 * GET /recordings/:callId — the call's recording for the dashboard <audio>
 * player. Same session cookie and `calls` permission as the tRPC API; admins
 * may pass ?businessId=.
 */
import type { Handler } from "hono";
import { AppError } from "../../core/kernel/errors";
import { readSessionCookie } from "../services/auth/session-cookie";
import { validateSession } from "../services/auth/sessions";
import { openCallRecording } from "../services/calls/open-call-recording";
import type { TAppDeps, THonoEnv } from "../types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function callRecordingRoute(deps: TAppDeps): Handler<THonoEnv> {
  return async (c) => {
    const token = readSessionCookie(c.req.header("cookie"));
    const session = token ? await validateSession(deps.dbh.db, token, { secure: deps.config.nodeEnv === "production" }) : null;
    if (!session) throw new AppError("UNAUTHORIZED", "recording without session");
    const { user } = session;
    if (user.role !== "admin" && !user.permissions.includes("calls")) throw new AppError("FORBIDDEN", "recording without calls permission");
    const callId = c.req.param("callId") ?? "";
    if (!UUID.test(callId)) throw new AppError("NOT_FOUND", "bad call id", { userMessage: "אין הקלטה לשיחה זו" });
    const requested = c.req.query("businessId");
    const businessId = requested && user.role === "admin" ? requested : user.businessId;
    if (!businessId) throw new AppError("BAD_REQUEST", "admin without business", { userMessage: "יש לבחור עסק" });
    const rec = await openCallRecording(deps.dbh.db, deps.config.twilio, { businessId, userId: user.id, ip: null }, callId);
    const headers: Record<string, string> = { "content-type": rec.contentType, "cache-control": "private, max-age=3600" };
    if (rec.contentLength) headers["content-length"] = rec.contentLength;
    return c.body(rec.body, 200, headers);
  };
}
