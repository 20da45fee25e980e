/**
 * #18 lean idle: a process whose businesses have no WhatsApp Web session never
 * loads Baileys (~25–50 MB resident once imported). Checked in a fresh Bun
 * process (this test process may have imported Baileys through other suites):
 * the WhatsApp hub is built and resumes its sessions, as the composition root
 * does at start, and Baileys must not be in the module registry; once a paired
 * session is stored, the same resume opens it and Baileys is loaded.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DB_KINDS } from "./helpers/db";

const root = join(import.meta.dir, "..");

const child = (kind: string) => `
import { createTestDb } from "${root}/test/helpers/db";
import { createWhatsAppHub } from "${root}/api/whatsapp/whatsapp-hub";
import { createEventBus } from "${root}/core/kernel/events";
import { createLogger } from "${root}/core/kernel/logger";
import { loadEnv } from "${root}/env";
import { whatsappAuth, businesses } from "${root}/db/schema";
const loaded = () => Object.keys(require.cache).some((k) => k.includes("@whiskeysockets/baileys"));
const t = await createTestDb("${kind}", { seeded: true });
let factory;
const hub = createWhatsAppHub({ db: t.db, log: createLogger("silent"), events: createEventBus(), config: loadEnv({ NODE_ENV: "test" }), agent: null, twilioClient: null, socketFactory: (cfg) => factory(cfg), standbyMs: 60_000 });
const idleOpened = await hub.baileys.resumeAll();
const idle = loaded();
// A paired session (as after a QR login), written without Baileys; the socket double comes with Baileys itself.
const [b] = await t.db.select({ id: businesses.id }).from(businesses).limit(1);
await t.db.insert(whatsappAuth).values({ businessId: b.id, keyType: "creds", keyId: "main", value: { me: { id: "97235550100:7@s.whatsapp.net" } } });
factory = (await import("${root}/test/doubles/baileys-socket")).autoOpenSocketFactory();
const opened = await hub.baileys.resumeAll();
console.log("RESULT=" + JSON.stringify({ idleOpened, idle, opened, after: loaded() }));
await hub.close();
await t.destroy();
process.exit(0);
`;

describe.each(DB_KINDS)("Baileys is loaded only with a WhatsApp Web connection (%s)", (kind) => {
  test("no session: the hub resumes nothing and Baileys stays unloaded; a stored session is opened", async () => {
    const proc = Bun.spawn([process.execPath, "-e", child(kind)], { cwd: root, stdout: "pipe", stderr: "pipe", env: { ...process.env, NODE_ENV: "test" } });
    const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    await proc.exited;
    const line = out.split("\n").find((l) => l.startsWith("RESULT="));
    if (!line) throw new Error(`child printed no result:\n${out}\n${err}`);
    expect(JSON.parse(line.slice("RESULT=".length))).toEqual({ idleOpened: 0, idle: false, opened: 1, after: true });
  }, 120_000);
});
