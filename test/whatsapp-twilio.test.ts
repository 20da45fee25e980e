/**
 * WhatsApp over Twilio (the backup provider) and the `conversations` tRPC
 * router, one conversation in order: a signed inbound webhook into the real
 * app, the reply through the real twilio SDK to the local Twilio REST double,
 * redelivery, forged signatures, status callbacks, then the inbox, takeover,
 * bad input and another tenant through real tRPC clients. The window, voice
 * notes and the connection are in whatsapp-twilio-window-media.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { customers, whatsappMessages } from "../db/schema";
import { ACCOUNT, BUSINESS_WA, HOST, inbound } from "./helpers/whatsapp-twilio";
import { createTenant, trpcError } from "./helpers/trpc";
import { waitFor } from "./helpers/wait-for";
import { DB_KINDS } from "./helpers/db";
import { startWhatsAppTwilio, type TWhatsAppTwilioFixture } from "./helpers/whatsapp-twilio";

for (const kind of DB_KINDS) {
  describe(`whatsapp via twilio + conversations router [${kind}]`, () => {
    let f: TWhatsAppTwilioFixture;
    let t: TWhatsAppTwilioFixture["t"];
    let rest: TWhatsAppTwilioFixture["rest"];
    let admin: TWhatsAppTwilioFixture["admin"];
    let post: TWhatsAppTwilioFixture["post"];
    let customerByPhone: TWhatsAppTwilioFixture["customerByPhone"];
    let rowsFor: TWhatsAppTwilioFixture["rowsFor"];
    beforeAll(async () => {
      f = await startWhatsAppTwilio(kind);
      ({ t, rest, admin, post, customerByPhone, rowsFor } = f);
    }, 120_000);
    afterAll(() => f.close());

    test("signed inbound → stored, Hebrew AI reply sent through Twilio REST and stored with its SID", async () => {
      const res = await post("/webhook/whatsapp/inbound", inbound("SM_in_1", "שלום, מחפש דירה לקנייה בתל אביב"));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/xml");
      expect(await res.text()).toContain("<Response></Response>");

      // Twilio is acknowledged once the message is stored; the reply follows in the background.
      await waitFor(() => rest.messages.length === 1, "AI reply through Twilio REST");
      const out = rest.messages[0]!;
      expect(out.from).toBe(`whatsapp:${BUSINESS_WA}`);
      expect(out.to).toBe("whatsapp:+972541234567");
      expect(out.body).toMatch(/[\u0590-\u05FF]/);
      expect(out.statusCallback).toBe(`${HOST}/webhook/whatsapp/status`);

      const customer = (await customerByPhone("+972541234567"))!;
      expect(customer).toMatchObject({ source: "whatsapp", fullName: "יוסי לוי" });
      const rows = await waitFor(async () => {
        const r = await rowsFor(customer.id);
        return r.length === 2 && r[1]!.status !== "queued" ? r : null;
      }, "reply stored as sent");
      expect(rows.map((r) => [r.direction, r.author, r.provider, r.status])).toEqual([
        ["in", "customer", "twilio", "received"],
        ["out", "ai", "twilio", "sent"],
      ]);
      expect(rows[0]!.providerMessageId).toBe("SM_in_1");
      expect(rows[1]!.providerMessageId).toBe(out.sid);
      expect(rows[1]!.body).toBe(out.body);
      // The reply's event is published after its row is marked sent: the row can be read in between.
      const events = await waitFor(() => {
        const e = t.events.filter((ev) => ev.type === "whatsapp.message" && ev.customerId === customer.id);
        return e.length >= 2 ? e : null;
      }, "both messages announced");
      expect(events.map((e) => (e as { direction: string }).direction)).toEqual(["in", "out"]);
    });

    test("Twilio redelivery of the same MessageSid is ignored", async () => {
      const res = await post("/webhook/whatsapp/inbound", inbound("SM_in_1", "שלום, מחפש דירה לקנייה בתל אביב"));
      expect(res.status).toBe(200);
      expect(rest.messages).toHaveLength(1);
      const customer = (await customerByPhone("+972541234567"))!;
      expect(await rowsFor(customer.id)).toHaveLength(2);
    });

    test("forged or missing signature → 403 and nothing stored or sent", async () => {
      const forged = await post("/webhook/whatsapp/inbound", inbound("SM_forged", "x", "+972520000001"), { token: "wrong-token-123456" });
      expect(forged.status).toBe(403);
      const unsigned = await post("/webhook/whatsapp/inbound", inbound("SM_unsigned", "x", "+972520000001"), { signature: null });
      expect(unsigned.status).toBe(403);
      expect(await customerByPhone("+972520000001")).toBeUndefined();
      expect(rest.messages).toHaveLength(1);
    });

    test("status callbacks: delivered → read; a stale delivered changes nothing", async () => {
      const sid = rest.messages[0]!.sid;
      const status = (s: string, extra: Record<string, string> = {}) =>
        post("/webhook/whatsapp/status", { AccountSid: ACCOUNT, MessageSid: sid, MessageStatus: s, ...extra });
      expect((await status("delivered")).status).toBe(204);
      expect((await status("read")).status).toBe(204);
      expect((await status("delivered")).status).toBe(204);
      const [row] = await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, sid));
      expect(row!.status).toBe("read");
    });

    test("inbox: thread list and thread with window state through tRPC", async () => {
      const threads = await admin.api.conversations.threads.query();
      const customer = (await customerByPhone("+972541234567"))!;
      const mine = threads.find((x) => x.customerId === customer.id)!;
      expect(mine).toMatchObject({ name: "יוסי לוי", phone: "+972541234567", aiPaused: false, lastChannel: "whatsapp", lastDirection: "out" });
      const found = await admin.api.conversations.threads.query({ search: "054-123" });
      expect(found.map((x) => x.customerId)).toEqual([customer.id]);
      expect(await admin.api.conversations.threads.query({ search: "יוסי" })).toHaveLength(1);
      expect(await admin.api.conversations.threads.query({ search: "אין כזה" })).toHaveLength(0);
      const thread = await admin.api.conversations.thread.query({ customerId: customer.id });
      expect(thread.provider).toBe("twilio");
      expect(thread.window).toMatchObject({ open: true, enforced: true });
      expect(thread.items.map((i) => i.kind === "whatsapp" && i.author)).toEqual(["customer", "ai"]);
    });

    test("takeover: AI stays quiet, staff reply goes out via Twilio, hand back resumes AI", async () => {
      const customer = (await customerByPhone("+972541234567"))!;
      expect(await admin.api.conversations.takeover.mutate({ customerId: customer.id })).toEqual({ customerId: customer.id, aiPaused: true });
      await post("/webhook/whatsapp/inbound", inbound("SM_in_2", "אפשר נציג אנושי?"));
      expect(rest.messages).toHaveLength(1);
      expect((await rowsFor(customer.id)).at(-1)).toMatchObject({ providerMessageId: "SM_in_2", direction: "in" });

      const sent = await admin.api.conversations.send.mutate({ customerId: customer.id, body: "שלום יוסי, כאן דנה מהמשרד. איך אפשר לעזור?" });
      expect(sent.status).toBe("sent");
      expect(rest.messages).toHaveLength(2);
      expect(rest.messages[1]!.body).toBe("שלום יוסי, כאן דנה מהמשרד. איך אפשר לעזור?");
      const [row] = await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.id, sent.id));
      expect(row).toMatchObject({ author: "staff", providerMessageId: rest.messages[1]!.sid });
      expect(row!.authorUserId).not.toBeNull();

      await admin.api.conversations.handBack.mutate({ customerId: customer.id });
      await post("/webhook/whatsapp/inbound", inbound("SM_in_3", "תודה, ומה לגבי דירות ברמת גן?"));
      await waitFor(() => rest.messages.length === 3, "AI reply after hand back");
      expect(rest.messages[2]!.to).toBe("whatsapp:+972541234567");
    });

    test("bad input: webhook without MessageSid → 400; empty staff message → Hebrew validation error", async () => {
      const res = await post("/webhook/whatsapp/inbound", { AccountSid: ACCOUNT, From: "whatsapp:+972541234567", Body: "x" });
      expect(res.status).toBe(400);
      const customer = (await customerByPhone("+972541234567"))!;
      const err = await trpcError(admin.api.conversations.send.mutate({ customerId: customer.id, body: "   " }));
      expect(err.data?.code).toBe("BAD_REQUEST");
      expect(err.message).toMatch(/[\u0590-\u05FF]/);
    });

    test("tenants: another business sees none of these threads and cannot act on them", async () => {
      const other = await createTenant(t, { permissions: ["whatsapp", "settings"] });
      const customer = (await customerByPhone("+972541234567"))!;
      expect(await other.api.conversations.threads.query()).toEqual([]);
      expect((await trpcError(other.api.conversations.thread.query({ customerId: customer.id }))).data?.code).toBe("NOT_FOUND");
      expect((await trpcError(other.api.conversations.takeover.mutate({ customerId: customer.id }))).data?.code).toBe("NOT_FOUND");
      const before = rest.messages.length;
      expect((await trpcError(other.api.conversations.send.mutate({ customerId: customer.id, body: "hi" }))).data?.code).toBe("NOT_FOUND");
      expect(rest.messages.length).toBe(before);
      const [fresh] = await t.db.db.select().from(customers).where(eq(customers.id, customer.id));
      expect(fresh!.aiPaused).toBe(false);
    });
  });
}
