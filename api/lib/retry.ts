/**
 * Retry an async operation with exponential backoff. Used for database writes
 * on the webhook path so a short hiccup does not lose a call.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: { attempts?: number; baseMs?: number; onError?: (err: unknown, attempt: number) => void } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const base = opts.baseMs ?? 50;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      last = err;
      opts.onError?.(err, attempt);
      if (attempt < attempts) await new Promise((r) => setTimeout(r, base * 2 ** (attempt - 1)));
    }
  }
  throw last;
}
