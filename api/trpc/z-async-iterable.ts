/**
 * Output schema for subscriptions: the resolver returns an async iterable and
 * every yielded value is validated (tRPC applies `.output()` to the iterable
 * itself, so a plain object schema would reject it).
 */
import { z } from "zod";

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return !!value && typeof value === "object" && Symbol.asyncIterator in value;
}

export function zAsyncIterable<TOut, TIn>(yieldSchema: z.ZodType<TOut, TIn>) {
  return z.custom<AsyncIterable<TIn>>((v) => isAsyncIterable(v)).transform(async function* (iter): AsyncGenerator<TOut, void, unknown> {
    const it = iter[Symbol.asyncIterator]();
    try {
      for (let next = await it.next(); !next.done; next = await it.next()) yield await yieldSchema.parseAsync(next.value);
    } finally {
      await it.return?.();
    }
  });
}
