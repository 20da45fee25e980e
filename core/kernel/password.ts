/**
 * Password hashing with web-standard APIs only (WebAssembly argon2id from
 * hash-wasm, `crypto.getRandomValues`), so the Hono app runs unchanged on Bun,
 * Deno or Node. Hashes are PHC strings with Bun.password's argon2id defaults
 * (m=64 MiB, t=2, p=1): hashes written earlier by Bun.password verify here and
 * the other way round. Older `scrypt$salt$key` hashes still verify.
 */
import { argon2id, argon2Verify, scrypt } from "hash-wasm";

/** The argon2id cost of a new hash. Verification always reads the cost from the stored hash. */
export interface TPasswordCost {
  /** KiB of memory. */
  memorySize: number;
  iterations: number;
}

/** Bun.password's argon2id defaults (m=64 MiB, t=2, p=1): the cost of every password a person sets. */
export const PASSWORD_COST: TPasswordCost = { memorySize: 65536, iterations: 2 };

const fromBase64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Constant-time comparison of two byte strings. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Hash a password (argon2id, PHC string). `cost` is for fixtures only (a test
 * database's users); everything a person sets uses PASSWORD_COST.
 */
export async function hashPassword(password: string, cost: TPasswordCost = PASSWORD_COST): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return argon2id({ password, salt, parallelism: 1, hashLength: 32, ...cost, outputType: "encoded" });
}

/** Check a password against a stored hash (argon2id PHC, or the legacy `scrypt$` form). */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (hash.startsWith("scrypt$")) {
    // Legacy form: node:crypto scrypt defaults (N=16384, r=8, p=1).
    const [, salt, key] = hash.split("$");
    const expected = fromBase64(key ?? "");
    if (!expected.length) return false;
    const actual = await scrypt({ password, salt: fromBase64(salt ?? ""), costFactor: 16384, blockSize: 8, parallelism: 1, hashLength: expected.length, outputType: "binary" });
    return equalBytes(expected, actual);
  }
  if (!hash.startsWith("$argon2")) return false;
  try {
    return await argon2Verify({ password, hash });
  } catch {
    // A malformed stored hash is a failed login, not a crash.
    return false;
  }
}

/** A random password people can type: 16 chars from an unambiguous alphabet. */
export function generatePassword(length = 16): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
