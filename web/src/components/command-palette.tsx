/**
 * The ⌘K / Ctrl+K command palette, from every page: one search across
 * customers, calls and transcripts, listings, WhatsApp/SMS messages,
 * contracts and invoices (tRPC `search.global`), grouped by kind, plus the
 * pages of the dashboard by name. Arrows move, Enter opens, Escape closes.
 */
import { useNavigate } from "@solidjs/router";
import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { Portal } from "solid-js/web";
import { useAuth } from "../context/auth";
import { formatPhone } from "../lib/format";
import { trpc, type TRouterOutputs } from "../lib/trpc";
import { Icon, type TIconName } from "./icons";
import { canSee, NAV_ITEMS } from "./nav";

type TResult = TRouterOutputs["search"]["global"];
type THit = TResult["groups"][number]["hits"][number];

interface TRow {
  key: string;
  icon: TIconName;
  title: string;
  subtitle: string | null;
  snippet: string | null;
  href: string;
  ltrSnippet?: boolean;
}

const KIND_ICON: Record<THit["kind"], TIconName> = { customer: "users", call: "phone", property: "building", message: "chat", contract: "list", invoice: "receipt" };

/** Where a hit opens. */
export function hitHref(h: THit): string {
  switch (h.kind) {
    case "customer":
      return `/customers/${h.id}`;
    case "call":
      return `/calls/${h.id}`;
    case "property":
      return `/properties/${h.id}`;
    case "message":
      return h.customerId ? `/inbox/${h.customerId}` : "/inbox";
    case "contract":
      return "/contracts";
    case "invoice":
      return "/invoices";
  }
}

const [paletteOpen, setPaletteOpen] = createSignal(false);
/** Open the palette (the sidebar's search button). */
export const openPalette = () => setPaletteOpen(true);

const isPhone = (s: string | null) => !!s && /^\+?\d[\d\s-]{6,}$/.test(s);

/** The keyboard shortcut and the dialog; mount once in the layout. */
export function CommandPalette() {
  const onKey = (e: KeyboardEvent) => {
    if ((e.metaKey || e.ctrlKey) && (e.key === "k" || e.key === "K" || e.code === "KeyK")) {
      e.preventDefault();
      setPaletteOpen((v) => !v);
    }
  };
  onMount(() => document.addEventListener("keydown", onKey));
  onCleanup(() => document.removeEventListener("keydown", onKey));
  return (
    <Show when={paletteOpen()}>
      <Portal>
        <PaletteDialog onClose={() => setPaletteOpen(false)} />
      </Portal>
    </Show>
  );
}

function PaletteDialog(props: { onClose: () => void }) {
  const auth = useAuth();
  const navigate = useNavigate();
  const [text, setText] = createSignal("");
  const [query, setQuery] = createSignal("");
  const [active, setActive] = createSignal(0);
  let input!: HTMLInputElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  onMount(() => input.focus());
  onCleanup(() => clearTimeout(timer));
  // Debounce: one request per pause in typing, not per key.
  createEffect(
    on(text, (t) => {
      clearTimeout(timer);
      timer = setTimeout(() => setQuery(t.trim()), 160);
    }),
  );
  const [result] = createResource(query, async (q): Promise<TResult | null> => (q ? await trpc.search.global.query({ q }) : null));

  const pages = createMemo<TRow[]>(() => {
    const q = text().trim();
    if (!q) return [];
    return NAV_ITEMS.filter((i) => canSee(auth.user(), i) && i.label.includes(q)).map((i) => ({ key: `page:${i.href}`, icon: i.icon, title: i.label, subtitle: "מעבר לדף", snippet: null, href: i.href }));
  });
  const groups = createMemo(() => {
    const out: { label: string; rows: TRow[] }[] = [];
    if (pages().length) out.push({ label: "דפים", rows: pages() });
    for (const g of result()?.groups ?? []) {
      out.push({
        label: g.label,
        rows: g.hits.map((h) => ({ key: `${h.kind}:${h.id}`, icon: KIND_ICON[h.kind], title: h.title, subtitle: h.subtitle, snippet: h.snippet, href: hitHref(h), ltrSnippet: h.kind === "invoice" })),
      });
    }
    return out;
  });
  const flat = createMemo(() => groups().flatMap((g) => g.rows));
  createEffect(on(flat, () => setActive(0)));

  const open = (row: TRow | undefined) => {
    if (!row) return;
    props.onClose();
    navigate(row.href);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const n = flat().length;
    if (e.key === "Escape") {
      e.preventDefault();
      props.onClose();
    } else if (e.key === "ArrowDown" && n) {
      e.preventDefault();
      setActive((a) => (a + 1) % n);
    } else if (e.key === "ArrowUp" && n) {
      e.preventDefault();
      setActive((a) => (a - 1 + n) % n);
    } else if (e.key === "Enter") {
      e.preventDefault();
      open(flat()[active()]);
    }
  };
  createEffect(() => document.querySelector(`[data-palette-index="${active()}"]`)?.scrollIntoView({ block: "nearest" }));

  return (
    <div class="fixed inset-0 z-[60] flex items-start justify-center bg-slate-900/40 p-4 pt-[10vh]" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div role="dialog" aria-modal="true" aria-label="חיפוש" data-testid="command-palette" class="w-full max-w-2xl overflow-hidden rounded-[var(--radius-card)] bg-white shadow-2xl">
        <div class="flex items-center gap-3 border-b border-line px-4">
          <Icon name="search" class="size-5 shrink-0 text-muted" />
          <input
            ref={input}
            type="search"
            role="combobox"
            aria-expanded={flat().length > 0}
            aria-controls="palette-results"
            aria-label="חיפוש לקוחות, שיחות, נכסים, הודעות ומסמכים"
            placeholder="חיפוש לקוחות, שיחות, נכסים, הודעות ומסמכים…"
            class="w-full bg-transparent py-4 text-base outline-none"
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={onKeyDown}
          />
          <kbd class="hidden rounded border border-line px-1.5 text-xs text-muted sm:block">Esc</kbd>
        </div>
        <div id="palette-results" role="listbox" class="max-h-[60vh] overflow-y-auto p-2">
          <Show when={result()?.corrected}>
            {(c) => (
              <p class="px-3 py-2 text-sm text-muted" data-testid="palette-corrected">
                מציג תוצאות עבור <strong class="text-ink">{c()}</strong>
              </p>
            )}
          </Show>
          <Show when={query() && !result.loading && !flat().length}>
            <p class="px-3 py-6 text-center text-sm text-muted">לא נמצאו תוצאות עבור „{query()}”</p>
          </Show>
          <Show when={!text().trim()}>
            <p class="px-3 py-6 text-center text-sm text-muted">הקלידו שם, טלפון, עיר, מילה משיחה או מספר חשבונית</p>
          </Show>
          <For each={groups()}>
            {(g) => (
              <section class="mb-1">
                <h3 class="px-3 pb-1 pt-2 text-xs font-semibold text-slate-400">{g.label}</h3>
                <For each={g.rows}>
                  {(row) => {
                    const my = () => flat().indexOf(row);
                    return (
                      <button
                        type="button"
                        role="option"
                        data-palette-index={my()}
                        aria-selected={active() === my()}
                        class={`flex w-full items-start gap-3 rounded-lg px-3 py-2 text-start ${active() === my() ? "bg-brand-50 text-brand-900" : "hover:bg-slate-50"}`}
                        onMouseEnter={() => setActive(my())}
                        onClick={() => open(row)}
                      >
                        <Icon name={row.icon} class="mt-0.5 size-5 shrink-0 text-muted" />
                        <span class="min-w-0 flex-1">
                          <span class="flex items-baseline gap-2">
                            <span class="truncate font-semibold">{row.title}</span>
                            <Show when={row.subtitle}>
                              {(s) =>
                                isPhone(s()) ? (
                                  <bdi dir="ltr" class="tabular whitespace-nowrap text-xs text-muted">
                                    {formatPhone(s())}
                                  </bdi>
                                ) : (
                                  <span class="truncate text-xs text-muted">{s()}</span>
                                )
                              }
                            </Show>
                          </span>
                          <Show when={row.snippet}>
                            {(s) => <span class="block truncate text-sm text-slate-600">{row.ltrSnippet ? <bdi dir="ltr">{s()}</bdi> : s()}</span>}
                          </Show>
                        </span>
                      </button>
                    );
                  }}
                </For>
              </section>
            )}
          </For>
        </div>
        <footer class="flex items-center justify-between border-t border-line px-4 py-2 text-xs text-muted">
          <span>↑↓ לבחירה · Enter לפתיחה</span>
          <Show when={result()}>{(r) => <span>{r().groups.reduce((n, g) => n + g.hits.length, 0)} תוצאות</span>}</Show>
        </footer>
      </div>
    </div>
  );
}
