import { sql } from "drizzle-orm";
import { bigint, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, date } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { customers } from "./customers";
import { properties } from "./properties";
import { contractStatus, invoiceStatus, invoiceType, paymentProvider, paymentStatus } from "./enums";
import { timestamps } from "./timestamps";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

export const contracts = pgTable(
  "contracts",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    propertyId: uuid().references(() => properties.id, { onDelete: "set null" }),
    template: text().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    fields: jsonb().$type<Record<string, string>>().notNull().default({}),
    status: contractStatus().notNull().default("draft"),
    signTokenHash: text(),
    signTokenExpiresAt: timestamp({ withTimezone: true }),
    signerName: text(),
    signerIp: text(),
    signedAt: timestamp({ withTimezone: true }),
    pdf: bytea(),
    pdfSha256: text(),
    ...timestamps,
  },
  (t) => [index("contracts_business_idx").on(t.businessId, t.status), uniqueIndex("contracts_sign_token_uq").on(t.signTokenHash)],
);

/** Line of an invoice; amounts in agorot (integer). */
export interface TInvoiceLine {
  description: string;
  quantity: number;
  unitPriceAgorot: number;
}

export const invoices = pgTable(
  "invoices",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    type: invoiceType().notNull(),
    /** Sequential per business and document type, without gaps. */
    number: integer().notNull(),
    status: invoiceStatus().notNull().default("issued"),
    issueDate: date().notNull(),
    customerName: text().notNull(),
    /** Snapshot of the customer on the document: ת.ז. (private, "id") or ח.פ./ע.מ. (business, "company"). */
    customerTaxId: text(),
    customerIdKind: text().$type<"id" | "company">(),
    customerAddress: text(),
    customerPhone: text(),
    lines: jsonb().$type<TInvoiceLine[]>().notNull(),
    subtotalAgorot: bigint({ mode: "number" }).notNull(),
    /** VAT in basis points, e.g. 1800 = 18%. */
    vatRateBp: integer().notNull(),
    vatAgorot: bigint({ mode: "number" }).notNull(),
    totalAgorot: bigint({ mode: "number" }).notNull(),
    allocationNumber: text(),
    creditForInvoiceId: uuid(),
    /** A receipt: the invoice it acknowledges payment of. */
    forInvoiceId: uuid(),
    /** A receipt issued automatically for a paid payment link (at most one per link). */
    paymentLinkId: uuid(),
    /** Printed under the lines: a credit note's reason, a receipt's payment details. */
    note: text(),
    pdf: bytea(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("invoices_number_uq").on(t.businessId, t.type, t.number),
    index("invoices_customer_idx").on(t.businessId, t.customerId),
    uniqueIndex("invoices_payment_link_uq").on(t.paymentLinkId).where(sql`${t.paymentLinkId} is not null`),
  ],
);

export const paymentLinks = pgTable(
  "payment_links",
  {
    id: uuid().primaryKey().defaultRandom(),
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    invoiceId: uuid().references(() => invoices.id, { onDelete: "set null" }),
    provider: paymentProvider().notNull(),
    providerRef: text(),
    url: text(),
    amountAgorot: bigint({ mode: "number" }).notNull(),
    currency: text().notNull().default("ILS"),
    description: text(),
    status: paymentStatus().notNull().default("created"),
    paidAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    raw: jsonb(),
    ...timestamps,
  },
  (t) => [index("payment_links_business_idx").on(t.businessId, t.status), uniqueIndex("payment_links_provider_ref_uq").on(t.provider, t.providerRef)],
);

/** Provider credentials per business, encrypted (AES-GCM) with a key derived from SESSION_SECRET. */
export const paymentCredentials = pgTable(
  "payment_credentials",
  {
    businessId: uuid()
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    provider: paymentProvider().notNull(),
    encrypted: text().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("payment_credentials_uq").on(t.businessId, t.provider)],
);
