/**
 * One inbox thread: WhatsApp bubbles and call summaries in time order, the
 * takeover switch, the 24-hour window state, and the composer (free text,
 * or a template when the Twilio window is closed).
 */
import { A } from "@solidjs/router";
import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { Icon } from "../../components/icons";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Field, Input, Textarea } from "../../components/ui/field";
import { Phone } from "../../components/ui/ltr";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { toast } from "../../context/toasts";
import { formatDateTime, formatDuration, formatTime } from "../../lib/format";
import { CALL_STATUS, labelOf, type TTone } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TThread = TRouterOutputs["conversations"]["thread"];
type TItem = TThread["items"][number];

const AUTHOR: Record<string, string> = { customer: "לקוח", ai: "עוזר AI", staff: "נציג", system: "מענה אוטומטי" };
const STATUS: Record<string, { label: string; tone: TTone }> = {
  received: { label: "התקבלה", tone: "gray" },
  queued: { label: "בשליחה", tone: "gray" },
  sent: { label: "נשלחה", tone: "gray" },
  delivered: { label: "נמסרה", tone: "blue" },
  read: { label: "נקראה", tone: "green" },
  failed: { label: "נכשלה", tone: "red" },
};
const MEDIA: Record<string, string> = { image: "תמונה", video: "סרטון", audio: "קובץ שמע", voice: "הודעה קולית", document: "מסמך", sticker: "מדבקה", location: "מיקום", contact: "איש קשר" };

function Bubble(props: { item: Extract<TItem, { kind: "whatsapp" }> }) {
  const out = () => props.item.direction === "out";
  return (
    <div class={`flex ${out() ? "justify-end" : "justify-start"}`} data-testid="wa-message" data-direction={props.item.direction}>
      <div class={`max-w-[80%] rounded-2xl px-4 py-2 shadow-sm ${out() ? (props.item.author === "staff" ? "bg-sky-50" : "bg-emerald-50") : "bg-white border border-line"}`}>
        <div class="mb-0.5 text-xs font-semibold text-muted">{AUTHOR[props.item.author] ?? props.item.author}</div>
        <Show when={props.item.mediaType}>
          <div class="mb-1">
            <Badge tone="violet">{MEDIA[props.item.mediaType!] ?? props.item.mediaType}</Badge>
          </div>
        </Show>
        <Show when={props.item.body}>
          <p class="whitespace-pre-wrap leading-relaxed">{props.item.body}</p>
        </Show>
        <div class="mt-1 flex items-center justify-end gap-2 text-xs text-muted">
          <span class="tabular">{formatTime(props.item.at)}</span>
          <Show when={out()}>
            <Badge tone={STATUS[props.item.status]?.tone}>{STATUS[props.item.status]?.label ?? props.item.status}</Badge>
          </Show>
        </div>
        <Show when={props.item.status === "failed" && props.item.error}>
          <p class="mt-1 text-xs text-red-700" title={props.item.error!}>
            השליחה נכשלה
          </p>
        </Show>
      </div>
    </div>
  );
}

function CallCard(props: { item: Extract<TItem, { kind: "call" }> }) {
  return (
    <div class="flex justify-center" data-testid="thread-call">
      <A href={`/calls/${props.item.id}`} class="max-w-[85%] rounded-xl border border-dashed border-line bg-slate-50 px-4 py-2 text-sm hover:bg-slate-100">
        <div class="flex flex-wrap items-center gap-2 font-semibold">
          <span class="flex items-center gap-1">
            <Icon name="phone" class="size-4" /> שיחת טלפון
          </span>
          <span class="tabular text-muted">{formatDateTime(props.item.at)}</span>
          <Badge tone={CALL_STATUS[props.item.status]?.tone}>{labelOf(CALL_STATUS, props.item.status)}</Badge>
          <span class="tabular text-muted">{formatDuration(props.item.durationSec)}</span>
        </div>
        <Show when={props.item.summary}>
          <p class="mt-1 text-muted">{props.item.summary}</p>
        </Show>
      </A>
    </div>
  );
}

export function ThreadView(props: { customerId: string; onChanged: () => void }) {
  const [thread, { refetch, mutate }] = createResource(() => props.customerId, (customerId) => trpc.conversations.thread.query({ customerId }));
  const [text, setText] = createSignal("");
  const [templateSid, setTemplateSid] = createSignal("");
  const [templatePreview, setTemplatePreview] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let scroller: HTMLDivElement | undefined;

  onLiveEvent((e) => {
    if (e.type === "whatsapp.message" && e.customerId === props.customerId) void refetch();
  });
  const scrollDown = () => queueMicrotask(() => scroller?.scrollTo({ top: scroller.scrollHeight }));

  const windowClosed = () => {
    const t = thread.latest;
    return Boolean(t && t.window.enforced && !t.window.open);
  };

  const toggleTakeover = async () => {
    const t = thread.latest;
    if (!t) return;
    setBusy(true);
    try {
      const res = t.customer.aiPaused
        ? await trpc.conversations.handBack.mutate({ customerId: t.customer.id })
        : await trpc.conversations.takeover.mutate({ customerId: t.customer.id });
      mutate({ ...t, customer: { ...t.customer, aiPaused: res.aiPaused } });
      toast({ kind: "success", title: res.aiPaused ? "השיחה בטיפולך — ה-AI לא יענה" : "השיחה הוחזרה ל-AI" });
      props.onChanged();
    } catch (err) {
      toast({ kind: "error", title: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const send = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (windowClosed()) {
        await trpc.conversations.send.mutate({ customerId: props.customerId, template: { contentSid: templateSid().trim(), preview: templatePreview().trim() || undefined } });
        setTemplateSid("");
        setTemplatePreview("");
      } else {
        await trpc.conversations.send.mutate({ customerId: props.customerId, body: text() });
        setText("");
      }
      await refetch();
      scrollDown();
      props.onChanged();
    } catch (err) {
      setError(errorMessage(err));
      void refetch();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Switch>
      <Match when={thread.error}>
        <div class="p-5">
          <ErrorBox error={thread.error} retry={refetch} />
        </div>
      </Match>
      <Match when={!thread.latest}>
        <Spinner />
      </Match>
      <Match when={thread.latest}>
        {(t) => (
          <div class="flex h-full min-h-[60vh] flex-col" data-testid="thread">
            <header class="flex flex-wrap items-center justify-between gap-3 border-b border-line px-5 py-3">
              <div>
                <A href={`/customers/${t().customer.id}`} class="text-lg font-bold hover:text-brand-700">
                  {t().customer.name ?? "לקוח ללא שם"}
                </A>
                <div class="flex flex-wrap items-center gap-2 text-sm text-muted">
                  <Phone value={t().customer.phone} />
                  <Badge tone="gray">{t().provider === "twilio" ? "Twilio WhatsApp" : "WhatsApp Web"}</Badge>
                  <Show when={t().window.enforced}>
                    <Show when={t().window.open} fallback={<Badge tone="red">חלון 24 השעות נסגר — תבניות בלבד</Badge>}>
                      <Badge tone="green">
                        חלון 24 שעות פתוח עד <span class="tabular">{formatDateTime(t().window.closesAt)}</span>
                      </Badge>
                    </Show>
                  </Show>
                </div>
              </div>
              <div class="flex items-center gap-2">
                <Show when={t().customer.aiPaused} fallback={<Badge tone="green">AI עונה</Badge>}>
                  <span data-testid="ai-paused">
                    <Badge tone="amber">בטיפול נציג</Badge>
                  </span>
                </Show>
                <Button size="sm" variant={t().customer.aiPaused ? "secondary" : "primary"} busy={busy()} onClick={toggleTakeover} data-testid="takeover">
                  {t().customer.aiPaused ? "החזרה ל-AI" : "השתלטות על השיחה"}
                </Button>
              </div>
            </header>

            <div ref={scroller} class="flex-1 space-y-3 overflow-y-auto bg-slate-50/60 px-5 py-4" style={{ "max-height": "60vh" }}>
              <Show when={t().items.length} fallback={<EmptyState title="אין עדיין הודעות בשיחה זו" />}>
                <For each={t().items}>{(item) => (item.kind === "whatsapp" ? <Bubble item={item} /> : <CallCard item={item} />)}</For>
              </Show>
            </div>

            <form class="space-y-2 border-t border-line px-5 py-3" onSubmit={send}>
              <Show
                when={windowClosed()}
                fallback={
                  <div class="flex items-end gap-2">
                    <Textarea
                      rows={2}
                      class="flex-1"
                      placeholder={t().customer.aiPaused ? "כתבו תשובה ללקוח…" : "כתבו תשובה (ה-AI ממשיך לענות עד שתשתלטו על השיחה)…"}
                      value={text()}
                      onInput={(e) => setText(e.currentTarget.value)}
                      aria-label="הודעה"
                      data-testid="composer"
                    />
                    <Button type="submit" busy={busy()} disabled={!text().trim()}>
                      שליחה
                    </Button>
                  </div>
                }
              >
                <p class="text-sm text-muted">הלקוח לא כתב ב-24 השעות האחרונות. לפי כללי WhatsApp ניתן לשלוח רק תבנית מאושרת (Content SID מ-Twilio).</p>
                <div class="grid gap-2 sm:grid-cols-2">
                  <Field label="מזהה תבנית (Content SID)">
                    {(id) => <Input id={id} dir="ltr" placeholder="HX…" value={templateSid()} onInput={(e) => setTemplateSid(e.currentTarget.value)} />}
                  </Field>
                  <Field label="תוכן לתצוגה ביומן">{(id) => <Input id={id} value={templatePreview()} onInput={(e) => setTemplatePreview(e.currentTarget.value)} />}</Field>
                </div>
                <Button type="submit" busy={busy()} disabled={!templateSid().trim()}>
                  שליחת תבנית
                </Button>
              </Show>
              <Show when={error()}>
                <p class="text-sm text-red-600" role="alert" data-testid="send-error">
                  {error()}
                </p>
              </Show>
            </form>
          </div>
        )}
      </Match>
    </Switch>
  );
}
