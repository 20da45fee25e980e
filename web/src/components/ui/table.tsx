import { For, Show, type JSX } from "solid-js";

export interface TColumn<T> {
  key: string;
  header: string;
  cell: (row: T) => JSX.Element;
  /** Clicking the header sorts by this key. */
  sortable?: boolean;
  class?: string;
}

export type TSortDir = "asc" | "desc";

/** A plain data table: sticky header, optional sorting and row click. */
export function DataTable<T>(props: {
  columns: TColumn<T>[];
  rows: T[];
  onRowClick?: (row: T) => void;
  sort?: { key: string; dir: TSortDir };
  onSort?: (key: string) => void;
  empty?: JSX.Element;
}) {
  return (
    <div class="overflow-x-auto">
      <table class="w-full border-collapse text-start text-[15px]">
        <thead>
          <tr class="border-b border-line bg-slate-50 text-sm text-muted">
            <For each={props.columns}>
              {(col) => (
                <th scope="col" class={`px-4 py-2.5 text-start font-semibold whitespace-nowrap ${col.class ?? ""}`}>
                  <Show when={col.sortable && props.onSort} fallback={col.header}>
                    <button type="button" class="inline-flex items-center gap-1 hover:text-ink" onClick={() => props.onSort?.(col.key)}>
                      {col.header}
                      <span aria-hidden="true" class="text-xs">
                        {props.sort?.key === col.key ? (props.sort.dir === "asc" ? "▲" : "▼") : "↕"}
                      </span>
                    </button>
                  </Show>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr
                class={`border-b border-line last:border-0 ${props.onRowClick ? "cursor-pointer hover:bg-brand-50/50" : ""}`}
                onClick={() => props.onRowClick?.(row)}
              >
                <For each={props.columns}>{(col) => <td class={`px-4 py-3 align-middle ${col.class ?? ""}`}>{col.cell(row)}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={props.rows.length === 0}>{props.empty}</Show>
    </div>
  );
}
