import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { businesses, contracts, customers, properties } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import { formatIsoDate, formatMoney, formatPhone } from "../../../core/kernel/format";
import { israelToday } from "../invoices/invoice-rules";
import type { TScope } from "../../../core/domain/scope";
import { CONTRACT_TEMPLATES, FEE_VAT_WORDS, fillTemplate, type TFeeVat, missingFields, signerKeys, ZTemplateIds } from "./contract-templates";
import { parseInput } from "../../lib/parse-input";

export const ZCreateContract = z.object({
  template: z.enum(ZTemplateIds),
  customerId: z.uuid().optional(),
  propertyId: z.uuid().optional(),
  /** Values typed by staff; they override what was filled from the CRM. `feeVat`: "plus" | "included". */
  fields: z.record(z.string().regex(/^\w+$/), z.string().max(1000)).default({}),
});
export type TCreateContract = z.input<typeof ZCreateContract>;
export type TContractRow = typeof contracts.$inferSelect;

const DEAL_WORD = { sale: "רכישה", rent: "שכירות" } as const;


/**
 * Create a draft contract from a template, filled from the business, the
 * customer and the property; staff-typed fields override. Every required
 * field except those the signer gives (ID number, address) must be present.
 */
export async function createContract(db: TDb, scope: TScope, input: TCreateContract): Promise<TContractRow> {
  const data = parseInput(ZCreateContract, input);
  const template = CONTRACT_TEMPLATES[data.template];
  const [business] = await db.select().from(businesses).where(eq(businesses.id, scope.businessId));
  if (!business) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
  const values: Record<string, string> = { brokerName: business.name, date: formatIsoDate(israelToday()) };

  if (data.customerId) {
    const [c] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.id, data.customerId), eq(customers.businessId, scope.businessId)));
    if (!c) throw new AppError("NOT_FOUND", "customer not found", { userMessage: "הלקוח לא נמצא" });
    if (c.fullName) values.clientName = c.fullName;
    if (c.phone) values.clientPhone = formatPhone(c.phone);
  }
  if (data.propertyId) {
    const [p] = await db
      .select()
      .from(properties)
      .where(and(eq(properties.id, data.propertyId), eq(properties.businessId, scope.businessId)));
    if (!p) throw new AppError("NOT_FOUND", "property not found", { userMessage: "הנכס לא נמצא" });
    values.dealType = DEAL_WORD[p.dealType];
    values.propertyAddress = [p.street, p.neighborhood, p.city].filter(Boolean).join(", ");
    values.propertyDescription = [p.title, p.rooms ? `${p.rooms} חדרים` : null, p.sizeSqm ? `${p.sizeSqm} מ״ר` : null].filter(Boolean).join(", ");
    values.price = p.dealType === "rent" ? `${formatMoney(p.price)} לחודש` : formatMoney(p.price);
  }
  for (const [k, v] of Object.entries(data.fields)) if (v.trim()) values[k] = v.trim();
  if (values.feeVat !== undefined) {
    const words = FEE_VAT_WORDS[values.feeVat as TFeeVat];
    if (!words) throw new AppError("BAD_REQUEST", "feeVat must be plus|included", { userMessage: "יש לבחור אם דמי התיווך כוללים מע״מ" });
    values.feeVat = words;
  }

  const missing = missingFields(template, values, ["business", "customer", "property", "input"]);
  if (missing.length > 0) {
    throw new AppError("BAD_REQUEST", `missing fields: ${missing.map((m) => m.key).join(",")}`, {
      userMessage: `חסרים פרטים בחוזה: ${missing.map((m) => m.label).join(", ")}`,
    });
  }

  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(contracts)
      .values({
        businessId: scope.businessId,
        customerId: data.customerId ?? null,
        propertyId: data.propertyId ?? null,
        template: template.id,
        title: template.title,
        body: fillTemplate(template, values, signerKeys(template)),
        fields: values,
        status: "draft",
      })
      .returning();
    if (!row) throw new AppError("INTERNAL", "contract insert returned nothing");
    await writeAudit(tx, scope, { action: "contracts.create", entityType: "contract", entityId: row.id, after: { template: row.template, status: row.status } });
    return row;
  });
}
