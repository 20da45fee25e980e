/**
 * Retry an async operation with exponential backoff. Used for database writes
 * on the webhook path so a short hiccup does not lose a call.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: {
    attempts?: number;
    baseMs?: number;
    /** Cap on one backoff delay (default: uncapped exponential). */
    maxDelayMs?: number;
    /** Return false to give up at once on this error (default: retry every error). */
    retryIf?: (err: unknown, attempt: number) => boolean;
    onError?: (err: unknown, attempt: number) => void;
  } = {},
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
      if (opts.retryIf && !opts.retryIf(err, attempt)) break;
      if (attempt < attempts) await new Promise((r) => setTimeout(r, Math.min(base * 2 ** (attempt - 1), opts.maxDelayMs ?? Number.POSITIVE_INFINITY)));
    }
  }
  throw last;
}
