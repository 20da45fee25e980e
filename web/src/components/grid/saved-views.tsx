/**
 * Saved views ("segments") of one table: pick a view to apply its filters,
 * sort and columns; save the current state under a name (same name
 * replaces it); delete one. Private to the signed-in user.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { toast } from "../../context/toasts";
import { trpc, type TRouterInputs, type TRouterOutputs } from "../../lib/trpc";
import { Button } from "../ui/button";
import { Input } from "../ui/field";
import { errorMessage } from "../ui/states";

export type TSavedView = TRouterOutputs["savedViews"]["list"][number];
export type TViewState = TSavedView["state"];
type TPage = TRouterInputs["savedViews"]["list"]["page"];

export function SavedViews(props: { page: TPage; current: () => TViewState; onApply: (state: TViewState) => void }) {
  const [views, { refetch }] = createResource(() => trpc.savedViews.list.query({ page: props.page }));
  const [chosen, setChosen] = createSignal("");
  const [naming, setNaming] = createSignal(false);
  const [name, setName] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  const apply = (id: string) => {
    setChosen(id);
    const v = views.latest?.find((x) => x.id === id);
    if (v) props.onApply(v.state);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!name().trim()) return;
    setBusy(true);
    try {
      const v = await trpc.savedViews.save.mutate({ page: props.page, name: name().trim(), state: props.current() });
      await refetch();
      setChosen(v.id);
      setNaming(false);
      setName("");
      toast({ kind: "success", title: "התצוגה נשמרה", body: v.name });
    } catch (err) {
      toast({ kind: "error", title: "השמירה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    const v = views.latest?.find((x) => x.id === chosen());
    if (!v) return;
    try {
      await trpc.savedViews.delete.mutate({ id: v.id });
      setChosen("");
      await refetch();
      toast({ kind: "success", title: "התצוגה נמחקה", body: v.name });
    } catch (err) {
      toast({ kind: "error", title: "המחיקה נכשלה", body: errorMessage(err) });
    }
  };

  return (
    <div class="flex flex-wrap items-center gap-2" data-testid="saved-views">
      <select
        aria-label="תצוגות שמורות"
        class="h-10 w-48 rounded-lg border border-line bg-white px-3 text-[15px] focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200"
        value={chosen()}
        onChange={(e) => apply(e.currentTarget.value)}
      >
        <option value="">תצוגות שמורות</option>
        <For each={views.latest ?? []}>{(v) => <option value={v.id}>{v.name}</option>}</For>
      </select>
      <Show when={chosen()}>
        <Button variant="ghost" size="sm" onClick={remove} aria-label="מחיקת התצוגה">
          מחיקה
        </Button>
      </Show>
      <Show
        when={naming()}
        fallback={
          <Button variant="secondary" onClick={() => setNaming(true)}>
            שמירת תצוגה
          </Button>
        }
      >
        <form class="flex items-center gap-2" onSubmit={save}>
          <Input aria-label="שם התצוגה" placeholder="למשל: קונים בתל אביב עד 3M" class="w-56" value={name()} onInput={(e) => setName(e.currentTarget.value)} autofocus />
          <Button type="submit" busy={busy()}>
            שמירה
          </Button>
          <Button variant="ghost" onClick={() => setNaming(false)}>
            ביטול
          </Button>
        </form>
      </Show>
    </div>
  );
}
