/**
 * Listing photos: upload (type sniffed from the bytes, resized with sharp to a
 * bounded WebP and a thumbnail), list, reorder (position 0 is the cover),
 * delete, and read back. Every query carries the business id, so another
 * business can neither see nor touch a photo even with its id.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type sharpType from "sharp";

// sharp (~30 MB resident) loads at the first photo, not at start (#18 lean idle).
let sharpModule: Promise<typeof sharpType> | undefined;
const loadSharp = () => (sharpModule ??= import("sharp").then((m) => m.default));
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { propertyPhotos } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit, type TDbOrTx } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { findProperty } from "./property-dto";
import type { TPhotoStore } from "./photo-store";

/** The largest upload accepted (an original from a phone camera fits easily). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTOS_PER_PROPERTY = 30;
/** Long side of the stored photo and of the thumbnail, in pixels. */
export const PHOTO_LONG_SIDE = 1600;
export const THUMB_SIZE = { width: 480, height: 360 } as const;

export const ZPropertyPhoto = z.object({
  id: z.string(),
  propertyId: z.string(),
  position: z.number(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
  url: z.string(),
  thumbUrl: z.string(),
  createdAt: z.string(),
});
export type TPropertyPhotoDto = z.infer<typeof ZPropertyPhoto>;
type TPhotoRow = typeof propertyPhotos.$inferSelect;

/** The image kind by its first bytes (never by file name or declared type); null when not JPEG, PNG or WebP. */
export function sniffImage(b: Uint8Array): "jpeg" | "png" | "webp" | null {
  const at = (i: number, ...xs: number[]) => xs.every((x, k) => b[i + k] === x);
  if (b.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return "jpeg";
  if (b.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (b.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return "webp";
  return null;
}

const fullKey = (prefix: string) => `${prefix}.webp`;
const thumbKey = (prefix: string) => `${prefix}.thumb.webp`;

export function toPhotoDto(r: TPhotoRow): TPropertyPhotoDto {
  return {
    id: r.id,
    propertyId: r.propertyId,
    position: r.position,
    width: r.width,
    height: r.height,
    bytes: r.bytes,
    url: `/photos/${r.id}`,
    thumbUrl: `/photos/${r.id}?size=thumb`,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Resize to the stored photo and its thumbnail (EXIF orientation applied, metadata dropped). */
async function renderPhoto(bytes: Uint8Array): Promise<{ full: Buffer; thumb: Buffer; width: number; height: number }> {
  const sharp = await loadSharp();
  try {
    // limitInputPixels: a tiny file that claims 100k × 100k pixels is refused before it is decoded.
    const src = () => sharp(bytes, { limitInputPixels: 60_000_000, failOn: "error" }).rotate();
    const full = await src().resize({ width: PHOTO_LONG_SIDE, height: PHOTO_LONG_SIDE, fit: "inside", withoutEnlargement: true }).webp({ quality: 82 }).toBuffer({ resolveWithObject: true });
    const thumb = await src().resize({ ...THUMB_SIZE, fit: "cover", position: "attention" }).webp({ quality: 72 }).toBuffer();
    return { full: full.data, thumb, width: full.info.width, height: full.info.height };
  } catch (err) {
    throw new AppError("BAD_REQUEST", `image could not be decoded: ${(err as Error).message}`, { userMessage: "לא ניתן לקרוא את התמונה" });
  }
}

/**
 * Add a photo to a listing of this business; it goes last (the first photo of
 * a listing becomes its cover). Throws BAD_REQUEST (Hebrew) for a file that is
 * not an image or is too large, NOT_FOUND for another business's listing.
 */
export async function uploadPropertyPhoto(
  db: TDb,
  store: TPhotoStore,
  scope: TScope,
  propertyId: string,
  file: { bytes: Uint8Array; name?: string | null },
): Promise<TPropertyPhotoDto> {
  if (file.bytes.length === 0) throw new AppError("BAD_REQUEST", "empty upload", { userMessage: "הקובץ ריק" });
  if (file.bytes.length > MAX_PHOTO_BYTES) throw new AppError("BAD_REQUEST", "photo too large", { userMessage: "התמונה גדולה מ-10MB" });
  if (!sniffImage(file.bytes)) throw new AppError("BAD_REQUEST", "not an image", { userMessage: "הקובץ אינו תמונה (JPEG, PNG או WebP)" });
  await findProperty(db, scope.businessId, propertyId);
  const img = await renderPhoto(file.bytes);
  const id = crypto.randomUUID();
  const prefix = `${scope.businessId}/${propertyId}/${id}`;
  await store.put(fullKey(prefix), img.full);
  await store.put(thumbKey(prefix), img.thumb);
  try {
    const row = await db.transaction(async (tx) => {
      await findProperty(tx, scope.businessId, propertyId);
      // Serialise uploads to one listing so positions stay dense.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`photos:${propertyId}`}))`);
      const [{ n } = { n: 0 }] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(propertyPhotos)
        .where(and(eq(propertyPhotos.businessId, scope.businessId), eq(propertyPhotos.propertyId, propertyId)));
      if (n >= MAX_PHOTOS_PER_PROPERTY) throw new AppError("BAD_REQUEST", "too many photos", { userMessage: `אפשר לשמור עד ${MAX_PHOTOS_PER_PROPERTY} תמונות לנכס` });
      const [created] = await tx
        .insert(propertyPhotos)
        .values({
          id,
          businessId: scope.businessId,
          propertyId,
          position: n,
          storageKey: prefix,
          contentType: "image/webp",
          width: img.width,
          height: img.height,
          bytes: img.full.length,
          originalName: file.name?.slice(0, 200) ?? null,
        })
        .returning();
      if (!created) throw new AppError("INTERNAL", "photo insert returned nothing");
      await writeAudit(tx, scope, { action: "properties.photo.add", entityType: "property", entityId: propertyId, after: { photoId: id, position: n } });
      return created;
    });
    return toPhotoDto(row);
  } catch (err) {
    await Promise.all([store.delete(fullKey(prefix)), store.delete(thumbKey(prefix))]);
    throw err;
  }
}

/** Photos of a listing, cover first. */
export async function listPropertyPhotos(db: TDb, scope: TScope, propertyId: string): Promise<TPropertyPhotoDto[]> {
  await findProperty(db, scope.businessId, propertyId);
  const rows = await db
    .select()
    .from(propertyPhotos)
    .where(and(eq(propertyPhotos.businessId, scope.businessId), eq(propertyPhotos.propertyId, propertyId)))
    .orderBy(asc(propertyPhotos.position), asc(propertyPhotos.createdAt));
  return rows.map(toPhotoDto);
}

async function findPhoto(db: TDbOrTx | TDb, businessId: string, id: string): Promise<TPhotoRow> {
  const [row] = await db
    .select()
    .from(propertyPhotos)
    .where(and(eq(propertyPhotos.id, id), eq(propertyPhotos.businessId, businessId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "photo not found", { userMessage: "התמונה לא נמצאה" });
  return row;
}

/** Put the listing's photos in this order (exactly its photo ids); the first becomes the cover. */
export async function reorderPropertyPhotos(db: TDb, scope: TScope, propertyId: string, ids: string[]): Promise<TPropertyPhotoDto[]> {
  await db.transaction(async (tx) => {
    await findProperty(tx, scope.businessId, propertyId);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`photos:${propertyId}`}))`);
    const rows = await tx
      .select({ id: propertyPhotos.id, position: propertyPhotos.position })
      .from(propertyPhotos)
      .where(and(eq(propertyPhotos.businessId, scope.businessId), eq(propertyPhotos.propertyId, propertyId)));
    const have = new Set(rows.map((r) => r.id));
    if (ids.length !== have.size || new Set(ids).size !== ids.length || !ids.every((id) => have.has(id))) {
      throw new AppError("BAD_REQUEST", "reorder ids differ from the listing's photos", { userMessage: "רשימת התמונות השתנתה, יש לרענן את הדף" });
    }
    for (const [position, id] of ids.entries()) {
      await tx.update(propertyPhotos).set({ position }).where(and(eq(propertyPhotos.id, id), eq(propertyPhotos.businessId, scope.businessId)));
    }
    await writeAudit(tx, scope, {
      action: "properties.photo.reorder",
      entityType: "property",
      entityId: propertyId,
      before: { order: [...rows].sort((a, b) => a.position - b.position).map((r) => r.id) },
      after: { order: ids },
    });
  });
  return listPropertyPhotos(db, scope, propertyId);
}

/** Remove a photo (row, then its files); the rest close ranks, so the next one becomes the cover. */
export async function deletePropertyPhoto(db: TDb, store: TPhotoStore, scope: TScope, photoId: string): Promise<TPropertyPhotoDto[]> {
  const photo = await db.transaction(async (tx) => {
    const row = await findPhoto(tx, scope.businessId, photoId);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`photos:${row.propertyId}`}))`);
    await tx.delete(propertyPhotos).where(and(eq(propertyPhotos.id, photoId), eq(propertyPhotos.businessId, scope.businessId)));
    await tx
      .update(propertyPhotos)
      .set({ position: sql`${propertyPhotos.position} - 1` })
      .where(and(eq(propertyPhotos.businessId, scope.businessId), eq(propertyPhotos.propertyId, row.propertyId), sql`${propertyPhotos.position} > ${row.position}`));
    await writeAudit(tx, scope, { action: "properties.photo.delete", entityType: "property", entityId: row.propertyId, before: { photoId, position: row.position } });
    return row;
  });
  await Promise.all([store.delete(fullKey(photo.storageKey)), store.delete(thumbKey(photo.storageKey))]);
  return listPropertyPhotos(db, scope, photo.propertyId);
}

/** The stored bytes of a photo of this business (full size or thumbnail); NOT_FOUND otherwise. */
export async function readPropertyPhoto(
  db: TDb,
  store: TPhotoStore,
  scope: Pick<TScope, "businessId">,
  photoId: string,
  size: "full" | "thumb",
): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string; etag: string }> {
  const row = await findPhoto(db, scope.businessId, photoId);
  const bytes = await store.get(size === "thumb" ? thumbKey(row.storageKey) : fullKey(row.storageKey));
  if (!bytes) throw new AppError("NOT_FOUND", "photo file missing", { userMessage: "התמונה לא נמצאה" });
  return { bytes, contentType: row.contentType, etag: `"${row.id}-${size}"` };
}
