/**
 * "שיחת ניסיון": talk to Kesher from the browser. Staff type a caller line or
 * click a scripted one; Kesher answers through the same agent and voice as a
 * phone call, its audio plays, and the call is logged (open it from here).
 */
import { A } from "@solidjs/router";
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { Icon } from "../../components/icons";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Input } from "../../components/ui/field";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { audioUrl, playAudio, stopAudio } from "../../lib/audio";
import { formatMs } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { Transcript, type TTranscriptTurn } from "../calls/transcript";

type TAnswer = TRouterOutputs["testCall"]["start"];

export default function TestCallPage() {
  const [scripts] = createResource(() => trpc.testCall.scripts.query());
  const [callId, setCallId] = createSignal<string | null>(null);
  const [ended, setEnded] = createSignal(false);
  const [turns, setTurns] = createSignal<TTranscriptTurn[]>([]);
  const [text, setText] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [muted, setMuted] = createSignal(false);
  const [lastLatency, setLastLatency] = createSignal<number | null>(null);
  let list: HTMLDivElement | undefined;

  const absorb = (a: TAnswer) => {
    const now = new Date().toISOString();
    setTurns([...turns(), ...a.turns.map((t) => ({ ...t, startedAt: now, interrupted: false }))]);
    const said = a.turns.find((t) => t.speaker === "assistant");
    setLastLatency(said?.metrics?.totalMs ?? null);
    queueMicrotask(() => list?.scrollTo({ top: list.scrollHeight, behavior: "smooth" }));
    if (a.audio && !muted()) void playAudio(audioUrl(a.audio.audioBase64, a.audio.mimeType));
    if (a.action) {
      setEnded(true);
      toast({ kind: "info", title: a.action === "transfer" ? "קשר העביר את השיחה לנציג" : "קשר סיים את השיחה" });
    }
  };

  const start = async () => {
    setBusy(true);
    try {
      setTurns([]);
      setEnded(false);
      const a = await trpc.testCall.start.mutate({});
      setCallId(a.callId);
      absorb(a);
    } catch (err) {
      toast({ kind: "error", title: "לא ניתן להתחיל שיחה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const say = async (line: string) => {
    const id = callId();
    if (!id || !line.trim() || busy()) return;
    setBusy(true);
    stopAudio();
    try {
      absorb(await trpc.testCall.say.mutate({ callId: id, text: line.trim() }));
      setText("");
    } catch (err) {
      toast({ kind: "error", title: "ההודעה לא נשלחה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const hangUp = async () => {
    const id = callId();
    if (!id) return;
    stopAudio();
    try {
      await trpc.testCall.end.mutate({ callId: id });
      setEnded(true);
    } catch (err) {
      toast({ kind: "error", title: "סיום השיחה נכשל", body: errorMessage(err) });
    }
  };
  onCleanup(() => {
    stopAudio();
    if (callId() && !ended()) void trpc.testCall.end.mutate({ callId: callId()! }).catch(() => {});
  });

  return (
    <div>
      <PageHeader
        title="שיחת ניסיון"
        subtitle="דברו עם קשר כאילו אתם לקוח: כתבו משפט או בחרו אחד מוכן. השיחה נרשמת כמו שיחה אמיתית."
        actions={
          <>
            <label class="flex items-center gap-2 text-sm">
              <input type="checkbox" class="accent-brand-700" checked={!muted()} onChange={(e) => setMuted(!e.currentTarget.checked)} />
              השמעת קול
            </label>
            <Show
              when={callId() && !ended()}
              fallback={
                <Button onClick={start} busy={busy() && !callId()}>
                  <Icon name="phone" class="size-4" />
                  {callId() ? "שיחה חדשה" : "התחלת שיחה"}
                </Button>
              }
            >
              <Button variant="danger" onClick={hangUp}>
                ניתוק
              </Button>
            </Show>
          </>
        }
      />
      <div class="grid gap-5 lg:grid-cols-3">
        <Card class="lg:col-span-2" padded={false}>
          <div ref={list} class="h-[52vh] overflow-y-auto bg-slate-50/60 p-5">
            <Show
              when={turns().length}
              fallback={
                <div class="grid h-full place-items-center text-center text-muted">
                  <div>
                    <div class="mx-auto mb-3 grid size-14 place-items-center rounded-full bg-brand-50 text-brand-700">
                      <Icon name="mic" class="size-7" />
                    </div>
                    <p>לחצו ״התחלת שיחה״ וקשר יענה בברכת הפתיחה של העסק.</p>
                  </div>
                </div>
              }
            >
              <Transcript turns={turns()} />
            </Show>
          </div>
          <form
            class="flex gap-2 border-t border-line p-3"
            onSubmit={(e) => {
              e.preventDefault();
              void say(text());
            }}
          >
            <Input
              aria-label="מה המתקשר אומר"
              placeholder={callId() && !ended() ? "כתבו מה המתקשר אומר…" : "התחילו שיחה כדי לדבר"}
              disabled={!callId() || ended()}
              value={text()}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <Button type="submit" disabled={!callId() || ended() || !text().trim()} busy={busy() && !!callId()}>
              שליחה
            </Button>
          </form>
        </Card>
        <div class="space-y-5">
          <Card title="משפטים מוכנים">
            <div class="flex flex-col gap-2">
              <For each={scripts.latest ?? []}>
                {(s) => (
                  <button
                    type="button"
                    disabled={!callId() || ended() || busy()}
                    class="rounded-lg border border-line bg-white px-3 py-2 text-start hover:border-brand-200 hover:bg-brand-50 disabled:opacity-50"
                    onClick={() => void say(s.text)}
                  >
                    <div class="text-xs font-semibold text-brand-700">{s.label}</div>
                    <div>{s.text}</div>
                  </button>
                )}
              </For>
            </div>
          </Card>
          <Show when={callId()}>
            <Card title="מה קורה מאחורי הקלעים">
              <dl class="grid grid-cols-2 gap-y-2 text-[15px]">
                <dt class="text-muted">זמן תגובה אחרון</dt>
                <dd>
                  <bdi dir="ltr" class="tabular">
                    {formatMs(lastLatency())}
                  </bdi>
                </dd>
                <dt class="text-muted">תורות בשיחה</dt>
                <dd class="tabular">{turns().filter((t) => t.speaker !== "tool").length}</dd>
              </dl>
              <A href={`/calls/${callId()}`} class="mt-3 inline-block font-semibold text-brand-700 hover:underline">
                פתיחת השיחה ביומן השיחות
              </A>
            </Card>
          </Show>
        </div>
      </div>
    </div>
  );
}
