/** Invoices: issue, list, credit notes (the only way to cancel), Hebrew PDF. */
import { z } from "zod";
import { createCreditNote, previewCreditNote, ZCreateCreditNote, ZCreditNoteAmount } from "../../services/invoices/create-credit-note";
import { createInvoice, ZCreateInvoice, type TInvoiceRow } from "../../services/invoices/create-invoice";
import { getInvoice, invoiceCustomerOptions, listInvoices, ZListInvoices, type TInvoiceSummary } from "../../services/invoices/list-invoices";
import { renderInvoicePdf } from "../../services/invoices/render-invoice-pdf";
import { sendInvoiceToCustomer, ZSendChannel } from "../../services/invoices/send-billing-message";
import { billingSendDeps, ZSent } from "./send-deps";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { ZId } from "../schemas";

const p = permissionProcedure("billing");

export const ZInvoice = z.object({
  id: z.string(),
  customerId: z.string().nullable(),
  type: z.enum(["tax_invoice", "receipt", "tax_invoice_receipt", "credit_note"]),
  number: z.number(),
  status: z.enum(["issued", "paid", "partially_paid", "cancelled", "credited", "partially_credited"]),
  issueDate: z.string(),
  customerName: z.string(),
  customerTaxId: z.string().nullable(),
  customerIdKind: z.enum(["id", "company"]).nullable(),
  customerAddress: z.string().nullable(),
  customerPhone: z.string().nullable(),
  forInvoiceId: z.string().nullable(),
  paymentLinkId: z.string().nullable(),
  note: z.string().nullable(),
  lines: z.array(z.object({ description: z.string(), quantity: z.number(), unitPriceAgorot: z.number() })),
  subtotalAgorot: z.number(),
  vatRateBp: z.number(),
  vatAgorot: z.number(),
  totalAgorot: z.number(),
  allocationNumber: z.string().nullable(),
  creditForInvoiceId: z.string().nullable(),
  createdAt: z.string(),
});

const dto = (r: TInvoiceSummary | TInvoiceRow) => ({
  id: r.id,
  customerId: r.customerId,
  type: r.type,
  number: r.number,
  status: r.status,
  issueDate: r.issueDate,
  customerName: r.customerName,
  customerTaxId: r.customerTaxId,
  customerIdKind: r.customerIdKind,
  customerAddress: r.customerAddress,
  customerPhone: r.customerPhone,
  forInvoiceId: r.forInvoiceId,
  paymentLinkId: r.paymentLinkId,
  note: r.note,
  lines: r.lines,
  subtotalAgorot: r.subtotalAgorot,
  vatRateBp: r.vatRateBp,
  vatAgorot: r.vatAgorot,
  totalAgorot: r.totalAgorot,
  allocationNumber: r.allocationNumber,
  creditForInvoiceId: r.creditForInvoiceId,
  createdAt: r.createdAt.toISOString(),
});

export const invoicesRouter = router({
  list: p
    .input(ZBusinessOverride.extend(ZListInvoices.partial().shape).optional())
    .output(z.array(ZInvoice))
    .query(async ({ ctx, input = {} }) => (await listInvoices(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)).map(dto)),

  get: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(ZInvoice)
    .query(async ({ ctx, input }) => dto(await getInvoice(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id))),

  create: p
    .input(ZBusinessOverride.extend(ZCreateInvoice.shape))
    .output(ZInvoice)
    .mutation(async ({ ctx, input }) => {
      const { businessId, ...data } = input;
      return dto(await createInvoice(ctx.deps.dbh.db, scopeOf(ctx, businessId), data));
    }),

  /** Cancel (fully or partly) by issuing a credit note. */
  creditNote: p
    .input(ZBusinessOverride.extend(ZCreateCreditNote.shape))
    .output(z.object({ creditNote: ZInvoice, invoice: ZInvoice }))
    .mutation(async ({ ctx, input }) => {
      const { businessId, ...data } = input;
      const r = await createCreditNote(ctx.deps.dbh.db, scopeOf(ctx, businessId), data);
      return { creditNote: dto(r.creditNote), invoice: dto(r.invoice) };
    }),

  /** What a credit note would do (amounts, what stays open, the invoice's status after): the dialog's confirmation step. */
  creditPreview: p
    .input(ZBusinessOverride.extend(ZCreditNoteAmount.shape))
    .output(
      z.object({
        invoiceId: z.string(),
        invoiceLabel: z.string(),
        subtotalAgorot: z.number(),
        vatRateBp: z.number(),
        vatAgorot: z.number(),
        totalAgorot: z.number(),
        alreadyCreditedAgorot: z.number(),
        remainingAfterAgorot: z.number(),
        full: z.boolean(),
        statusAfter: z.enum(["credited", "partially_credited"]),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { businessId, ...data } = input;
      return previewCreditNote(ctx.deps.dbh.db, scopeOf(ctx, businessId), data);
    }),

  /** CRM customers to pick on an invoice (name or phone), with their last document's ID / address. */
  customerOptions: p
    .input(ZBusinessOverride.extend({ q: z.string().max(100).default("") }))
    .output(z.array(z.object({ id: z.string(), fullName: z.string(), phone: z.string().nullable(), taxId: z.string().nullable(), idKind: z.enum(["id", "company"]).nullable(), address: z.string().nullable() })))
    .query(({ ctx, input }) => invoiceCustomerOptions(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.q)),

  /** Send the document to its customer (WhatsApp when open, else SMS) as a signed PDF link; stored in their timeline. */
  send: p
    .input(ZBusinessOverride.extend({ id: ZId, channel: ZSendChannel }))
    .output(ZSent)
    .mutation(({ ctx, input }) => sendInvoiceToCustomer(billingSendDeps(ctx), scopeOf(ctx, input.businessId), input)),

  pdf: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(z.object({ filename: z.string(), base64: z.string() }))
    .query(async ({ ctx, input }) => {
      const f = await renderInvoicePdf(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id);
      return { filename: f.filename, base64: Buffer.from(f.pdf).toString("base64") };
    }),
});
