/** Customer shape on the wire (zod, shared by services and routers). */
import { z } from "zod";
import { customers, ZRequirements } from "../../../db/schema";

export const CUSTOMER_STATUSES = ["new", "contacted", "qualified", "viewing", "negotiation", "won", "lost"] as const;
export const CUSTOMER_SOURCES = ["call", "whatsapp", "sms", "manual", "import"] as const;
export const ZCustomerStatus = z.enum(CUSTOMER_STATUSES);
export const ZCustomerSource = z.enum(CUSTOMER_SOURCES);

/** Hebrew labels (CSV headers and exports use them). */
export const STATUS_LABELS: Record<(typeof CUSTOMER_STATUSES)[number], string> = {
  new: "חדש",
  contacted: "נוצר קשר",
  qualified: "מתאים",
  viewing: "בצפייה",
  negotiation: "במו״מ",
  won: "נסגר",
  lost: "אבד",
};
export const SOURCE_LABELS: Record<(typeof CUSTOMER_SOURCES)[number], string> = {
  call: "שיחה",
  whatsapp: "וואטסאפ",
  sms: "SMS",
  manual: "ידני",
  import: "ייבוא",
};

/** The one requirements schema lives with the table (db/schema/requirements.ts); re-exported for the routers. */
export { ZRequirements };

export const ZCustomer = z.object({
  id: z.string(),
  businessId: z.string(),
  fullName: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  status: ZCustomerStatus,
  source: ZCustomerSource,
  tags: z.array(z.string()),
  requirements: ZRequirements,
  notes: z.string().nullable(),
  assignedUserId: z.string().nullable(),
  leadScore: z.number().nullable(),
  sentiment: z.string().nullable(),
  aiPaused: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TCustomerDto = z.infer<typeof ZCustomer>;
export type TCustomerRow = typeof customers.$inferSelect;

export function toCustomerDto(r: TCustomerRow): TCustomerDto {
  return {
    id: r.id,
    businessId: r.businessId,
    fullName: r.fullName,
    phone: r.phone,
    email: r.email,
    status: r.status,
    source: r.source,
    tags: r.tags,
    requirements: r.requirements ?? {},
    notes: r.notes,
    assignedUserId: r.assignedUserId,
    leadScore: r.leadScore,
    sentiment: r.sentiment,
    aiPaused: r.aiPaused,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
