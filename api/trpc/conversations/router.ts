/**
 * `conversations`: the unified inbox (WhatsApp threads mixed with calls),
 * staff replies, human takeover / hand back, and the WhatsApp connection
 * (QR / pairing code login, status, logout) shown in the dashboard.
 */
import { z } from "zod";
import { AppError } from "../../../core/kernel/errors";
import { getThread } from "../../services/whatsapp/get-thread";
import { listThreads } from "../../services/whatsapp/list-threads";
import { setAiPaused } from "../../services/whatsapp/set-ai-paused";
import { providerOf } from "../../services/whatsapp/send-whatsapp-message";
import type { TAppDeps } from "../../types";
import type { TWhatsAppHub } from "../../whatsapp/whatsapp-hub";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { iso, ZId, ZIso, ZIsoNullable } from "../schemas";
import { businesses } from "../../../db/schema";
import { eq } from "drizzle-orm";

const inbox = permissionProcedure("whatsapp");
const manage = permissionProcedure("settings");

const ZProvider = z.enum(["baileys", "twilio"]);
const ZStatus = z.enum(["received", "queued", "sent", "delivered", "read", "failed"]);

const ZThreadSummary = z.object({
  customerId: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  aiPaused: z.boolean(),
  lastAt: ZIso,
  lastChannel: z.enum(["whatsapp", "call"]),
  lastText: z.string().nullable(),
  lastDirection: z.enum(["in", "out"]).nullable(),
  awaitingReply: z.number(),
});

const ZThreadItem = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("whatsapp"),
    id: z.string(),
    at: ZIso,
    direction: z.enum(["in", "out"]),
    author: z.enum(["customer", "ai", "staff", "system"]),
    body: z.string().nullable(),
    mediaType: z.string().nullable(),
    mediaUrl: z.string().nullable(),
    status: ZStatus,
    error: z.string().nullable(),
    provider: z.enum(["baileys", "twilio", "sms"]),
  }),
  z.object({ kind: z.literal("call"), id: z.string(), at: ZIso, status: z.string(), durationSec: z.number().nullable(), summary: z.string().nullable(), direction: z.string() }),
]);

const ZThread = z.object({
  customer: z.object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable(), aiPaused: z.boolean(), status: z.string() }),
  provider: ZProvider,
  window: z.object({ open: z.boolean(), enforced: z.boolean(), lastInboundAt: ZIsoNullable, closesAt: ZIsoNullable }),
  items: z.array(ZThreadItem),
});

const ZMessage = z.object({ id: z.string(), status: ZStatus, body: z.string().nullable(), error: z.string().nullable(), providerMessageId: z.string().nullable(), sentAt: ZIso });

const ZConnection = z.object({
  provider: ZProvider,
  whatsappNumber: z.string().nullable(),
  twilioConfigured: z.boolean(),
  state: z.enum(["idle", "connecting", "qr", "pairing_code", "open", "reconnecting", "logged_out", "stopped"]),
  qrDataUrl: z.string().nullable(),
  pairingCode: z.string().nullable(),
  me: z.string().nullable(),
  reason: z.string().nullable(),
  reconnectAttempts: z.number(),
  updatedAt: ZIso,
});

function hubOf(deps: TAppDeps): TWhatsAppHub {
  if (!deps.whatsapp) throw new AppError("UNAVAILABLE", "whatsapp hub not running", { userMessage: "שירות WhatsApp אינו פעיל בשרת זה" });
  return deps.whatsapp;
}

async function connectionOf(deps: TAppDeps, businessId: string): Promise<z.infer<typeof ZConnection>> {
  const hub = hubOf(deps);
  const [b] = await deps.dbh.db.select({ settings: businesses.settings, whatsappNumber: businesses.whatsappNumber }).from(businesses).where(eq(businesses.id, businessId));
  if (!b) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
  return { provider: providerOf(b), whatsappNumber: b.whatsappNumber, twilioConfigured: Boolean(hub.twilio), ...hub.baileys.status(businessId) };
}

export const conversationsRouter = router({
  threads: inbox
    .input(ZBusinessOverride.extend({ search: z.string().trim().max(100).optional(), limit: z.number().int().min(1).max(200).optional() }).optional())
    .output(z.array(ZThreadSummary))
    .query(async ({ ctx, input = {} }) => {
      const threads = await listThreads(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input);
      return threads.map((t) => ({ ...t, lastAt: t.lastAt.toISOString() }));
    }),

  thread: inbox
    .input(ZBusinessOverride.extend({ customerId: ZId }))
    .output(ZThread)
    .query(async ({ ctx, input }) => {
      const t = await getThread(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.customerId, { now: ctx.deps.now?.() });
      return {
        ...t,
        window: { ...t.window, lastInboundAt: iso(t.window.lastInboundAt), closesAt: iso(t.window.closesAt) },
        items: t.items.map((i) => ({ ...i, at: i.at.toISOString() })),
      };
    }),

  send: inbox
    .input(
      ZBusinessOverride.extend({
        customerId: ZId,
        body: z.string().trim().min(1, "אי אפשר לשלוח הודעה ריקה").max(4096).optional(),
        template: z
          .object({ contentSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/, "מזהה תבנית לא תקין"), variables: z.record(z.string(), z.string().max(500)).optional(), preview: z.string().max(1000).optional() })
          .optional(),
      }),
    )
    .output(ZMessage)
    .mutation(async ({ ctx, input }) => {
      const scope = scopeOf(ctx, input.businessId);
      const row = await hubOf(ctx.deps).send({
        businessId: scope.businessId,
        customerId: input.customerId,
        author: "staff",
        authorUserId: ctx.user.id,
        body: input.body,
        template: input.template,
      });
      return { id: row.id, status: row.status, body: row.body, error: row.error, providerMessageId: row.providerMessageId, sentAt: row.sentAt.toISOString() };
    }),

  takeover: inbox
    .input(ZBusinessOverride.extend({ customerId: ZId }))
    .output(z.object({ customerId: z.string(), aiPaused: z.boolean() }))
    .mutation(({ ctx, input }) => setAiPaused(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.customerId, true)),

  handBack: inbox
    .input(ZBusinessOverride.extend({ customerId: ZId }))
    .output(z.object({ customerId: z.string(), aiPaused: z.boolean() }))
    .mutation(({ ctx, input }) => setAiPaused(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.customerId, false)),

  connection: inbox
    .input(ZBusinessOverride.optional())
    .output(ZConnection)
    .query(async ({ ctx, input }) => {
      const conn = await connectionOf(ctx.deps, scopeOf(ctx, input?.businessId).businessId);
      // The login QR / pairing code links a phone to the business: only for those who manage settings.
      const canLink = ctx.user.role === "admin" || ctx.user.permissions.includes("settings");
      return canLink ? conn : { ...conn, qrDataUrl: null, pairingCode: null };
    }),

  connect: manage
    .input(ZBusinessOverride.extend({ pairingPhone: z.string().trim().regex(/^\+?[\d\s-]{8,20}$/, "מספר טלפון לא תקין").optional() }).optional())
    .output(ZConnection)
    .mutation(async ({ ctx, input }) => {
      const { businessId } = scopeOf(ctx, input?.businessId);
      await hubOf(ctx.deps).baileys.connect(businessId, { pairingPhone: input?.pairingPhone });
      return connectionOf(ctx.deps, businessId);
    }),

  disconnect: manage
    .input(ZBusinessOverride.optional())
    .output(ZConnection)
    .mutation(async ({ ctx, input }) => {
      const { businessId } = scopeOf(ctx, input?.businessId);
      await hubOf(ctx.deps).baileys.disconnect(businessId);
      return connectionOf(ctx.deps, businessId);
    }),

  logout: manage
    .input(ZBusinessOverride.optional())
    .output(ZConnection)
    .mutation(async ({ ctx, input }) => {
      const { businessId } = scopeOf(ctx, input?.businessId);
      await hubOf(ctx.deps).baileys.logout(businessId);
      return connectionOf(ctx.deps, businessId);
    }),
});
