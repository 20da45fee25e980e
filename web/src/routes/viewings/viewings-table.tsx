/** The viewings list on the shared table: sort by time, column choice, bulk assign and export. */
import { A } from "@solidjs/router";
import { createEffect, createMemo, on, Show, type JSX } from "solid-js";
import { AssigneeSelect } from "../../components/grid/assignee-select";
import { BulkBar } from "../../components/grid/bulk-bar";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ColumnChooser, createGridState, DataGrid, downloadGridCsv, type TGridColumn } from "../../components/ui/data-grid";
import { EmptyState, errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { assigneeName } from "../../lib/assignees";
import { loadPref, savePref } from "../../lib/download";
import { formatDateTime } from "../../lib/format";
import { APPOINTMENT_STATUS, labelOf } from "../../lib/labels";
import { byCount, countOf } from "../../lib/plural";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TAppointment = TRouterOutputs["appointments"]["list"][number];
const viewingsNoun: [string, string] = ["צפייה אחת", "צפיות"];

export function ViewingsTable(props: {
  rows: TAppointment[];
  customerName: (id: string | null) => string | null;
  propertyTitle: (id: string | null) => string | null;
  actions: (a: TAppointment) => JSX.Element;
  onChanged: () => void;
}) {
  const columns: TGridColumn<TAppointment>[] = [
    { id: "when", header: "מועד", sortable: true, text: (a) => formatDateTime(a.startsAt), cell: (a) => <span class="tabular whitespace-nowrap">{formatDateTime(a.startsAt)}</span> },
    {
      id: "customer",
      header: "לקוח",
      freeText: true,
      text: (a) => props.customerName(a.customerId) ?? "",
      cell: (a) => (
        <Show when={a.customerId} fallback="לקוח">
          <A href={`/customers/${a.customerId}`} class="font-semibold hover:text-brand-700 hover:underline">
            {props.customerName(a.customerId) ?? "לקוח"}
          </A>
        </Show>
      ),
    },
    { id: "property", header: "נכס", freeText: true, text: (a) => props.propertyTitle(a.propertyId) ?? "", cell: (a) => props.propertyTitle(a.propertyId) ?? <span class="text-muted">—</span> },
    {
      id: "assignee",
      header: "נציג",
      text: (a) => assigneeName(a.assignedUserId) ?? "",
      cell: (a) => <AssigneeSelect entity="appointment" id={a.id} value={a.assignedUserId} onSaved={props.onChanged} />,
    },
    { id: "status", header: "סטטוס", text: (a) => labelOf(APPOINTMENT_STATUS, a.status), cell: (a) => <Badge tone={APPOINTMENT_STATUS[a.status]?.tone}>{labelOf(APPOINTMENT_STATUS, a.status)}</Badge> },
    { id: "actions", header: "פעולות", text: () => "", cell: (a) => props.actions(a) },
  ];
  const grid = createGridState({ sort: { id: "when", desc: false }, visible: loadPref("viewings.columns", columns.map((c) => c.id)) });
  createEffect(on(grid.visible, (v) => savePref("viewings.columns", v), { defer: true }));
  const rows = createMemo(() => {
    const list = [...props.rows].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return grid.sort()?.desc ? list.reverse() : list;
  });
  const exportRows = (which: TAppointment[]) =>
    downloadGridCsv(`viewings-${new Date().toISOString().slice(0, 10)}.csv`, columns, grid.visible().filter((c) => c !== "actions"), which);
  const assign = async (userId: string | null) => {
    try {
      const { updated } = await trpc.assignments.assign.mutate({ entity: "appointment", ids: grid.selected(), userId });
      toast({ kind: "success", title: userId ? `שויכו ל${assigneeName(userId) ?? "נציג"}` : "השיוך הוסר", body: byCount(updated, "עודכנה צפייה אחת", (k) => `עודכנו ${k} צפיות`, "לא עודכנו צפיות") });
      grid.setSelected([]);
      props.onChanged();
    } catch (err) {
      toast({ kind: "error", title: "השיוך נכשל", body: errorMessage(err) });
    }
  };

  return (
    <div>
      <div class="mb-3 flex items-center justify-between gap-2">
        <span class="text-sm text-muted">{countOf(rows().length, ...viewingsNoun)}</span>
        <div class="flex gap-2">
          <Button variant="secondary" onClick={() => exportRows(rows())} disabled={rows().length === 0}>
            ייצוא המוצג
          </Button>
          <ColumnChooser columns={columns} state={grid} />
        </div>
      </div>
      <BulkBar count={grid.selected().length} noun={viewingsNoun} feminine onClear={() => grid.setSelected([])} onAssign={(u) => void assign(u)}>
        <Button size="sm" variant="secondary" onClick={() => exportRows(rows().filter((a) => grid.selected().includes(a.id)))}>
          ייצוא הנבחרות
        </Button>
      </BulkBar>
      <Card padded={false}>
        <DataGrid
          columns={columns}
          rows={rows()}
          rowId={(a) => a.id}
          rowLabel={(a) => `הצפייה ב־${formatDateTime(a.startsAt)}`}
          state={grid}
          empty={<EmptyState title="אין פגישות קרובות" />}
        />
      </Card>
    </div>
  );
}
