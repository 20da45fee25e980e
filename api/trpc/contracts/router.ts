/** Contracts: templates, drafts, signing links, void, signed PDF and tamper check. */
import { z } from "zod";
import { sendSigningLinkToCustomer, ZSendChannel } from "../../services/invoices/send-billing-message";
import { billingSendDeps, ZSent } from "../invoices/send-deps";
import { publicOrigin } from "../../../core/kernel/public-url";
import { CONTRACT_TEMPLATES, ZTemplateIds } from "../../services/contracts/contract-templates";
import { createContract } from "../../services/contracts/create-contract";
import { getContract, getSignedPdf, listContracts, verifyContractPdf } from "../../services/contracts/get-contract";
import { sendContract } from "../../services/contracts/send-contract";
import { voidContract } from "../../services/contracts/void-contract";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { iso, ZId } from "../schemas";

const p = permissionProcedure("billing");
const ZStatus = z.enum(["draft", "sent", "signed", "void"]);

export const ZContractSummary = z.object({
  id: z.string(),
  template: z.string(),
  title: z.string(),
  status: ZStatus,
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  propertyId: z.string().nullable(),
  signerName: z.string().nullable(),
  signedAt: z.string().nullable(),
  signTokenExpiresAt: z.string().nullable(),
  pdfSha256: z.string().nullable(),
  createdAt: z.string(),
});
const ZContractDetail = ZContractSummary.extend({ body: z.string(), fields: z.record(z.string(), z.string()), signerIp: z.string().nullable() });

type TSummaryRow = Awaited<ReturnType<typeof listContracts>>[number];
const summary = (r: TSummaryRow) => ({ ...r, signedAt: iso(r.signedAt), signTokenExpiresAt: iso(r.signTokenExpiresAt), createdAt: r.createdAt.toISOString() });
const ZFile = z.object({ filename: z.string(), base64: z.string(), sha256: z.string() });

export const contractsRouter = router({
  templates: p.output(z.array(z.object({ id: z.enum(ZTemplateIds), title: z.string(), fields: z.array(z.object({ key: z.string(), label: z.string(), source: z.string(), required: z.boolean() })) }))).query(() =>
    Object.values(CONTRACT_TEMPLATES).map((t) => ({ id: t.id, title: t.title, fields: t.fields })),
  ),

  list: p
    .input(ZBusinessOverride.extend({ status: ZStatus.optional(), customerId: ZId.optional() }).optional())
    .output(z.array(ZContractSummary))
    .query(async ({ ctx, input = {} }) => (await listContracts(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)).map(summary)),

  get: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(ZContractDetail)
    .query(async ({ ctx, input }) => {
      const r = await getContract(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id);
      return { ...summary(r), body: r.body, fields: r.fields, signerIp: r.signerIp };
    }),

  create: p
    .input(ZBusinessOverride.extend({ template: z.enum(ZTemplateIds), customerId: ZId.optional(), propertyId: ZId.optional(), fields: z.record(z.string(), z.string().max(1000)).optional() }))
    .output(z.object({ id: z.string(), status: ZStatus }))
    .mutation(async ({ ctx, input }) => {
      const { businessId, ...data } = input;
      const row = await createContract(ctx.deps.dbh.db, scopeOf(ctx, businessId), data);
      return { id: row.id, status: row.status };
    }),

  /** A fresh single-use signing link (rotates any earlier one). */
  send: p
    .input(ZBusinessOverride.extend({ id: ZId, expiresInHours: z.number().int().min(1).max(720).optional() }))
    .output(z.object({ url: z.string(), expiresAt: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const r = await sendContract(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), { id: input.id, expiresInHours: input.expiresInHours });
      return { url: `${publicOrigin(ctx.req, ctx.deps.config.publicBaseUrl)}${r.path}`, expiresAt: r.expiresAt.toISOString() };
    }),

  /** Issue a fresh signing link and send it to the contract's customer (WhatsApp when open, else SMS); stored in their timeline. */
  sendToCustomer: p
    .input(ZBusinessOverride.extend({ id: ZId, channel: ZSendChannel, expiresInHours: z.number().int().min(1).max(720).optional() }))
    .output(ZSent.extend({ expiresAt: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const r = await sendSigningLinkToCustomer(billingSendDeps(ctx), scopeOf(ctx, input.businessId), input);
      return { channel: r.channel, messageId: r.messageId, url: r.url, expiresAt: r.expiresAt.toISOString() };
    }),

  void: p
    .input(ZBusinessOverride.extend({ id: ZId, reason: z.string().trim().min(2, "יש לציין סיבה").max(500) }))
    .output(z.object({ id: z.string(), status: z.literal("void") }))
    .mutation(({ ctx, input }) => voidContract(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), { id: input.id, reason: input.reason })),

  /** The signed PDF (base64), refused if it no longer matches its recorded SHA-256. */
  pdf: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(ZFile)
    .query(async ({ ctx, input }) => {
      const f = await getSignedPdf(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id);
      return { filename: f.filename, base64: Buffer.from(f.pdf).toString("base64"), sha256: f.sha256 };
    }),

  /** Does a PDF someone presents match the one signed? */
  verifyPdf: p
    .input(ZBusinessOverride.extend({ id: ZId, base64: z.string().max(20_000_000).optional() }))
    .output(z.object({ storedIntact: z.boolean(), providedMatches: z.boolean().nullable(), sha256: z.string().nullable() }))
    .mutation(({ ctx, input }) =>
      verifyContractPdf(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id, input.base64 ? new Uint8Array(Buffer.from(input.base64, "base64")) : undefined),
    ),
});
