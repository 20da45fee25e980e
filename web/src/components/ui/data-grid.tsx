/**
 * The dashboard's table: TanStack Table (headless) for sorting, column
 * visibility and row selection, rendered in our own markup and design. The
 * page owns the data and the state (sorting is done by the server, so
 * `manualSorting`); the grid renders it, a checkbox column for bulk actions,
 * and exports exactly what is shown (visible columns × loaded rows, or the
 * selected rows) as CSV.
 *
 * @example
 *   <DataGrid columns={COLUMNS} rows={items()} rowId={(c) => c.id} state={grid} />
 */
import {
  columnVisibilityFeature,
  createTable,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
  type SortingState,
} from "@tanstack/solid-table";
import { createSignal, For, Show, type Accessor, type JSX } from "solid-js";
import { guardFormula, toCsv } from "../../../../api/lib/csv";
import { downloadText } from "../../lib/download";

const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature, rowSelectionFeature });

export interface TGridColumn<T> {
  id: string;
  header: string;
  cell: (row: T) => JSX.Element;
  /** The cell as plain text, for CSV (what the cell shows, without markup). */
  text: (row: T) => string | number | null | undefined;
  /** The server can sort by this column. */
  sortable?: boolean;
  /** The first click sorts descending (dates: newest first); otherwise ascending (names: א→ת). */
  descFirst?: boolean;
  /** Free text people typed: guarded against spreadsheet formulas in CSV. */
  freeText?: boolean;
  class?: string;
}

export type TGridSort = { id: string; desc: boolean } | null;

/** Table state a page keeps (and a saved view restores). */
export interface TGridState {
  sort: Accessor<TGridSort>;
  setSort: (s: TGridSort) => void;
  visible: Accessor<string[]>;
  setVisible: (ids: string[]) => void;
  selected: Accessor<string[]>;
  setSelected: (ids: string[]) => void;
}

export function createGridState(init: { sort?: TGridSort; visible: string[] }): TGridState {
  const [sort, setSort] = createSignal<TGridSort>(init.sort ?? null);
  const [visible, setVisible] = createSignal<string[]>(init.visible);
  const [selected, setSelected] = createSignal<string[]>([]);
  return { sort, setSort, visible, setVisible, selected, setSelected };
}

type TUpdater<S> = S | ((old: S) => S);
const apply = <S,>(u: TUpdater<S>, old: S): S => (typeof u === "function" ? (u as (o: S) => S)(old) : u);

export function DataGrid<T extends RowData>(props: {
  columns: TGridColumn<T>[];
  rows: T[];
  rowId: (row: T) => string;
  state: TGridState;
  onRowClick?: (row: T) => void;
  /** Accessible name of a row's checkbox, e.g. the customer's name. */
  rowLabel?: (row: T) => string;
  /** Extra data-* attributes on a row (stable hooks for tests, e.g. a document's type). */
  rowData?: (row: T) => Record<`data-${string}`, string | number>;
  empty?: JSX.Element;
}) {
  const byId = () => new Map(props.columns.map((c) => [c.id, c]));
  const defs: ColumnDef<typeof features, T>[] = props.columns.map((c) => ({
    id: c.id,
    header: c.header,
    // An accessor makes the column sortable for TanStack; the rows arrive sorted by the server (manualSorting).
    accessorFn: (row: T) => c.text(row) ?? null,
    enableSorting: !!c.sortable,
    sortDescFirst: !!c.descFirst,
    enableHiding: true,
  }));
  const table = createTable({
    features,
    columns: defs,
    get data() {
      return props.rows;
    },
    getRowId: (row: T) => props.rowId(row),
    manualSorting: true,
    enableMultiSort: false,
    // A click flips the direction; there is always a sort (the server's default otherwise hides which one).
    enableSortingRemoval: false,
    enableRowSelection: true,
    get state() {
      const s = props.state.sort();
      return {
        sorting: (s ? [s] : []) as SortingState,
        columnVisibility: Object.fromEntries(props.columns.map((c) => [c.id, props.state.visible().includes(c.id)])),
        rowSelection: Object.fromEntries(props.state.selected().map((id) => [id, true])) as RowSelectionState,
      };
    },
    onSortingChange: (u: TUpdater<SortingState>) => {
      const s = props.state.sort();
      const next = apply(u, s ? [s] : [])[0];
      props.state.setSort(next ? { id: next.id, desc: next.desc } : null);
    },
    onRowSelectionChange: (u: TUpdater<RowSelectionState>) => {
      const old = Object.fromEntries(props.state.selected().map((id) => [id, true])) as RowSelectionState;
      props.state.setSelected(Object.entries(apply(u, old)).filter(([, v]) => v).map(([k]) => k));
    },
  });

  return (
    <div class="overflow-x-auto">
      <table class="w-full border-collapse text-start text-[15px]">
        <thead>
          <tr class="border-b border-line bg-slate-50 text-sm text-muted">
            <th scope="col" class="w-10 px-3 py-2.5">
              <input
                type="checkbox"
                class="size-4 accent-brand-700"
                aria-label="בחירת כל השורות"
                checked={table.getIsAllRowsSelected()}
                ref={(el) => queueMicrotask(() => (el.indeterminate = table.getIsSomeRowsSelected()))}
                onChange={(e) => table.toggleAllRowsSelected(e.currentTarget.checked)}
              />
            </th>
            <For each={table.getHeaderGroups()[0]?.headers ?? []}>
              {(header) => {
                const col = () => byId().get(header.column.id);
                return (
                  <th
                    scope="col"
                    class={`px-4 py-2.5 text-start font-semibold whitespace-nowrap ${col()?.class ?? ""}`}
                    aria-sort={header.column.getIsSorted() ? (header.column.getIsSorted() === "asc" ? "ascending" : "descending") : undefined}
                  >
                    <Show when={header.column.getCanSort()} fallback={col()?.header}>
                      <button type="button" class="inline-flex items-center gap-1 hover:text-ink" onClick={(e) => header.column.getToggleSortingHandler()?.(e)}>
                        {col()?.header}
                        <span aria-hidden="true" class="text-xs">
                          {header.column.getIsSorted() === "asc" ? "▲" : header.column.getIsSorted() === "desc" ? "▼" : "↕"}
                        </span>
                      </button>
                    </Show>
                  </th>
                );
              }}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={table.getRowModel().rows}>
            {(row) => (
              <tr
                {...props.rowData?.(row.original)}
                data-row-id={row.id}
                class={`border-b border-line last:border-0 ${row.getIsSelected() ? "bg-brand-50/70" : ""} ${props.onRowClick ? "cursor-pointer hover:bg-brand-50/50" : ""}`}
                onClick={() => props.onRowClick?.(row.original)}
              >
                <td class="w-10 px-3 py-3 align-middle" onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    class="size-4 accent-brand-700"
                    aria-label={`בחירת ${props.rowLabel?.(row.original) ?? "שורה"}`}
                    checked={row.getIsSelected()}
                    onChange={(e) => row.toggleSelected(e.currentTarget.checked)}
                  />
                </td>
                <For each={row.getVisibleCells()}>
                  {(cell) => {
                    const col = byId().get(cell.column.id);
                    return <td class={`px-4 py-3 align-middle ${col?.class ?? ""}`}>{col?.cell(row.original)}</td>;
                  }}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={props.rows.length === 0}>{props.empty}</Show>
    </div>
  );
}

/** Tick which columns show; at least one stays. */
export function ColumnChooser<T>(props: { columns: TGridColumn<T>[]; state: TGridState }) {
  const [open, setOpen] = createSignal(false);
  const toggle = (id: string) => {
    const v = props.state.visible();
    if (v.includes(id)) {
      if (v.length > 1) props.state.setVisible(v.filter((x) => x !== id));
    } else props.state.setVisible(props.columns.map((c) => c.id).filter((x) => x === id || v.includes(x)));
  };
  return (
    <div class="relative">
      <button
        type="button"
        class="inline-flex h-10 items-center gap-2 rounded-lg border border-line bg-white px-4 text-[15px] font-semibold hover:bg-slate-50"
        aria-expanded={open()}
        onClick={() => setOpen(!open())}
      >
        עמודות
      </button>
      <Show when={open()}>
        <div class="absolute end-0 z-20 mt-1 w-52 rounded-lg border border-line bg-white p-2 shadow-lg" role="group" aria-label="בחירת עמודות">
          <For each={props.columns}>
            {(col) => (
              <label class="flex cursor-pointer items-center gap-2 rounded px-2 py-1 hover:bg-slate-50">
                <input type="checkbox" class="accent-brand-700" checked={props.state.visible().includes(col.id)} onChange={() => toggle(col.id)} />
                {col.header}
              </label>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}

/**
 * CSV of exactly what the table shows: the visible columns in their order and
 * the given rows, each cell as its text (free text guarded against formulas).
 */
export function gridCsv<T>(columns: TGridColumn<T>[], visible: string[], rows: T[]): string {
  const cols = columns.filter((c) => visible.includes(c.id));
  return toCsv(
    cols.map((c) => c.header),
    rows.map((r) =>
      cols.map((c) => {
        const v = c.text(r);
        return c.freeText && typeof v === "string" ? guardFormula(v) : v;
      }),
    ),
  );
}

export function downloadGridCsv<T>(filename: string, columns: TGridColumn<T>[], visible: string[], rows: T[]): void {
  downloadText(filename, gridCsv(columns, visible, rows));
}
