/**
 * Live events cross processes (api ↔ realtime machines) through PostgreSQL
 * LISTEN/NOTIFY: a second OS process bridges its own bus to the same
 * database; events published in either process reach the other exactly once
 * (and the publisher's own subscribers locally, without an echo). A listener
 * connection killed by the server is re-established and keeps delivering.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import postgres from "postgres";
import { bridgeEventsToPostgres, createEventBus, type TBridgedEventBus, type TKesherEvent } from "../../core/kernel/events";
import { createTestDb, type TTestDb } from "../helpers/db";

const base = process.env.DATABASE_URL;
const root = join(import.meta.dir, "..", "..");

const CHILD = `
import postgres from "postgres";
import { bridgeEventsToPostgres, createEventBus } from "./core/kernel/events";
const pg = postgres(process.env.EVENTS_DB_URL, { max: 2, onnotice: () => {} });
const bus = await bridgeEventsToPostgres(createEventBus(), pg);
bus.subscribe((e) => console.log("GOT " + JSON.stringify(e)));
console.log("READY");
for await (const line of console) {
  if (line.startsWith("PUB ")) bus.publish(JSON.parse(line.slice(4)));
}
`;

describe.skipIf(!base)("events across two processes (postgres LISTEN/NOTIFY)", () => {
  let db: TTestDb;
  let pg: postgres.Sql;
  let bus: TBridgedEventBus;
  const got: TKesherEvent[] = [];
  let child: ReturnType<typeof Bun.spawn>;
  let out = "";

  beforeAll(async () => {
    db = await createTestDb("postgres");
    pg = postgres(db.url!, { max: 2, onnotice: () => {} });
    bus = await bridgeEventsToPostgres(createEventBus(), pg);
    bus.subscribe((e) => got.push(e));
    child = Bun.spawn([process.execPath, "-e", CHILD], { cwd: root, env: { ...process.env, EVENTS_DB_URL: db.url! }, stdin: "pipe", stdout: "pipe", stderr: "inherit" });
    const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        out += new TextDecoder().decode(value);
      }
    })();
    for (let i = 0; i < 300 && !out.includes("READY"); i++) await Bun.sleep(50);
    if (!out.includes("READY")) throw new Error(`child did not start: ${out}`);
  }, 60_000);

  afterAll(async () => {
    child?.kill();
    await child?.exited;
    await bus?.close();
    await pg?.end({ timeout: 2 });
    await db?.destroy();
  }, 30_000);

  const childGot = () => out.split("\n").filter((l) => l.startsWith("GOT ")).map((l) => JSON.parse(l.slice(4)) as TKesherEvent);
  const waitFor = async (pred: () => boolean, what: string) => {
    for (let i = 0; i < 200 && !pred(); i++) await Bun.sleep(25);
    if (!pred()) throw new Error(`timed out waiting for ${what}`);
  };

  test("an event published here reaches the other process once; one published there reaches here once", async () => {
    const here: TKesherEvent = { type: "call.started", businessId: crypto.randomUUID(), callId: crypto.randomUUID(), callSid: "CA_x1", from: "+972541234567" };
    bus.publish(here);
    await waitFor(() => childGot().some((e) => e.type === "call.started" && e.callId === here.callId), "the child to receive");
    const there: TKesherEvent = { type: "call.turn", businessId: here.businessId, callId: here.callId, seq: 1, speaker: "caller", text: "שלום, אני מחפש דירה ברמת גן" };
    (child.stdin as import("bun").FileSink).write(`PUB ${JSON.stringify(there)}\n`);
    await waitFor(() => got.some((e) => e.type === "call.turn" && e.callId === there.callId), "this process to receive");
    // "Nothing more arrives", checked instead of slept on: NOTIFY is delivered in commit order on each
    // listening connection, so once a later sentinel has crossed both ways, any duplicate or echo
    // of the events above would already be here.
    const ping: TKesherEvent = { type: "call.started", businessId: here.businessId, callId: crypto.randomUUID(), callSid: "CA_ping", from: "+972541234567" };
    bus.publish(ping);
    await waitFor(() => childGot().some((e) => e.type === "call.started" && e.callId === ping.callId), "the sentinel to reach the child");
    const pong: TKesherEvent = { type: "call.started", businessId: here.businessId, callId: crypto.randomUUID(), callSid: "CA_pong", from: "+972541234567" };
    (child.stdin as import("bun").FileSink).write(`PUB ${JSON.stringify(pong)}\n`);
    await waitFor(() => got.some((e) => e.type === "call.started" && e.callId === pong.callId), "the sentinel to come back");
    // Exactly once each way, and no echo of one's own event back through PostgreSQL.
    expect(got.filter((e) => e.type === "call.started" && e.callId === here.callId).length).toBe(1);
    expect(got.filter((e) => e.type === "call.turn" && e.callId === there.callId).length).toBe(1);
    expect(childGot().filter((e) => e.type === "call.started" && e.callId === here.callId).length).toBe(1);
    expect(childGot().filter((e) => e.type === "call.turn").length).toBe(1);
    expect((got.find((e) => e.type === "call.turn") as { text: string }).text).toBe(there.text);
  }, 30_000);

  test("after the database kills the listening connection, events still cross", async () => {
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    const dbName = new URL(db.url!).pathname.slice(1);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`;
    await admin.end();
    const ev: TKesherEvent = { type: "lead.created", businessId: crypto.randomUUID(), customerId: crypto.randomUUID(), name: "דנה לוי" };
    // postgres-js re-listens on reconnect; publish until the child has it (bounded).
    for (let i = 0; i < 40 && !childGot().some((e) => e.type === "lead.created"); i++) {
      if (i % 8 === 0) bus.publish({ ...ev });
      await Bun.sleep(100);
    }
    expect(childGot().some((e) => e.type === "lead.created" && e.customerId === ev.customerId)).toBe(true);
  }, 30_000);
});
