/**
 * The logged-in frame: sidebar on the right (the start side in RTL), a top
 * bar with a menu button on phones that opens the sidebar as a drawer.
 */
import { A, useLocation } from "@solidjs/router";
import { createEffect, createSignal, ErrorBoundary, For, Show, type JSX } from "solid-js";
import { useAuth } from "../context/auth";
import { liveConnected } from "../context/live";
import { CommandPalette, openPalette } from "./command-palette";
import { Icon } from "./icons";
import { ErrorBox } from "./ui/states";
import { VoiceStatusBanner } from "./voice-status-banner";
import { canSee, NAV_GROUPS, NAV_ITEMS, type TNavItem } from "./nav";

export function Layout(props: { children: JSX.Element }) {
  const auth = useAuth();
  const location = useLocation();
  const [open, setOpen] = createSignal(false);
  // Close the drawer after navigating.
  createEffect(() => {
    void location.pathname;
    setOpen(false);
  });

  const visible = () => NAV_ITEMS.filter((i) => canSee(auth.user(), i));
  const groups = () => {
    const by = new Map<string, TNavItem[]>();
    for (const item of visible()) {
      const g = item.group ?? "main";
      by.set(g, [...(by.get(g) ?? []), item]);
    }
    return [...by.entries()];
  };
  const isActive = (href: string) => (href === "/" ? location.pathname === "/" : location.pathname.startsWith(href));

  const sidebar = (
    <nav aria-label="ניווט ראשי" class="flex h-full flex-col">
      <div class="flex items-center gap-3 px-5 py-5">
        <div class="grid size-10 place-items-center rounded-xl bg-brand-700 text-lg font-bold text-white">ק</div>
        <div class="min-w-0">
          <div class="text-lg font-bold leading-tight">קשר</div>
          <div class="truncate text-xs text-muted">{auth.me()?.business?.name ?? ""}</div>
        </div>
      </div>
      <div class="px-3 pb-3">
        <button
          type="button"
          data-testid="open-search"
          class="flex w-full items-center gap-2 rounded-lg border border-line px-3 py-2 text-sm text-muted hover:bg-slate-50"
          onClick={openPalette}
        >
          <Icon name="search" class="size-4" />
          <span class="flex-1 text-start">חיפוש…</span>
          <kbd class="rounded border border-line px-1 text-[11px]" dir="ltr">Ctrl K</kbd>
        </button>
      </div>
      <div class="flex-1 overflow-y-auto px-3 pb-4">
        <For each={groups()}>
          {([group, items]) => (
            <div class="mb-4">
              <div class="px-3 pb-1 text-xs font-semibold text-slate-400">{NAV_GROUPS[group as keyof typeof NAV_GROUPS] ?? group}</div>
              <For each={items}>
                {(item) => (
                  <A
                    href={item.href}
                    class={`mb-0.5 flex items-center gap-3 rounded-lg px-3 py-2 font-semibold transition-colors ${
                      isActive(item.href) ? "bg-brand-50 text-brand-800" : "text-slate-600 hover:bg-slate-100 hover:text-ink"
                    }`}
                    aria-current={isActive(item.href) ? "page" : undefined}
                  >
                    <Icon name={item.icon} />
                    <span>{item.label}</span>
                  </A>
                )}
              </For>
            </div>
          )}
        </For>
      </div>
      <div class="border-t border-line p-3">
        <div class="flex items-center justify-between gap-2 px-2">
          <div class="min-w-0">
            <div class="truncate text-sm font-semibold">{auth.user()?.fullName}</div>
            <div class="flex items-center gap-1.5 text-xs text-muted">
              <span class={`size-2 rounded-full ${liveConnected() ? "bg-emerald-500" : "bg-slate-300"}`} aria-hidden="true" />
              {liveConnected() ? "מחובר לעדכונים חיים" : "ללא עדכונים חיים"}
            </div>
          </div>
          <button
            type="button"
            class="rounded-lg p-2 text-muted hover:bg-slate-100 hover:text-ink"
            title="התנתקות"
            aria-label="התנתקות"
            onClick={() => void auth.logout()}
          >
            <Icon name="logout" />
          </button>
        </div>
      </div>
    </nav>
  );

  return (
    <div class="min-h-screen lg:flex">
      <CommandPalette />
      <aside data-testid="sidebar" class="sticky top-0 hidden h-screen w-64 shrink-0 border-e border-line bg-white lg:block">
        {sidebar}
      </aside>
      <Show when={open()}>
        <div class="fixed inset-0 z-40 bg-slate-900/40 lg:hidden" onClick={() => setOpen(false)} />
        <aside data-testid="drawer" class="fixed inset-y-0 start-0 z-50 w-72 max-w-[85vw] border-e border-line bg-white shadow-xl lg:hidden">
          {sidebar}
        </aside>
      </Show>
      <div class="min-w-0 flex-1">
        <header class="sticky top-0 z-30 flex items-center gap-3 border-b border-line bg-white/90 px-4 py-3 backdrop-blur lg:hidden">
          <button type="button" class="rounded-lg p-2 hover:bg-slate-100" aria-label="פתיחת התפריט" onClick={() => setOpen(true)}>
            <Icon name="menu" />
          </button>
          <span class="flex-1 font-bold">קשר</span>
          <button type="button" class="rounded-lg p-2 hover:bg-slate-100" aria-label="חיפוש" onClick={openPalette}>
            <Icon name="search" />
          </button>
        </header>
        <VoiceStatusBanner />
        <main class="mx-auto max-w-7xl px-4 py-6 sm:px-6 lg:px-8">
          {/* A page that crashes shows a Hebrew message; the sidebar keeps working. */}
          <ErrorBoundary
            fallback={(err, reset) => {
              console.error(err);
              return <ErrorBox error={err} retry={reset} />;
            }}
          >
            {props.children}
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
