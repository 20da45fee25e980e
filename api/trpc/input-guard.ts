/**
 * Text inputs may not contain NUL (U+0000): PostgreSQL cannot store it in
 * text, so it used to surface as a 500 from deep inside a write. The /trpc
 * mount checks the raw input once, before any procedure runs, and answers
 * with a tRPC-shaped 400 the dashboard shows in Hebrew.
 */

export const NUL_INPUT_MESSAGE = "הטקסט מכיל תו לא חוקי (NUL). הסירו אותו ונסו שוב";

/** True when a JSON document holds a NUL in any string or key. */
export function jsonHasNul(text: string): boolean {
  // Fast path: NUL appears either raw or as the escape \u0000.
  if (!text.includes("\0") && !/\\u0000/i.test(text)) return false;
  let found = text.includes("\0");
  try {
    JSON.parse(text, (key, value: unknown) => {
      if (key.includes("\0") || (typeof value === "string" && value.includes("\0"))) found = true;
      return value;
    });
  } catch {
    return found; // not JSON: tRPC reports the parse error itself
  }
  return found;
}

/** The error envelope tRPC clients expect, one per call of a batch. */
export function trpcBadRequest(paths: string[], batch: boolean, message: string, reason: string): unknown {
  const one = (path: string) => ({ error: { message, code: -32600, data: { code: "BAD_REQUEST", httpStatus: 400, path, reason } } });
  return batch ? paths.map(one) : one(paths[0] ?? "");
}
