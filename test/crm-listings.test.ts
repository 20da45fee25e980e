/**
 * Listings (#17 item 5): photos uploaded over HTTP (type sniffed from the
 * bytes, resized with sharp, stored under DATA_DIR/photos, served privately),
 * ordered with a cover, deletable, and invisible to every other business;
 * owner contact with an E.164 phone; sold/rented listings never offered by the
 * AI; the pre-booking check warns on a closed day and names a clash.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { properties } from "../db/schema";
import { searchProperties } from "../core/conversation/brain/tools/search-properties";
import { sniffImage } from "../api/services/properties/property-photos";
import { createTestApp, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { adminClient, createTenant, TEST_ORIGIN, trpcError, type TTestClient } from "./helpers/trpc";

const jpeg = (width: number, height: number, color = "#3a7bd5") =>
  sharp({ create: { width, height, channels: 3, background: color } }).jpeg({ quality: 70 }).toBuffer();

for (const kind of DB_KINDS) {
  describe(`listings: photos, owner, status, booking check [${kind}]`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    let cookie = "";
    let propertyId = "";
    let dataDir = "";

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "kesher-photos-"));
      t = await createTestApp(kind, { DATA_DIR: dataDir });
      admin = await adminClient(t);
      cookie = admin.jar.cookie!;
      const [p] = await t.db.db.select({ id: properties.id }).from(properties).where(and(eq(properties.businessId, t.businessId), eq(properties.status, "available"))).limit(1);
      propertyId = p!.id;
    }, 120_000);
    afterAll(() => t.close());

    const upload = (pid: string, body: Uint8Array | Buffer, opts: { cookie?: string; name?: string; type?: string; origin?: string } = {}) => {
      const form = new FormData();
      form.append("file", new File([new Uint8Array(body)], opts.name ?? "photo.jpg", { type: opts.type ?? "image/jpeg" }));
      const headers: Record<string, string> = {};
      if (opts.cookie ?? cookie) headers.cookie = opts.cookie ?? cookie;
      if (opts.origin) headers.origin = opts.origin;
      return t.app.request(`${TEST_ORIGIN}/photos/properties/${pid}`, { method: "POST", headers, body: form });
    };
    const get = (url: string, c = cookie) => t.app.request(`${TEST_ORIGIN}${url}`, { headers: c ? { cookie: c } : {} });
    const errorOf = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

    test("an upload is resized to 1600 px WebP with a 480×360 thumbnail, stored under DATA_DIR and served privately", async () => {
      const res = await upload(propertyId, await jpeg(3200, 2400));
      expect(res.status).toBe(201);
      const photo = (await res.json()) as { id: string; position: number; width: number; height: number; url: string; thumbUrl: string };
      expect(photo).toMatchObject({ position: 0, width: 1600, height: 1200 });

      const full = await get(photo.url);
      expect(full.status).toBe(200);
      expect(full.headers.get("content-type")).toBe("image/webp");
      expect(full.headers.get("cache-control")).toContain("private");
      const fullMeta = await sharp(new Uint8Array(await full.arrayBuffer())).metadata();
      expect(fullMeta).toMatchObject({ format: "webp", width: 1600, height: 1200 });
      const thumbMeta = await sharp(new Uint8Array(await (await get(photo.thumbUrl)).arrayBuffer())).metadata();
      expect(thumbMeta).toMatchObject({ format: "webp", width: 480, height: 360 });
      const revalidated = await t.app.request(`${TEST_ORIGIN}${photo.url}`, { headers: { cookie, "if-none-match": full.headers.get("etag")! } });
      expect(revalidated.status).toBe(304);

      expect(readdirSync(join(dataDir, "photos", t.businessId, propertyId)).sort()).toEqual([`${photo.id}.thumb.webp`, `${photo.id}.webp`]);
      expect((await admin.api.properties.photos.query({ propertyId })).map((p) => p.id)).toEqual([photo.id]);
    });

    test("the type comes from the bytes: a text file called .jpg is refused in Hebrew, a PNG is taken; oversized is refused", async () => {
      const fake = await upload(propertyId, new TextEncoder().encode("<svg onload=alert(1)>not an image</svg>"), { name: "evil.jpg" });
      expect(fake.status).toBe(400);
      expect(await errorOf(fake)).toBe("הקובץ אינו תמונה (JPEG, PNG או WebP)");
      expect(sniffImage(await sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } }).png().toBuffer())).toBe("png");
      expect(sniffImage(await sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } }).webp().toBuffer())).toBe("webp");
      const huge = new Uint8Array(10 * 1024 * 1024 + 10);
      huge.set([0xff, 0xd8, 0xff]);
      const big = await upload(propertyId, huge);
      expect([400, 413]).toContain(big.status);
    });

    test("order: the first photo is the cover; reordering and deleting move the cover; the deleted files are gone", async () => {
      const second = (await (await upload(propertyId, await jpeg(800, 600, "#d53a3a"))).json()) as { id: string; position: number };
      expect(second.position).toBe(1);
      const [first] = await admin.api.properties.photos.query({ propertyId });
      const reordered = await admin.api.properties.reorderPhotos.mutate({ propertyId, photoIds: [second.id, first!.id] });
      expect(reordered.map((p) => [p.id, p.position])).toEqual([
        [second.id, 0],
        [first!.id, 1],
      ]);
      const stale = await trpcError(admin.api.properties.reorderPhotos.mutate({ propertyId, photoIds: [second.id] }));
      expect(stale.data?.code).toBe("BAD_REQUEST");

      const left = await admin.api.properties.deletePhoto.mutate({ photoId: second.id });
      expect(left.map((p) => [p.id, p.position])).toEqual([[first!.id, 0]]);
      expect(existsSync(join(dataDir, "photos", t.businessId, propertyId, `${second.id}.webp`))).toBe(false);
      expect((await get(`/photos/${second.id}`)).status).toBe(404);
    });

    test("tenant isolation: another business can neither read, list, upload to, reorder nor delete them; no session → 401; cross-site → 403", async () => {
      const [photo] = await admin.api.properties.photos.query({ propertyId });
      const other = await createTenant(t, { permissions: ["properties", "appointments"] });
      const foreign = other.jar.cookie!;
      expect((await get(photo!.url, foreign)).status).toBe(404);
      expect((await get(photo!.thumbUrl, foreign)).status).toBe(404);
      expect((await upload(propertyId, await jpeg(100, 100), { cookie: foreign })).status).toBe(404);
      expect((await trpcError(other.api.properties.photos.query({ propertyId }))).data?.code).toBe("NOT_FOUND");
      expect((await trpcError(other.api.properties.deletePhoto.mutate({ photoId: photo!.id }))).data?.code).toBe("NOT_FOUND");
      expect((await trpcError(other.api.properties.reorderPhotos.mutate({ propertyId, photoIds: [photo!.id] }))).data?.code).toBe("NOT_FOUND");
      const slot = { startsAt: "2030-01-06T10:00:00+02:00", endsAt: "2030-01-06T10:45:00+02:00", propertyId };
      expect((await trpcError(other.api.appointments.checkSlot.query(slot))).data?.code).toBe("NOT_FOUND");
      // Its own listing is unaffected by ours, and ours still has its photo.
      expect((await admin.api.properties.photos.query({ propertyId })).map((p) => p.id)).toEqual([photo!.id]);

      expect((await get(photo!.url, "")).status).toBe(401);
      expect((await upload(propertyId, await jpeg(100, 100), { cookie: "kesher_session=nope" })).status).toBe(401);
      expect((await upload(propertyId, await jpeg(100, 100), { origin: "https://evil.example" })).status).toBe(403);
      const noPerm = await createTenant(t, { permissions: ["customers"], businessId: t.businessId });
      expect((await get(photo!.url, noPerm.jar.cookie!)).status).toBe(403);
    });

    test("owner contact: the phone is stored as E.164, a bad one is refused in Hebrew", async () => {
      const saved = await admin.api.properties.update.mutate({ id: propertyId, ownerName: "רחל בעלת הדירה", ownerPhone: "054-123-4567", ownerNotes: "מעדיפה וואטסאפ" });
      expect(saved).toMatchObject({ ownerName: "רחל בעלת הדירה", ownerPhone: "+972541234567", ownerNotes: "מעדיפה וואטסאפ" });
      const bad = await trpcError(admin.api.properties.update.mutate({ id: propertyId, ownerPhone: "12" }));
      expect(bad.message).toBe('מספר הטלפון "12" אינו תקין');
      expect((await admin.api.properties.get.query({ id: propertyId })).ownerPhone).toBe("+972541234567");
    });

    test("sold and rented listings are never offered by the AI's search_properties; under offer stays on the page", async () => {
      const [p] = await t.db.db.select().from(properties).where(eq(properties.id, propertyId));
      const deps = { db: t.db.db, events: t.deps.events, log: t.deps.log } as unknown as Parameters<typeof searchProperties>[0];
      const search = () => searchProperties(deps, { businessId: t.businessId, channel: "call" }, { dealType: p!.dealType, city: p!.city, street: p!.street ?? undefined, limit: 10 });
      expect((await search()).items.map((i) => i.id)).toContain(propertyId);
      for (const status of ["sold", "rented"] as const) {
        await admin.api.properties.update.mutate({ id: propertyId, status });
        expect((await search()).items.map((i) => i.id)).not.toContain(propertyId);
      }
      expect((await admin.api.properties.update.mutate({ id: propertyId, status: "under_offer" })).status).toBe("under_offer");
      await admin.api.properties.update.mutate({ id: propertyId, status: "available" });
    });

    test("before booking: Saturday and outside-hours warn in Hebrew (seed: Sat closed, Fri 09–13), a clash is named, a free weekday is quiet", async () => {
      const slot = (iso: string, minutes = 45) => ({ startsAt: new Date(iso).toISOString(), endsAt: new Date(Date.parse(iso) + minutes * 60_000).toISOString(), propertyId });
      const sat = await admin.api.appointments.checkSlot.query(slot("2030-01-12T11:00:00+02:00"));
      expect(sat.hoursWarning).toBe("העסק סגור ביום שבת (לפי שעות הפעילות בהגדרות). לקבוע בכל זאת?");
      const friLate = await admin.api.appointments.checkSlot.query(slot("2030-01-11T12:45:00+02:00"));
      expect(friLate.hoursWarning).toBe("המועד מחוץ לשעות הפעילות של יום שישי (09:00–13:00). לקבוע בכל זאת?");
      const sunday = slot("2030-01-06T10:00:00+02:00");
      expect(await admin.api.appointments.checkSlot.query(sunday)).toEqual({ hoursWarning: null, clash: null });

      await admin.api.appointments.create.mutate({ ...sunday, status: "confirmed" });
      const clash = await admin.api.appointments.checkSlot.query(slot("2030-01-06T10:30:00+02:00"));
      expect(clash.clash).toBe("כבר קיימת פגישה לנכס זה ב-06/01/2030 בין 10:00 ל-10:45");
      const refused = await trpcError(admin.api.appointments.create.mutate(slot("2030-01-06T10:30:00+02:00")));
      expect(refused.data?.code).toBe("CONFLICT");
      // The refusal says what the look before booking said, in the same words.
      expect(refused.message).toBe(clash.clash!);
    });
  });
}
