/**
 * What a lead is looking for: the one requirements schema, shared by the
 * dashboard forms, CSV import, the AI's create_or_update_lead tool and
 * matching. Stored as `customers.requirements` (jsonb) and mirrored by the
 * database into typed, indexed `req_*` columns (migrations 0007, 0008) that
 * search and listing → leads matching query instead of scanning JSON.
 * Prices in whole shekels (₪).
 */
import { z } from "zod";

const ZPlace = z.string().trim().min(1).max(80);

export const ZRequirements = z
  .object({
    dealType: z.enum(["sale", "rent"]).optional().describe("sale = buying, rent = renting"),
    propertyType: z.enum(["apartment", "office"]).optional(),
    cities: z.array(ZPlace).max(20).optional().describe("Cities in Hebrew, e.g. רמת גן"),
    neighborhoods: z.array(ZPlace).max(30).optional(),
    roomsMin: z.number().min(0).max(50).optional(),
    roomsMax: z.number().min(0).max(50).optional(),
    budgetMin: z.number().int().min(0).optional().describe("Whole shekels"),
    budgetMax: z.number().int().min(0).optional().describe("Whole shekels; monthly rent for rentals"),
    sizeMin: z.number().int().min(0).optional(),
    sizeSqm: z.number().int().min(0).optional().describe("Size asked for, about (square metres)"),
    moveInBy: z.string().max(40).optional(),
    listing: z
      .object({
        dealType: z.enum(["sale", "rent"]).describe("sale = the owner sells; rent = the owner rents it out"),
        propertyType: z.enum(["apartment", "office", "penthouse", "garden_apartment", "duplex", "studio", "store"]).optional(),
        city: ZPlace.optional(),
        neighborhood: ZPlace.optional(),
        street: z.string().trim().min(1).max(120).optional(),
        rooms: z.number().min(0).max(50).optional(),
        sizeSqm: z.number().int().min(0).optional(),
        askingPrice: z.number().int().min(0).optional().describe("Whole shekels; monthly for rent"),
      })
      .strict()
      .optional()
      .describe("Only for an owner who sells or rents out a property: the property offered to the agency"),
  })
  .strict();

export type TRequirements = z.infer<typeof ZRequirements>;
