/**
 * Chat-style transcript: the caller on the right (start side), Kesher on the
 * left, tool actions as small centred notes. Interrupted turns are marked,
 * and each assistant turn shows its response latency.
 */
import { For, Match, Show, Switch } from "solid-js";
import { formatMs, formatTime } from "../../lib/format";
import { SPEAKER } from "../../lib/labels";

export interface TTranscriptTurn {
  seq: number;
  speaker: string;
  text: string;
  startedAt: string;
  interrupted: boolean;
  toolName?: string | null;
  metrics?: Record<string, number> | null;
}

const TOOL_LABEL: Record<string, string> = {
  create_or_update_lead: "פרטי הליד נשמרו",
  search_properties: "חיפוש נכסים",
  book_viewing: "נקבעה פגישת צפייה",
  transfer_to_human: "העברה לנציג",
  end_call: "סיום שיחה",
};

/** The figure shown under a turn: full turn latency, else time to first audio. */
export function turnLatency(m: Record<string, number> | null | undefined): number | undefined {
  return m?.totalMs ?? m?.firstFrameMs ?? m?.llmFirstTokenMs;
}

export function Transcript(props: { turns: TTranscriptTurn[] }) {
  return (
    <ol class="flex flex-col gap-3" data-testid="transcript">
      <For each={props.turns}>
        {(t) => (
          <Switch>
            <Match when={t.speaker === "tool" || t.speaker === "system"}>
              <li class="self-center rounded-full bg-slate-100 px-3 py-1 text-xs text-slate-600">
                {t.toolName ? (TOOL_LABEL[t.toolName] ?? t.toolName) : t.text}
              </li>
            </Match>
            <Match when={true}>
              <li class={`flex max-w-[80%] flex-col ${t.speaker === "caller" ? "self-start items-start" : "self-end items-end"}`} data-speaker={t.speaker}>
                <span class="mb-0.5 px-1 text-xs text-muted">
                  {SPEAKER[t.speaker] ?? t.speaker} · <span class="tabular">{formatTime(t.startedAt)}</span>
                </span>
                <div
                  class={`rounded-2xl px-4 py-2.5 leading-relaxed shadow-sm ${
                    t.speaker === "caller" ? "rounded-ss-sm bg-white border border-line" : t.speaker === "staff" ? "rounded-se-sm bg-violet-50" : "rounded-se-sm bg-brand-700 text-white"
                  } ${t.interrupted ? "opacity-80" : ""}`}
                >
                  {t.text}
                  <Show when={t.interrupted}>
                    <span class="ms-1 font-bold" title="המתקשר קטע את התשובה">
                      …
                    </span>
                  </Show>
                </div>
                <div class="mt-0.5 flex gap-2 px-1 text-xs text-muted">
                  <Show when={t.interrupted}>
                    <span class="rounded bg-amber-100 px-1.5 text-amber-800" data-testid="interrupted">
                      נקטע ע״י המתקשר
                    </span>
                  </Show>
                  <Show when={t.speaker === "assistant" && turnLatency(t.metrics) !== undefined}>
                    <span>
                      זמן תגובה <bdi dir="ltr" class="tabular">{formatMs(turnLatency(t.metrics))}</bdi>
                    </span>
                  </Show>
                </div>
              </li>
            </Match>
          </Switch>
        )}
      </For>
    </ol>
  );
}
