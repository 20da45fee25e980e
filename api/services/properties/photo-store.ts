/**
 * Where listing photo bytes live. Rows in property_photos say which photos
 * exist and whose they are; the store only keeps bytes by key
 * ("<business>/<property>/<photo>.webp"). The local store writes under
 * DATA_DIR/photos; an S3-compatible store implements the same three calls
 * (see README "Listing photos").
 */
import { mkdir, readFile, rm, writeFile, rename } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";

export interface TPhotoStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when the key is not stored. */
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /** Removes the key; a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}\/[0-9a-f-]{36}(\.thumb)?\.(webp|jpg)$/;

/** Photo files under `root` (DATA_DIR/photos). Keys are checked, so no key can leave the root. */
export function createLocalPhotoStore(root: string): TPhotoStore {
  const base = resolve(root);
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new Error(`bad photo key ${key}`);
    const p = resolve(join(base, key));
    if (!p.startsWith(base + sep)) throw new Error(`photo key outside the store ${key}`);
    return p;
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Write then rename: a reader never sees half a file.
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
