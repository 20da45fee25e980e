/**
 * The unified inbox: threads per customer (WhatsApp and calls) on the right,
 * the selected thread on the left. Updates live on `whatsapp.message` and
 * call events.
 */
import { A, useNavigate, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Card, PageHeader } from "../../components/ui/card";
import { Input } from "../../components/ui/field";
import { Phone } from "../../components/ui/ltr";
import { EmptyState, ErrorBox, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { formatRelative } from "../../lib/format";
import { trpc } from "../../lib/trpc";
import { ThreadView } from "./thread-view";

export default function InboxPage() {
  const params = useParams();
  const navigate = useNavigate();
  const [search, setSearch] = createSignal("");
  const [threads, { refetch }] = createResource(search, (q) => trpc.conversations.threads.query(q.trim() ? { search: q.trim() } : undefined));

  onLiveEvent((e) => {
    if (e.type === "whatsapp.message" || e.type === "call.started" || e.type === "call.ended") void refetch();
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const onSearch = (value: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => setSearch(value), 250);
  };

  return (
    <div>
      <PageHeader title="תיבת שיחות" subtitle="וואטסאפ ושיחות טלפון לפי לקוח. השתלטו על שיחה כדי שה-AI יפסיק לענות." />
      <div class="grid gap-5 lg:grid-cols-[22rem_1fr]">
        <Card padded={false}>
          <div class="border-b border-line p-3">
            <Input type="search" placeholder="חיפוש לפי שם או טלפון" aria-label="חיפוש שיחות" onInput={(e) => onSearch(e.currentTarget.value)} />
          </div>
          <Switch>
            <Match when={threads.error}>
              <div class="p-3">
                <ErrorBox error={threads.error} retry={refetch} />
              </div>
            </Match>
            <Match when={!threads.latest && threads.loading}>
              <Spinner />
            </Match>
            <Match when={threads.latest?.length === 0}>
              <EmptyState title="אין עדיין שיחות" hint="הודעות וואטסאפ ושיחות טלפון יופיעו כאן." />
            </Match>
            <Match when={threads.latest}>
              <ul class="max-h-[70vh] divide-y divide-line overflow-y-auto" data-testid="thread-list">
                <For each={threads.latest}>
                  {(t) => (
                    <li>
                      <A
                        href={`/inbox/${t.customerId}`}
                        class={`block px-4 py-3 hover:bg-slate-50 ${params.customerId === t.customerId ? "bg-brand-50" : ""}`}
                        data-testid="thread-item"
                      >
                        <div class="flex items-center justify-between gap-2">
                          <span class="truncate font-semibold">{t.name ?? "ללא שם"}</span>
                          <span class="shrink-0 text-xs text-muted">{formatRelative(t.lastAt)}</span>
                        </div>
                        <div class="flex items-center justify-between gap-2 text-sm text-muted">
                          <Phone value={t.phone} />
                          <span class="flex items-center gap-1">
                            <Show when={t.aiPaused}>
                              <Badge tone="amber">נציג</Badge>
                            </Show>
                            <Show when={t.awaitingReply > 0}>
                              <Badge tone="brand">
                                <span class="tabular">{t.awaitingReply}</span>
                              </Badge>
                            </Show>
                          </span>
                        </div>
                        <p class="mt-0.5 truncate text-sm text-slate-600">
                          {t.lastChannel === "call" ? "שיחת טלפון" : (t.lastDirection === "out" ? "↩ " : "") + (t.lastText ?? "")}
                        </p>
                      </A>
                    </li>
                  )}
                </For>
              </ul>
            </Match>
          </Switch>
        </Card>
        <Card padded={false}>
          <Show
            when={params.customerId}
            keyed
            fallback={
              <EmptyState
                title="בחרו שיחה מהרשימה"
                hint="כל ההודעות והשיחות של הלקוח מוצגות יחד."
                action={
                  <Show when={threads.latest?.[0]}>
                    {(first) => (
                      <button type="button" class="text-brand-700 underline" onClick={() => navigate(`/inbox/${first().customerId}`)}>
                        פתיחת השיחה האחרונה
                      </button>
                    )}
                  </Show>
                }
              />
            }
          >
            {(id) => <ThreadView customerId={id} onChanged={() => void refetch()} />}
          </Show>
        </Card>
      </div>
    </div>
  );
}
