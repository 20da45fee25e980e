/** Fixtures for the billing suites: a second tenant and scopes. */
import { businesses, customers, properties } from "../../db/schema";
import type { TDb } from "../../db/client";
import type { TScope } from "../../api/services/scope";

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
