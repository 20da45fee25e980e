/**
 * "שיוך לידים אוטומטי": who gets a new lead the AI creates from a call or a
 * WhatsApp conversation — nobody, in turn (round robin), by the city or
 * neighbourhood the lead wants, or by deal type. The agent gets a live
 * notification.
 */
import { createEffect, createResource, createSignal, For, Show } from "solid-js";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { Input } from "../../components/ui/field";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { assignees } from "../../lib/assignees";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TRules = TRouterOutputs["assignments"]["rules"];
const MODES: { value: TRules["mode"]; label: string; hint: string }[] = [
  { value: "off", label: "ללא שיוך אוטומטי", hint: "לידים חדשים נשארים ללא נציג עד ששייכים אותם." },
  { value: "round_robin", label: "בתורות (Round robin)", hint: "כל ליד חדש עובר לנציג הבא ברשימה." },
  { value: "by_area", label: "לפי אזור", hint: "לפי העיר או השכונה שהלקוח מחפש; ליד מאזור אחר עובר בתורות." },
  { value: "by_deal_type", label: "לפי סוג עסקה", hint: "קונים לנציג אחד, שוכרים לאחר; אחרת בתורות." },
];

const selectCls = "h-10 rounded-lg border border-line bg-white px-3 text-[15px]";

export function LeadAssignmentCard() {
  const [saved, { refetch }] = createResource(() => trpc.assignments.rules.query());
  const [rules, setRules] = createSignal<TRules>({ mode: "off", agentIds: [], areas: [], dealTypes: {} });
  const [busy, setBusy] = createSignal(false);
  createEffect(() => saved.latest && setRules(structuredClone(saved.latest)));
  const patch = (p: Partial<TRules>) => setRules({ ...rules(), ...p });
  const togglePool = (id: string) => patch({ agentIds: rules().agentIds.includes(id) ? rules().agentIds.filter((x) => x !== id) : [...rules().agentIds, id] });

  const save = async () => {
    setBusy(true);
    try {
      await trpc.assignments.setRules.mutate({ rules: { ...rules(), areas: rules().areas.filter((a) => a.place.trim() && a.userId) } });
      toast({ kind: "success", title: "כללי השיוך נשמרו" });
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "השמירה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const AgentPick = (p: { value: string | null | undefined; onChange: (v: string | null) => void; label: string }) => (
    <select aria-label={p.label} class={`${selectCls} w-44`} onChange={(e) => p.onChange(e.currentTarget.value || null)}>
      <option value="" selected={!p.value}>
        — בתורות —
      </option>
      <For each={assignees()}>
        {(a) => (
          <option value={a.id} selected={p.value === a.id}>
            {a.fullName}
          </option>
        )}
      </For>
    </select>
  );

  return (
    <Card title="שיוך לידים אוטומטי" class="mt-5" actions={<Button onClick={save} busy={busy()}>שמירה</Button>}>
      <div class="space-y-4" data-testid="lead-assignment">
        <fieldset class="space-y-1">
          <legend class="mb-1 text-sm font-semibold text-slate-700">ליד חדש משיחה או מוואטסאפ יעבור ל…</legend>
          <For each={MODES}>
            {(m) => (
              <label class="flex cursor-pointer items-start gap-2">
                <input type="radio" name="assign-mode" class="mt-1.5 accent-brand-700" checked={rules().mode === m.value} onChange={() => patch({ mode: m.value })} />
                <span>
                  <span class="font-semibold">{m.label}</span>
                  <span class="block text-sm text-muted">{m.hint}</span>
                </span>
              </label>
            )}
          </For>
        </fieldset>
        <Show when={rules().mode !== "off"}>
          <div>
            <p class="mb-1 text-sm font-semibold text-slate-700">נציגים בתורות</p>
            <div class="flex flex-wrap gap-3">
              <For each={assignees()}>
                {(a) => (
                  <label class="flex items-center gap-1.5">
                    <input type="checkbox" class="accent-brand-700" checked={rules().agentIds.includes(a.id)} onChange={() => togglePool(a.id)} />
                    {a.fullName}
                  </label>
                )}
              </For>
            </div>
          </div>
        </Show>
        <Show when={rules().mode === "by_area"}>
          <div class="space-y-2">
            <p class="text-sm font-semibold text-slate-700">אזורים</p>
            <For each={rules().areas}>
              {(area, i) => (
                <div class="flex flex-wrap items-center gap-2">
                  <Input aria-label="עיר או שכונה" placeholder="למשל: רמת גן" class="w-48" value={area.place} onInput={(e) => patch({ areas: rules().areas.map((x, j) => (j === i() ? { ...x, place: e.currentTarget.value } : x)) })} />
                  <AgentPick label="נציג לאזור" value={area.userId} onChange={(v) => patch({ areas: rules().areas.map((x, j) => (j === i() ? { ...x, userId: v ?? "" } : x)) })} />
                  <Button size="sm" variant="ghost" onClick={() => patch({ areas: rules().areas.filter((_, j) => j !== i()) })}>
                    הסרה
                  </Button>
                </div>
              )}
            </For>
            <Button size="sm" variant="secondary" onClick={() => patch({ areas: [...rules().areas, { place: "", userId: "" }] })}>
              הוספת אזור
            </Button>
          </div>
        </Show>
        <Show when={rules().mode === "by_deal_type"}>
          <div class="flex flex-wrap gap-4">
            <label class="flex items-center gap-2">
              קונים (מכירה)
              <AgentPick label="נציג לקונים" value={rules().dealTypes.sale} onChange={(v) => patch({ dealTypes: { ...rules().dealTypes, sale: v } })} />
            </label>
            <label class="flex items-center gap-2">
              שוכרים (השכרה)
              <AgentPick label="נציג לשוכרים" value={rules().dealTypes.rent} onChange={(v) => patch({ dealTypes: { ...rules().dealTypes, rent: v } })} />
            </label>
          </div>
        </Show>
      </div>
    </Card>
  );
}
