/**
 * Each agent's private calendar feed (ICS) of the viewings assigned to them,
 * to subscribe from Google or Apple Calendar. The URL carries a secret token:
 * the user id and an HMAC of it under the server secret, so a feed needs no
 * login (calendar apps cannot log in) and cannot be guessed; it stops working
 * when the user is deactivated.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, gte, ne } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { appointmentRequests, customers, properties, users } from "../../../db/schema";

const sign = (secret: string, userId: string) => createHmac("sha256", secret).update(`kesher-ics-v1\n${userId}`).digest("base64url");

/** The feed token of a user: `<userId>.<signature>`. */
export function icsToken(secret: string, userId: string): string {
  return `${userId}.${sign(secret, userId)}`;
}

/** The user id a token was issued for, or null (wrong shape or signature). */
export function verifyIcsToken(secret: string, token: string): string | null {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const given = Buffer.from(m[2]!);
  const expected = Buffer.from(sign(secret, m[1]!));
  return given.length === expected.length && timingSafeEqual(given, expected) ? m[1]! : null;
}

/** RFC 5545 text: backslash, semicolon, comma and newline escaped. */
const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let cur = "";
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = "";
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join("\r\n ");
}

/**
 * The ICS document for `userId`: their viewings from 30 days ago on (not
 * cancelled), with the listing's address and the customer. Null when the user
 * does not exist or is inactive.
 */
export async function agentViewingsIcs(db: TDb, userId: string, now: Date): Promise<string | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !user.active || !user.businessId) return null;
  const rows = await db
    .select({ a: appointmentRequests, title: properties.title, city: properties.city, street: properties.street, name: customers.fullName, phone: customers.phone })
    .from(appointmentRequests)
    .leftJoin(properties, and(eq(properties.id, appointmentRequests.propertyId), eq(properties.businessId, appointmentRequests.businessId)))
    .leftJoin(customers, and(eq(customers.id, appointmentRequests.customerId), eq(customers.businessId, appointmentRequests.businessId)))
    .where(
      and(
        eq(appointmentRequests.businessId, user.businessId),
        eq(appointmentRequests.assignedUserId, userId),
        ne(appointmentRequests.status, "cancelled"),
        gte(appointmentRequests.startsAt, new Date(now.getTime() - 30 * 86400_000)),
      ),
    )
    .orderBy(appointmentRequests.startsAt)
    .limit(2000);
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kesher//Viewings//HE", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", `X-WR-CALNAME:${esc(`צפיות – ${user.fullName}`)}`, "X-WR-TIMEZONE:Asia/Jerusalem"];
  for (const r of rows) {
    const where = [r.street, r.city].filter(Boolean).join(", ");
    const summary = `צפייה: ${r.title ?? "נכס"}${r.name ? ` – ${r.name}` : ""}`;
    const desc = [r.name ? `לקוח: ${r.name}` : null, r.phone ? `טלפון: ${r.phone}` : null, r.a.notes].filter(Boolean).join("\n");
    lines.push(
      "BEGIN:VEVENT",
      `UID:${r.a.id}@kesher`,
      `DTSTAMP:${stamp(r.a.updatedAt)}`,
      `DTSTART:${stamp(r.a.startsAt)}`,
      `DTEND:${stamp(r.a.endsAt)}`,
      `SUMMARY:${esc(summary)}`,
      ...(where ? [`LOCATION:${esc(where)}`] : []),
      ...(desc ? [`DESCRIPTION:${esc(desc)}`] : []),
      `STATUS:${r.a.status === "confirmed" || r.a.status === "done" ? "CONFIRMED" : "TENTATIVE"}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join("\r\n") + "\r\n";
}
