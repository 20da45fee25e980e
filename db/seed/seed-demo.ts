/**
 * First-start seed: the demo agency "שי דירות ומשרדים בע״מ", its admin and ~30
 * listings. Runs only on an empty database; the admin password is returned
 * once (for the console) and only its hash is stored.
 */
import { sql } from "drizzle-orm";
import type { TDb } from "../client";
import { businesses, properties, users, PERMISSIONS } from "../schema";
import { generatePassword, hashPassword, type TPasswordCost } from "../../core/kernel/password";
import { DEMO_PROPERTIES } from "./demo-properties";

export const DEMO_BUSINESS = {
  name: "שי דירות ומשרדים בע״מ",
  slug: "shai-apartments",
  phoneNumber: "+97235550100",
  agentPhone: "+972501234567",
  whatsappNumber: "+97235550100",
} as const;

export const DEMO_ADMIN_EMAIL = "admin@shai-dirot.co.il";

export interface TSeedResult {
  seeded: boolean;
  businessId?: string;
  adminEmail?: string;
  /** Plain password, present only on the run that created it. */
  adminPassword?: string;
}

const DEFAULT_SETTINGS = {
  greetingText: "שלום, הגעתם לשי דירות ומשרדים. אני העוזרת הדיגיטלית. איך אפשר לעזור לכם היום?",
  systemPrompt:
    "את נציגה של סוכנות הנדל״ן שי דירות ומשרדים. עני בעברית, בקצרה ובנימוס. בררי אם הלקוח מחפש לקנות או לשכור, דירה או משרד, באיזו עיר, כמה חדרים ומה התקציב. הציעי נכסים מתאימים וקבעי פגישת צפייה.",
  // No voiceEngine: the business follows the server's VOICE_ENGINE until someone picks one in the dashboard.
  callMode: "stream" as const,
  voice: "he-IL-Wavenet-A",
  businessHours: {
    "0": { open: "09:00", close: "19:00" },
    "1": { open: "09:00", close: "19:00" },
    "2": { open: "09:00", close: "19:00" },
    "3": { open: "09:00", close: "19:00" },
    "4": { open: "09:00", close: "19:00" },
    "5": { open: "09:00", close: "13:00" },
    "6": null,
  },
  whatsappProvider: "baileys" as const,
};

/**
 * The demo business, its admin, listings and sample data, once (a database
 * that holds a business is left alone). `passwordCost` is for test fixtures.
 */
export async function seedDemo(db: TDb, opts: { adminPassword?: string; passwordCost?: TPasswordCost } = {}): Promise<TSeedResult> {
  return db.transaction(async (tx) => {
    // Serialise concurrent first starts (two processes on one PostgreSQL).
    await tx.execute(sql`select pg_advisory_xact_lock(4242001)`);
    const [existing] = await tx.select({ id: businesses.id }).from(businesses).limit(1);
    if (existing) return { seeded: false };

    const [business] = await tx
      .insert(businesses)
      .values({ ...DEMO_BUSINESS, settings: DEFAULT_SETTINGS })
      .returning({ id: businesses.id });
    if (!business) throw new Error("seed: business insert returned nothing");

    const adminPassword = opts.adminPassword ?? generatePassword();
    await tx.insert(users).values({
      businessId: business.id,
      email: DEMO_ADMIN_EMAIL,
      passwordHash: await hashPassword(adminPassword, opts.passwordCost),
      fullName: "שי כהן",
      role: "admin",
      permissions: [...PERMISSIONS],
    });

    await tx.insert(properties).values(
      DEMO_PROPERTIES.map((p) => ({
        businessId: business.id,
        title: p.title,
        description: p.description,
        dealType: p.dealType,
        propertyType: p.propertyType,
        city: p.city,
        neighborhood: p.neighborhood,
        street: p.street,
        rooms: p.rooms,
        sizeSqm: p.sizeSqm,
        floor: p.floor,
        totalFloors: p.totalFloors,
        price: p.price,
        features: p.features,
      })),
    );
    return { seeded: true, businessId: business.id, adminEmail: DEMO_ADMIN_EMAIL, adminPassword };
  });
}
