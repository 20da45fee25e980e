/**
 * Live notifications end to end: a real Bun.serve server, a signed Twilio
 * /twilio/voice webhook, and the exported typed client subscribed over SSE
 * (httpSubscriptionLink + the eventsource package). Plus the cross-process
 * bridge over PostgreSQL LISTEN/NOTIFY.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createKesherClient, type TCookieJar } from "../api/client";
import { bridgeEventsToPostgres, createEventBus, type TKesherEvent } from "../core/kernel/events";
import { createDb } from "../db/client";
import { callLogs } from "../db/schema";
import { DEMO_ADMIN_EMAIL } from "../db/seed/seed-demo";
import { createTestApp, signedTwilioPost, type TTestApp } from "./helpers/app";
import { createTestDb, DB_KINDS } from "./helpers/db";
import { createTenant } from "./helpers/trpc";

async function until<T>(get: () => T | undefined, what: string, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = get();
    if (v !== undefined) return v;
    await Bun.sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const kind of DB_KINDS) {
  describe(`notifications over HTTP [${kind}]`, () => {
    let t: TTestApp;
    let server: ReturnType<typeof Bun.serve>;
    let base: string;
    beforeAll(async () => {
      t = await createTestApp(kind);
      server = Bun.serve({ port: 0, hostname: "127.0.0.1", idleTimeout: 30, fetch: (req, srv) => t.app.fetch(req, { server: srv }) });
      base = `http://127.0.0.1:${server.port}`;
    }, 60_000);
    afterAll(async () => {
      await server.stop(true);
      await t.close();
    });

    test("a signed Twilio voice webhook raises call.started on the business's subscription", async () => {
      const jar: TCookieJar = { cookie: undefined };
      const kesher = createKesherClient(`${base}/trpc`, { jar });
      await kesher.auth.login.mutate({ email: DEMO_ADMIN_EMAIL, password: t.adminPassword });
      expect(jar.cookie).toMatch(/^kesher_session=/);

      // A second business subscribes too and must not hear the call.
      const other = await createTenant(t);
      const otherClient = createKesherClient(`${base}/trpc`, { cookie: other.jar.cookie });

      const events: TKesherEvent[] = [];
      const otherEvents: TKesherEvent[] = [];
      let startedA!: () => void;
      let startedB!: () => void;
      const readyA = new Promise<void>((r) => (startedA = r));
      const readyB = new Promise<void>((r) => (startedB = r));
      const subA = kesher.notifications.onEvent.subscribe(undefined, { onStarted: () => startedA(), onData: (e) => events.push(e) });
      const subB = otherClient.notifications.onEvent.subscribe(undefined, { onStarted: () => startedB(), onData: (e) => otherEvents.push(e) });
      await Promise.all([readyA, readyB]);

      const params = {
        AccountSid: "AC00000000000000000000000000000000",
        CallSid: `CA_notify_${kind}`,
        From: "+972541112233",
        To: "+97235550100",
        CallStatus: "ringing",
        Direction: "inbound",
      };
      const res = await fetch(signedTwilioPost(`${base}/twilio/voice`, params));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("<Connect><Stream");

      const started = await until(() => events.find((e) => e.type === "call.started"), "call.started");
      const [row] = await t.db.db.select().from(callLogs).where(eq(callLogs.callSid, params.CallSid));
      expect(started).toEqual({ type: "call.started", businessId: t.businessId, callId: row!.id, callSid: params.CallSid, from: "+972541112233" });
      subA.unsubscribe();
      subB.unsubscribe();
      expect(otherEvents.filter((e) => e.type === "call.started")).toEqual([]);
    });

    test("the SSE stream sends keep-alive pings and refuses anonymous subscribers", async () => {
      const anon = await fetch(`${base}/trpc/notifications.onEvent`, { headers: { accept: "text/event-stream" } });
      const body = await anon.text();
      expect(body).toContain("UNAUTHORIZED");

      const u = await createTenant(t);
      const ac = new AbortController();
      const res = await fetch(`${base}/trpc/notifications.onEvent`, { headers: { accept: "text/event-stream", cookie: u.jar.cookie! }, signal: ac.signal });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const reader = res.body!.getReader();
      let text = "";
      const decoder = new TextDecoder();
      for (let i = 0; i < 40 && !text.includes("event: ping"); i++) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      ac.abort();
      expect(text).toContain("event: connected");
      expect(text).toContain("event: ping");
    }, 20_000);
  });
}

describe.skipIf(!process.env.DATABASE_URL)("event bus bridge over PostgreSQL LISTEN/NOTIFY", () => {
  test("an event published in one process reaches subscribers of another exactly once", async () => {
    const db = await createTestDb("postgres");
    const other = await createDb({ databaseUrl: db.url!, maxConnections: 2 });
    const busA = await bridgeEventsToPostgres(createEventBus(), db.pg!);
    const busB = await bridgeEventsToPostgres(createEventBus(), other.pg!);
    const gotA: TKesherEvent[] = [];
    const gotB: TKesherEvent[] = [];
    busA.subscribe((e) => gotA.push(e));
    busB.subscribe((e) => gotB.push(e));
    try {
      const event: TKesherEvent = { type: "lead.created", businessId: crypto.randomUUID(), customerId: crypto.randomUUID(), name: "דני" };
      busA.publish(event);
      const long: TKesherEvent = { type: "call.turn", businessId: event.businessId, callId: crypto.randomUUID(), seq: 1, speaker: "caller", text: "ש".repeat(6000) };
      busB.publish(long);
      await until(() => (gotB.length >= 2 && gotA.length >= 2 ? true : undefined), "bridged events");
      await Bun.sleep(200); // let any duplicate arrive before counting
      expect(gotB.filter((e) => e.type === "lead.created")).toEqual([event]);
      expect(gotA.filter((e) => e.type === "lead.created")).toEqual([event]);
      expect(gotB.filter((e) => e.type === "call.turn")).toHaveLength(1);
      const remote = gotA.find((e) => e.type === "call.turn");
      expect(remote?.type === "call.turn" && remote.text.length < 6000 && remote.text.endsWith("…")).toBe(true);
    } finally {
      await busA.close();
      await busB.close();
      await other.close();
      await db.destroy();
    }
  }, 30_000);
});
