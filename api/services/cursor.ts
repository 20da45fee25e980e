/**
 * Opaque keyset cursors: the sort value and id of the last row, base64url
 * JSON. A tampered cursor is a clear BAD_REQUEST, never a 500.
 */
import { AppError } from "../../core/kernel/errors";

export interface TCursor {
  /** Sort value of the last row (ISO date, string or number). */
  v: string | number | null;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:\d\d)?|Z)?$/;

const badCursor = () => new AppError("BAD_REQUEST", "bad cursor", { userMessage: "סמן הדפדוף אינו תקין, טענו את הרשימה מחדש" });

/** The cursor's sort value checked against the column type it will be compared with. */
export function cursorValue(v: TCursor["v"], cast: string): string | number {
  if (cast === "timestamptz" && (typeof v !== "string" || !TIMESTAMP.test(v))) throw badCursor();
  if (v === null) throw badCursor();
  return v;
}

export function encodeCursor(c: TCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

export function decodeCursor(raw: string | undefined | null): TCursor | null {
  if (!raw) return null;
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as TCursor;
    if (typeof c?.id === "string" && UUID.test(c.id) && (c.v === null || typeof c.v === "string" || typeof c.v === "number")) return c;
  } catch {
    // fall through
  }
  throw badCursor();
}
