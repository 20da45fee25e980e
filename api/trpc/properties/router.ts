import { z } from "zod";
import { bulkSetPropertyStatus } from "../../services/properties/bulk-set-property-status";
import { archiveProperty, createProperty, getProperty, listProperties, PROPERTY_SORTS, updateProperty } from "../../services/properties/manage-properties";
import { matchCustomers, matchProperties, ZCustomerMatch, ZPropertyMatch } from "../../services/properties/match-properties";
import { ZDealType, ZProperty, ZPropertyFields, ZPropertyStatus, ZPropertyType } from "../../services/properties/property-dto";
import { deletePropertyPhoto, listPropertyPhotos, reorderPropertyPhotos, ZPropertyPhoto } from "../../services/properties/property-photos";
import { photoStoreFor } from "../../http/property-photos";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { ZId } from "../schemas";

const p = permissionProcedure("properties");

export const propertiesRouter = router({
  list: p
    .input(
      ZBusinessOverride.extend({
        dealType: ZDealType.optional(),
        propertyType: ZPropertyType.optional(),
        city: z.string().trim().max(80).optional(),
        status: ZPropertyStatus.optional(),
        search: z.string().trim().max(200).optional(),
        priceMax: z.number().int().min(0).optional(),
        roomsMin: z.number().min(0).max(50).optional(),
        sort: z.enum(PROPERTY_SORTS).optional(),
      }).optional(),
    )
    .output(z.array(ZProperty))
    .query(({ ctx, input = {} }) => listProperties(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)),

  get: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(ZProperty)
    .query(({ ctx, input }) => getProperty(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id)),

  create: p
    .input(ZBusinessOverride.extend(ZPropertyFields.shape))
    .output(ZProperty)
    .mutation(({ ctx, input }) => {
      const { businessId, ...fields } = input;
      return createProperty(ctx.deps.dbh.db, scopeOf(ctx, businessId), fields);
    }),

  update: p
    .input(ZBusinessOverride.extend(ZPropertyFields.partial().shape).extend({ id: ZId }))
    .output(ZProperty)
    .mutation(({ ctx, input }) => {
      const { businessId, id, ...patch } = input;
      return updateProperty(ctx.deps.dbh.db, scopeOf(ctx, businessId), id, patch);
    }),

  archive: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(ZProperty)
    .mutation(({ ctx, input }) => archiveProperty(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id)),

  /** Bulk status from the listings table; rows of other businesses are skipped. */
  bulkSetStatus: p
    .input(ZBusinessOverride.extend({ ids: z.array(ZId).min(1).max(1000), status: ZPropertyStatus }))
    .output(z.object({ updated: z.number() }))
    .mutation(({ ctx, input }) => bulkSetPropertyStatus(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.ids, input.status)),

  /** Listings for a customer (customers permission is implied by seeing the customer id). */
  match: p
    .input(ZBusinessOverride.extend({ customerId: ZId }))
    .output(z.array(ZPropertyMatch))
    .query(({ ctx, input }) => matchProperties(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.customerId)),

  matchCustomers: p
    .input(ZBusinessOverride.extend({ propertyId: ZId }))
    .output(z.array(ZCustomerMatch))
    .query(({ ctx, input }) => matchCustomers(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.propertyId)),

  /** Photos of a listing, cover first (upload is POST /photos/properties/:id, api/http/property-photos.ts). */
  photos: p
    .input(ZBusinessOverride.extend({ propertyId: ZId }))
    .output(z.array(ZPropertyPhoto))
    .query(({ ctx, input }) => listPropertyPhotos(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.propertyId)),

  /** New order of all the listing's photos; the first is the cover. */
  reorderPhotos: p
    .input(ZBusinessOverride.extend({ propertyId: ZId, photoIds: z.array(ZId).max(100) }))
    .output(z.array(ZPropertyPhoto))
    .mutation(({ ctx, input }) => reorderPropertyPhotos(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.propertyId, input.photoIds)),

  deletePhoto: p
    .input(ZBusinessOverride.extend({ photoId: ZId }))
    .output(z.array(ZPropertyPhoto))
    .mutation(({ ctx, input }) => deletePropertyPhoto(ctx.deps.dbh.db, photoStoreFor(ctx.deps), scopeOf(ctx, input.businessId), input.photoId)),
});
