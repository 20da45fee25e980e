import { z } from "zod";
import { createCustomer } from "../../services/customers/create-customer";
import { exportCustomersCsv, importCustomersCsv } from "../../services/customers/customers-csv";
import { ZCustomer, ZCustomerSource, ZCustomerStatus } from "../../services/customers/customer-dto";
import { ZCustomerFields } from "../../services/customers/customer-input";
import { addCustomerNote, deleteCustomerNote, ZCustomerNote, ZNoteText } from "../../services/customers/customer-notes";
import { getCustomer, ZCustomerDetail } from "../../services/customers/get-customer";
import { CUSTOMER_SORTS, listCustomers } from "../../services/customers/list-customers";
import { deleteCustomer, updateCustomer } from "../../services/customers/update-customer";
import { bulkUpdateCustomers } from "../../services/customers/bulk-update-customers";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { ZCursor, ZId, ZLimit } from "../schemas";

const p = permissionProcedure("customers");

export const ZCustomerFilters = ZBusinessOverride.extend({
  search: z.string().trim().max(200).optional(),
  status: ZCustomerStatus.optional(),
  source: ZCustomerSource.optional(),
  tag: z.string().trim().max(50).optional(),
  assignedUserId: ZId.optional(),
  /** "לקוחות שלי": leads assigned to the signed-in user. */
  mine: z.boolean().optional(),
  unassigned: z.boolean().optional(),
  dealType: z.enum(["sale", "rent"]).optional(),
  city: z.string().trim().max(80).optional(),
  budgetUpTo: z.number().int().min(0).optional(),
  staleDays: z.number().int().min(1).max(3650).optional(),
  /** Include test-call leads ("שיחת ניסיון"), hidden by default. */
  includeTest: z.boolean().optional(),
});

/** `mine` becomes the signed-in user's id. */
function ownFilters<T extends { mine?: boolean; assignedUserId?: string }>(ctx: { user: { id: string } }, input: T): T {
  return input.mine ? { ...input, assignedUserId: ctx.user.id } : input;
}

export const customersRouter = router({
  list: p
    .input(ZCustomerFilters.extend({ sort: z.enum(CUSTOMER_SORTS).optional(), cursor: ZCursor, limit: ZLimit }).optional())
    /** `totalCapped`: a search matched more than `total` (SEARCH_TOTAL_CAP) customers; `total` is a lower bound. */
    .output(z.object({ items: z.array(ZCustomer), nextCursor: z.string().nullable(), total: z.number(), totalCapped: z.boolean() }))
    .query(({ ctx, input = {} }) => listCustomers(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), ownFilters(ctx, input))),

  get: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(ZCustomerDetail)
    .query(({ ctx, input }) => getCustomer(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id)),

  create: p
    .input(ZBusinessOverride.extend(ZCustomerFields.shape))
    .output(ZCustomer)
    .mutation(({ ctx, input }) => {
      const { businessId, ...fields } = input;
      return createCustomer(ctx.deps.dbh.db, ctx.deps.events, scopeOf(ctx, businessId), fields);
    }),

  update: p
    .input(ZBusinessOverride.extend(ZCustomerFields.shape).extend({ id: ZId, aiPaused: z.boolean().optional() }))
    .output(ZCustomer)
    .mutation(({ ctx, input }) => {
      const { businessId, id, ...patch } = input;
      return updateCustomer(ctx.deps.dbh.db, ctx.deps.events, scopeOf(ctx, businessId), id, patch);
    }),

  setStatus: p
    .input(ZBusinessOverride.extend({ id: ZId, status: ZCustomerStatus }))
    .output(ZCustomer)
    .mutation(({ ctx, input }) => updateCustomer(ctx.deps.dbh.db, ctx.deps.events, scopeOf(ctx, input.businessId), input.id, { status: input.status })),

  /** CSV for Excel (UTF-8 BOM, Hebrew headers); the dashboard saves `csv` as `filename`. */
  exportCsv: p
    .input(ZCustomerFilters.optional())
    .output(z.object({ filename: z.string(), csv: z.string(), rows: z.number() }))
    .query(({ ctx, input = {} }) => exportCustomersCsv(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), ownFilters(ctx, input))),

  /** Bulk actions on selected rows: a status, a tag added or removed. Rows of other businesses are skipped. */
  bulkUpdate: p
    .input(
      ZBusinessOverride.extend({
        ids: z.array(ZId).min(1).max(1000),
        status: ZCustomerStatus.optional(),
        addTag: z.string().trim().min(1).max(50).optional(),
        removeTag: z.string().trim().min(1).max(50).optional(),
      }),
    )
    .output(z.object({ updated: z.number() }))
    .mutation(({ ctx, input }) => {
      const { businessId, ids, ...change } = input;
      return bulkUpdateCustomers(ctx.deps.dbh.db, scopeOf(ctx, businessId), ids, change);
    }),

  /** All-or-nothing import; `errors` lists every bad row (spreadsheet row numbers). */
  importCsv: p
    .input(ZBusinessOverride.extend({ csv: z.string().min(1, "הקובץ ריק").max(5_000_000, "הקובץ גדול מדי (עד 5MB)") }))
    .output(
      z.object({
        imported: z.number(),
        errors: z.array(z.object({ row: z.number(), message: z.string() })),
        customers: z.array(z.object({ id: z.string(), fullName: z.string().nullable(), phone: z.string().nullable() })),
      }),
    )
    .mutation(({ ctx, input }) => importCustomersCsv(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.csv)),

  /** A note as its own timeline entry, signed by the acting user. */
  addNote: p
    .input(ZBusinessOverride.extend({ customerId: ZId, text: ZNoteText }))
    .output(ZCustomerNote)
    .mutation(({ ctx, input }) => addCustomerNote(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.customerId, input.text)),

  deleteNote: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteCustomerNote(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id, ctx.user.role === "admin");
      return { ok: true as const };
    }),

  delete: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteCustomer(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id);
      return { ok: true as const };
    }),
});
