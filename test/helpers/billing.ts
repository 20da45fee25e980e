/** Fixtures for the billing suites: a second tenant and scopes. */
import { businesses, customers, properties } from "../../db/schema";
import type { TDb } from "../../db/client";
import type { TScope } from "../../core/domain/scope";

export function scopeFor(businessId: string): TScope {
  return { businessId, userId: null, ip: "127.0.0.1" };
}

/** Another agency, to prove tenants never see each other's documents. */
export async function createOtherBusiness(db: TDb): Promise<string> {
  const [b] = await db
    .insert(businesses)
    .values({ name: "משרד אחר בע״מ", slug: `other-${crypto.randomUUID().slice(0, 8)}` })
    .returning({ id: businesses.id });
  return b!.id;
}

export async function createCustomerAndProperty(db: TDb, businessId: string) {
  const [customer] = await db
    .insert(customers)
    .values({ businessId, fullName: "דנה לוי", phone: "+972541234567", email: "dana@example.com", source: "call", status: "viewing" })
    .returning();
  const [property] = await db
    .insert(properties)
    .values({
      businessId,
      title: "דירת 4 חדרים ברחוב הרצל",
      dealType: "sale",
      propertyType: "apartment",
      city: "תל אביב",
      street: "הרצל 12",
      rooms: 4,
      price: 2_450_000,
    })
    .returning();
  return { customer: customer!, property: property! };
}

/** A drawn-looking signature: a PNG data URL with a stroke on a transparent canvas (rasterised by sharp). */
export async function signatureDataUrl(blank = false): Promise<string> {
  const { default: sharp } = await import("sharp");
  const path = blank ? "" : `<path d="M20 100 C 60 20, 90 160, 140 70 S 220 40, 260 110 S 330 60, 380 90" stroke="#111" stroke-width="4" fill="none"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160">${path}</svg>`;
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return `data:image/png;base64,${png.toString("base64")}`;
}

/** A valid Israeli ID number (check digit ok) and an invalid one. */
export const VALID_ID = "123456782";
export const INVALID_ID = "123456789";

/**
 * Tranzila holds the charge before it notifies the merchant, and the server
 * confirms a "paid" notify against Tranzila's transaction list: a test that
 * delivers the notify itself (into the in-process app) records the charge on
 * the double first, the way a real payment would.
 */
export function recordTranzilaCharge(double: object, prId: string, sum: string, response = "000"): void {
  const list = (double as { transactions?: unknown[] }).transactions;
  list?.push({ index: String(Date.now() % 1_000_000), pr_id: prId, processor_response_code: response, amount: sum, currency_code: "ILS" });
}
