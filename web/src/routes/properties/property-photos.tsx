/**
 * A listing's photos: the cover (first photo) large, the rest as thumbnails;
 * upload (several at once, POST /photos/properties/:id), make a photo the
 * cover or move it, delete. Images come from /photos/:id with the session cookie.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ErrorBox, errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TPhoto = TRouterOutputs["properties"]["photos"][number];
const MAX_BYTES = 10 * 1024 * 1024;

async function uploadOne(propertyId: string, file: File): Promise<void> {
  const form = new FormData();
  form.append("file", file);
  const res = await fetch(`/photos/properties/${propertyId}`, { method: "POST", body: form, credentials: "same-origin" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? "ההעלאה נכשלה");
  }
}

export function PropertyPhotos(props: { propertyId: string }) {
  const [photos, { refetch, mutate }] = createResource(() => props.propertyId, (propertyId) => trpc.properties.photos.query({ propertyId }));
  const [uploading, setUploading] = createSignal(0);
  let input: HTMLInputElement | undefined;

  const upload = async (files: FileList | null) => {
    const list = [...(files ?? [])];
    if (!list.length) return;
    setUploading(list.length);
    let ok = 0;
    for (const f of list) {
      try {
        if (f.size > MAX_BYTES) throw new Error("התמונה גדולה מ-10MB");
        await uploadOne(props.propertyId, f);
        ok++;
      } catch (err) {
        toast({ kind: "error", title: `לא ניתן להעלות את ${f.name}`, body: errorMessage(err) });
      }
      setUploading((n) => n - 1);
    }
    if (input) input.value = "";
    if (ok) toast({ kind: "success", title: ok === 1 ? "התמונה הועלתה" : `הועלו ${ok} תמונות` });
    void refetch();
  };

  const reorder = async (ids: string[]) => {
    try {
      mutate(await trpc.properties.reorderPhotos.mutate({ propertyId: props.propertyId, photoIds: ids }));
    } catch (err) {
      toast({ kind: "error", title: "הסידור נכשל", body: errorMessage(err) });
      void refetch();
    }
  };
  const move = (list: TPhoto[], from: number, to: number) => {
    const ids = list.map((p) => p.id);
    const [id] = ids.splice(from, 1);
    ids.splice(to, 0, id!);
    return reorder(ids);
  };
  const remove = async (p: TPhoto) => {
    if (!confirm("למחוק את התמונה?")) return;
    try {
      mutate(await trpc.properties.deletePhoto.mutate({ photoId: p.id }));
      toast({ kind: "success", title: "התמונה נמחקה" });
    } catch (err) {
      toast({ kind: "error", title: "המחיקה נכשלה", body: errorMessage(err) });
    }
  };

  return (
    <Card
      title="תמונות"
      actions={
        <>
          <input ref={input} type="file" accept="image/jpeg,image/png,image/webp" multiple class="sr-only" id="photo-upload" data-testid="photo-input" onChange={(e) => void upload(e.currentTarget.files)} />
          <Button size="sm" variant="secondary" busy={uploading() > 0} onClick={() => input?.click()}>
            {uploading() > 0 ? "מעלה…" : "העלאת תמונות"}
          </Button>
        </>
      }
    >
      <Show when={!photos.error} fallback={<ErrorBox error={photos.error} retry={refetch} />}>
        <Show
          when={photos.latest?.length}
          fallback={
            <button
              type="button"
              class="flex h-40 w-full flex-col items-center justify-center gap-1 rounded-xl border-2 border-dashed border-line text-muted hover:border-brand-500 hover:text-brand-700"
              onClick={() => input?.click()}
            >
              <span class="font-semibold">אין עדיין תמונות</span>
              <span class="text-sm">JPEG, PNG או WebP, עד 10MB. התמונה הראשונה היא תמונת השער.</span>
            </button>
          }
        >
          <div class="space-y-3">
            <figure class="relative overflow-hidden rounded-xl bg-slate-100">
              <img src={photos.latest![0]!.url} alt="תמונת השער" class="aspect-[4/3] w-full object-cover" data-testid="cover-photo" data-photo-id={photos.latest![0]!.id} />
              <figcaption class="absolute start-2 top-2 rounded-md bg-white/90 px-2 py-0.5 text-xs font-bold text-brand-800">תמונת שער</figcaption>
            </figure>
            <ul class="grid grid-cols-3 gap-2 sm:grid-cols-4">
              <For each={photos.latest}>
                {(p, i) => (
                  <li class={`group relative overflow-hidden rounded-lg border ${i() === 0 ? "border-brand-500 ring-2 ring-brand-200" : "border-line"}`} data-testid="photo-thumb">
                    <img src={p.thumbUrl} alt={`תמונה ${i() + 1}`} loading="lazy" class="aspect-[4/3] w-full object-cover" />
                    <div class="flex items-center justify-between gap-1 bg-white px-1 py-0.5 text-xs">
                      <Show when={i() > 0} fallback={<span class="px-1 font-semibold text-brand-700">שער</span>}>
                        <button type="button" class="rounded px-1 text-brand-700 hover:bg-brand-50" onClick={() => void move(photos.latest!, i(), 0)}>
                          לשער
                        </button>
                      </Show>
                      <span class="flex">
                        <button type="button" class="rounded px-1 hover:bg-slate-100 disabled:opacity-30" aria-label="הזזה ימינה" disabled={i() === 0} onClick={() => void move(photos.latest!, i(), i() - 1)}>
                          ›
                        </button>
                        <button type="button" class="rounded px-1 hover:bg-slate-100 disabled:opacity-30" aria-label="הזזה שמאלה" disabled={i() === photos.latest!.length - 1} onClick={() => void move(photos.latest!, i(), i() + 1)}>
                          ‹
                        </button>
                        <button type="button" class="rounded px-1 text-red-600 hover:bg-red-50" aria-label="מחיקת התמונה" onClick={() => void remove(p)}>
                          ✕
                        </button>
                      </span>
                    </div>
                  </li>
                )}
              </For>
            </ul>
          </div>
        </Show>
      </Show>
    </Card>
  );
}
