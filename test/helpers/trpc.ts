/**
 * Real tRPC clients (the exported createKesherClient) talking to a test app
 * in-process through app.request, each with its own cookie jar.
 */
import { TRPCClientError } from "@trpc/client";
import { eq } from "drizzle-orm";
import { createKesherClient, type TCookieJar, type TKesherClient } from "../../api/client";
import { hashPassword } from "../../core/kernel/password";
import { businesses, users, PERMISSIONS, type TPermission } from "../../db/schema";
import { DEMO_ADMIN_EMAIL } from "../../db/seed/seed-demo";
import type { TTestApp } from "./app";
import { TEST_PASSWORD_COST } from "./db";

export const TEST_ORIGIN = "http://kesher.test";

export interface TTestClient {
  api: TKesherClient;
  jar: TCookieJar;
}

export function clientFor(t: TTestApp, opts: { headers?: Record<string, string>; ip?: string } = {}): TTestClient {
  const jar: TCookieJar = { cookie: undefined };
  const api = createKesherClient(`${TEST_ORIGIN}/trpc`, {
    jar,
    headers: { ...(opts.ip ? { "x-forwarded-for": opts.ip } : {}), ...opts.headers },
    fetch: (input, init) => Promise.resolve(t.app.request(input instanceof Request ? input : String(input), init)),
  });
  return { api, jar };
}

/** A logged-in client for the seeded demo admin. */
export async function adminClient(t: TTestApp): Promise<TTestClient> {
  const c = clientFor(t);
  await c.api.auth.login.mutate({ email: DEMO_ADMIN_EMAIL, password: t.adminPassword });
  return c;
}

let seq = 0;

/** Every test tenant's password, hashed once per process at the fixture cost; each login still verifies it for real. */
const TENANT_PASSWORD = "tenant-password-long-enough";
let tenantPasswordHash: Promise<string> | undefined;

/** Create a second business with one "business" user holding `permissions`; returns a logged-in client. */
export async function createTenant(
  t: TTestApp,
  opts: { name?: string; permissions?: TPermission[]; role?: "admin" | "business"; businessId?: string } = {},
): Promise<TTestClient & { businessId: string; userId: string; email: string; password: string }> {
  seq++;
  let businessId = opts.businessId;
  if (!businessId) {
    const [b] = await t.db.db
      .insert(businesses)
      .values({ name: opts.name ?? `עסק בדיקה ${seq}`, slug: `test-biz-${seq}-${Math.random().toString(36).slice(2, 8)}` })
      .returning({ id: businesses.id });
    businessId = b!.id;
  }
  const email = `user${seq}-${Math.random().toString(36).slice(2, 8)}@example.co.il`;
  const password = TENANT_PASSWORD;
  const [u] = await t.db.db
    .insert(users)
    .values({
      businessId,
      email,
      passwordHash: await (tenantPasswordHash ??= hashPassword(TENANT_PASSWORD, TEST_PASSWORD_COST)),
      fullName: `משתמש ${seq}`,
      role: opts.role ?? "business",
      permissions: opts.permissions ?? [...PERMISSIONS],
    })
    .returning({ id: users.id });
  const c = clientFor(t);
  await c.api.auth.login.mutate({ email, password });
  return { ...c, businessId, userId: u!.id, email, password };
}

export async function setPermissions(t: TTestApp, userId: string, permissions: TPermission[]): Promise<void> {
  await t.db.db.update(users).set({ permissions }).where(eq(users.id, userId));
}

/** The tRPC error of a rejected call (fails the test when the call succeeds). */
export async function trpcError(p: Promise<unknown>): Promise<TRPCClientError<any>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCClientError) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}
