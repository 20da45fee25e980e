/**
 * Listing photos over plain HTTP (a file upload is multipart, not JSON):
 *
 *   POST /photos/properties/:propertyId   multipart field "file" → the new photo (JSON)
 *   GET  /photos/:photoId[?size=thumb]    the WebP, private cache
 *
 * Same session cookie and `properties` permission as the tRPC API, the same
 * cross-site refusal for the POST; admins may pass ?businessId=. List, order
 * and delete are tRPC (properties.photos / reorderPhotos / deletePhoto).
 */
import { Hono, type Context } from "hono";
import { join } from "node:path";
import { AppError } from "../../core/kernel/errors";
import type { TScope } from "../../core/domain/scope";
import { readSessionCookie } from "../services/auth/session-cookie";
import { validateSession } from "../services/auth/sessions";
import { createLocalPhotoStore, type TPhotoStore } from "../services/properties/photo-store";
import { MAX_PHOTO_BYTES, readPropertyPhoto, uploadPropertyPhoto } from "../services/properties/property-photos";
import { isSameOrigin } from "../trpc/context";
import type { TAppDeps, THonoEnv } from "../types";

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/** The photo store the app uses: DATA_DIR/photos. */
export function photoStoreFor(deps: Pick<TAppDeps, "config">): TPhotoStore {
  return createLocalPhotoStore(join(deps.config.dataDir, "photos"));
}

async function staffScope(deps: TAppDeps, c: Context<THonoEnv>): Promise<TScope> {
  const token = readSessionCookie(c.req.header("cookie"));
  const session = token ? await validateSession(deps.dbh.db, token, { secure: deps.config.nodeEnv === "production" }) : null;
  if (!session) throw new AppError("UNAUTHORIZED", "photo without session");
  const { user } = session;
  if (user.role !== "admin" && !user.permissions.includes("properties")) throw new AppError("FORBIDDEN", "photo without properties permission");
  const requested = c.req.query("businessId");
  const businessId = requested && user.role === "admin" ? requested : user.businessId;
  if (!businessId) throw new AppError("BAD_REQUEST", "admin without business", { userMessage: "יש לבחור עסק" });
  return { businessId, userId: user.id, ip: null };
}

export function propertyPhotoRoutes(deps: TAppDeps, store: TPhotoStore = photoStoreFor(deps)): Hono<THonoEnv> {
  const app = new Hono<THonoEnv>();

  app.post(`/photos/properties/:propertyId{${UUID}}`, async (c) => {
    if (!isSameOrigin(c.req.raw, deps.config.publicBaseUrl)) throw new AppError("FORBIDDEN", "cross-site photo upload");
    const scope = await staffScope(deps, c);
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new AppError("BAD_REQUEST", "upload is not multipart", { userMessage: "יש לבחור קובץ תמונה" });
    }
    const file = form.get("file");
    if (!(file instanceof File)) throw new AppError("BAD_REQUEST", "no file field", { userMessage: "יש לבחור קובץ תמונה" });
    if (file.size > MAX_PHOTO_BYTES) throw new AppError("BAD_REQUEST", "photo too large", { userMessage: "התמונה גדולה מ-10MB" });
    const photo = await uploadPropertyPhoto(deps.dbh.db, store, scope, c.req.param("propertyId"), {
      bytes: new Uint8Array(await file.arrayBuffer()),
      name: file.name,
    });
    return c.json(photo, 201);
  });

  app.get(`/photos/:photoId{${UUID}}`, async (c) => {
    const scope = await staffScope(deps, c);
    const size = c.req.query("size") === "thumb" ? "thumb" : "full";
    const photo = await readPropertyPhoto(deps.dbh.db, store, scope, c.req.param("photoId"), size);
    // A photo id's bytes never change (a new upload is a new id): cache for long, but only in this user's browser.
    const headers = { "content-type": photo.contentType, "cache-control": "private, max-age=31536000, immutable", etag: photo.etag, "x-content-type-options": "nosniff" };
    if (c.req.header("if-none-match") === photo.etag) return c.body(null, 304, headers);
    return c.body(photo.bytes, 200, headers);
  });

  return app;
}
