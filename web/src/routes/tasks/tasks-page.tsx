/**
 * Tasks: the shared table (sort, columns, bulk assign / complete / export,
 * saved views), "המשימות שלי", open/done filter, add a task, complete with
 * one click.
 */
import { createEffect, createMemo, createResource, createSignal, on, Show } from "solid-js";
import { BulkBar } from "../../components/grid/bulk-bar";
import { SavedViews, type TViewState } from "../../components/grid/saved-views";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { ColumnChooser, createGridState, DataGrid, downloadGridCsv } from "../../components/ui/data-grid";
import { DateField } from "../../components/ui/date-field";
import { Field, Input, optionsOf, Select } from "../../components/ui/field";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { toast } from "../../context/toasts";
import { assigneeName } from "../../lib/assignees";
import { loadPref, savePref } from "../../lib/download";
import { TASK_PRIORITY, TASK_STATUS } from "../../lib/labels";
import { byCount, countOf } from "../../lib/plural";
import { trpc } from "../../lib/trpc";
import { DEFAULT_TASK_COLUMNS, sortTasks, taskColumns, type TTask } from "./task-columns";

const tasksNoun: [string, string] = ["משימה אחת", "משימות"];

export default function TasksPage() {
  const [status, setStatus] = createSignal<TTask["status"]>("open");
  const [mine, setMine] = createSignal(false);
  const [data, { refetch }] = createResource(
    () => ({ status: status(), mine: mine() || undefined }),
    (input) => trpc.tasks.list.query(input),
  );
  const grid = createGridState({ sort: { id: "due", desc: false }, visible: loadPref("tasks.columns", DEFAULT_TASK_COLUMNS) });
  createEffect(on(grid.visible, (v) => savePref("tasks.columns", v), { defer: true }));
  createEffect(on([status, mine], () => grid.setSelected([]), { defer: true }));
  onLiveEvent((e) => e.type === "assigned" && e.entity === "task" && void refetch());
  const rows = createMemo(() => sortTasks(data.latest ?? [], grid.sort()));
  const [title, setTitle] = createSignal("");
  const [due, setDue] = createSignal("");
  const [priority, setPriority] = createSignal<TTask["priority"]>("normal");
  const [busy, setBusy] = createSignal(false);

  const add = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!title().trim()) return toast({ kind: "error", title: "יש לכתוב את המשימה" });
    setBusy(true);
    try {
      await trpc.tasks.create.mutate({ title: title().trim(), priority: priority(), dueAt: due() ? new Date(due()).toISOString() : undefined });
      setTitle("");
      setDue("");
      toast({ kind: "success", title: "המשימה נוספה" });
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "ההוספה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const complete = async (t: TTask) => {
    try {
      await trpc.tasks.complete.mutate({ id: t.id });
      toast({ kind: "success", title: "כל הכבוד! המשימה בוצעה" });
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "העדכון נכשל", body: errorMessage(err) });
    }
  };
  const columns = taskColumns({ onComplete: (t) => void complete(t), onAssigned: () => mine() && void refetch() });

  const bulkAssign = async (userId: string | null) => {
    try {
      const { updated } = await trpc.assignments.assign.mutate({ entity: "task", ids: grid.selected(), userId });
      toast({ kind: "success", title: userId ? `שויכו ל${assigneeName(userId) ?? "נציג"}` : "השיוך הוסר", body: byCount(updated, "עודכנה משימה אחת", (k) => `עודכנו ${k} משימות`, "לא עודכנו משימות") });
      grid.setSelected([]);
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "השיוך נכשל", body: errorMessage(err) });
    }
  };
  const bulkComplete = async () => {
    const open = rows().filter((t) => grid.selected().includes(t.id) && t.status === "open");
    try {
      for (const t of open) await trpc.tasks.complete.mutate({ id: t.id });
      toast({ kind: "success", title: byCount(open.length, "משימה אחת סומנה כבוצעה", (k) => `${k} משימות סומנו כבוצעות`, "אין משימות פתוחות לסימון") });
    } catch (err) {
      toast({ kind: "error", title: "העדכון נכשל", body: errorMessage(err) });
    } finally {
      grid.setSelected([]);
      void refetch();
    }
  };
  const exportRows = (which: TTask[]) => downloadGridCsv(`tasks-${new Date().toISOString().slice(0, 10)}.csv`, columns, grid.visible(), which);

  const currentView = (): TViewState => ({ filters: { status: status(), mine: mine() }, sort: grid.sort(), columns: grid.visible() });
  const applyView = (s: TViewState) => {
    if (typeof s.filters.status === "string" && s.filters.status in TASK_STATUS) setStatus(s.filters.status as TTask["status"]);
    setMine(s.filters.mine === true);
    grid.setSort(s.sort ?? null);
    if (s.columns?.length) grid.setVisible(s.columns.filter((c) => columns.some((x) => x.id === c)));
  };

  return (
    <div>
      <PageHeader
        title="משימות"
        subtitle={data.latest ? countOf(data.latest.length, ...tasksNoun) : undefined}
        actions={
          <>
            <Button variant={mine() ? "primary" : "secondary"} aria-pressed={mine()} onClick={() => setMine(!mine())}>
              המשימות שלי
            </Button>
            <Select aria-label="סטטוס משימות" class="w-36" options={optionsOf(TASK_STATUS)} value={status()} onChange={(e) => setStatus(e.currentTarget.value as TTask["status"])} />
            <Button variant="secondary" onClick={() => exportRows(rows())} disabled={rows().length === 0}>
              ייצוא המוצג
            </Button>
          </>
        }
      />
      <Card class="mb-5">
        <form onSubmit={add} class="flex flex-wrap items-end gap-3">
          <Field label="משימה חדשה" class="min-w-[240px] flex-1">
            {(id) => <Input id={id} value={title()} placeholder="למשל: לחזור לדני לגבי הדירה ברמת גן" onInput={(e) => setTitle(e.currentTarget.value)} />}
          </Field>
          <Field label="מועד">{(id) => <DateField id={id} label="מועד המשימה" value={due()} onChange={setDue} withTime optional />}</Field>
          <Field label="עדיפות">
            {(id) => <Select id={id} class="w-28" options={optionsOf(TASK_PRIORITY)} value={priority()} onChange={(e) => setPriority(e.currentTarget.value as TTask["priority"])} />}
          </Field>
          <Button type="submit" busy={busy()}>
            הוספה
          </Button>
        </form>
      </Card>
      <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
        <SavedViews page="tasks" current={currentView} onApply={applyView} />
        <ColumnChooser columns={columns} state={grid} />
      </div>
      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <BulkBar count={grid.selected().length} noun={tasksNoun} feminine onClear={() => grid.setSelected([])} onAssign={(u) => void bulkAssign(u)}>
        <Button size="sm" variant="secondary" onClick={bulkComplete}>
          סימון כבוצעות
        </Button>
        <Button size="sm" variant="secondary" onClick={() => exportRows(rows().filter((t) => grid.selected().includes(t.id)))}>
          ייצוא הנבחרים
        </Button>
      </BulkBar>
      <Card padded={false}>
        <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
          <DataGrid
            columns={columns}
            rows={rows()}
            rowId={(t) => t.id}
            rowLabel={(t) => t.title}
            state={grid}
            empty={<EmptyState title={status() === "open" ? "אין משימות פתוחות" : "אין משימות"} />}
          />
        </Show>
      </Card>
    </div>
  );
}
