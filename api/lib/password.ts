/**
 * Password hashing. Uses Bun.password (argon2id) when running on Bun and
 * falls back to scrypt elsewhere, so the api stays runtime-portable.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;
const bun = (globalThis as { Bun?: typeof Bun }).Bun;

export async function hashPassword(password: string): Promise<string> {
  if (bun) return bun.password.hash(password, { algorithm: "argon2id" });
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (hash.startsWith("scrypt$")) {
    const [, salt, key] = hash.split("$");
    const expected = Buffer.from(key ?? "", "base64");
    const actual = await scrypt(password, Buffer.from(salt ?? "", "base64"), expected.length);
    return expected.length > 0 && timingSafeEqual(expected, actual);
  }
  if (!bun) throw new Error("argon2 hashes need the Bun runtime");
  return bun.password.verify(password, hash);
}

/** A random password people can type: 16 chars from an unambiguous alphabet. */
export function generatePassword(length = 16): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
