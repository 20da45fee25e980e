/** AI and telephony settings: system prompt, greeting (with a listen preview), voice, engine, hours, numbers; own password. */
import { createResource, createSignal, For, Show } from "solid-js";
import { GreetingLengthWarning } from "../../components/greeting-length";
import { Icon } from "../../components/icons";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Field, Input, Select, Textarea } from "../../components/ui/field";
import { ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { audioUrl, playAudio } from "../../lib/audio";
import { WEEKDAYS } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TSettings = TRouterOutputs["settings"]["get"];
type THours = NonNullable<TSettings["businessHours"]>;
type TDay = "0" | "1" | "2" | "3" | "4" | "5" | "6";

const VOICES = [
  { value: "he-IL-Wavenet-A", label: "גוגל Wavenet A (נשי)" },
  { value: "he-IL-Wavenet-B", label: "גוגל Wavenet B (גברי)" },
  { value: "he-IL-Wavenet-C", label: "גוגל Wavenet C (נשי)" },
  { value: "he-IL-Wavenet-D", label: "גוגל Wavenet D (גברי)" },
  { value: "he-IL-Standard-A", label: "גוגל Standard A (נשי)" },
  { value: "he-IL-Standard-B", label: "גוגל Standard B (גברי)" },
];

/** The local voice (espeak-ng), used when no Google credentials are configured. */
const LOCAL_VOICE = "קול מקומי (espeak)";

/** Engine names as the dashboard shows them. */
const ENGINE_LABELS: Record<"pipeline" | "realtime", string> = { pipeline: "צינור", realtime: "בזמן אמת (OpenAI Realtime)" };

/** Half-hour steps, 24-hour clock (a native time input may show AM/PM). */
const TIMES = Array.from({ length: 48 }, (_, i) => {
  const t = `${String(Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`;
  return { value: t, label: t };
});

export default function SettingsPage() {
  const [settings, { refetch, mutate }] = createResource(() => trpc.settings.get.query({}));
  return (
    <div>
      <PageHeader title="הגדרות" subtitle="איך קשר עונה ללקוחות שלכם" />
      <Show when={settings.error}>
        <ErrorBox error={settings.error} retry={refetch} />
      </Show>
      <Show when={settings.latest} fallback={<Show when={!settings.error}><Spinner /></Show>}>
        {(s) => <SettingsForm initial={s()} onSaved={(n) => mutate(n)} />}
      </Show>
      <PasswordCard />
    </div>
  );
}

function SettingsForm(props: { initial: TSettings; onSaved: (s: TSettings) => void }) {
  const init = props.initial;
  const [systemPrompt, setSystemPrompt] = createSignal(init.systemPrompt ?? "");
  const [greetingText, setGreetingText] = createSignal(init.greetingText ?? "");
  const [voice, setVoice] = createSignal(init.voice ?? "he-IL-Wavenet-A");
  const [voiceEngine, setVoiceEngine] = createSignal<string>(init.voiceEngine ?? "auto");
  const [inEffect, setInEffect] = createSignal(init.voiceEngineInEffect);
  // The TTS the server really speaks with ("google", or the local voice): a Google voice chosen here is not in use without credentials.
  const [voiceStatus] = createResource(() => trpc.voice.status.query().catch(() => null));
  const googleInEffect = () => voiceStatus.latest?.promptVoiceEngine === "google";
  const [callMode, setCallMode] = createSignal(init.callMode ?? "stream");
  const [phoneNumber, setPhoneNumber] = createSignal(init.phoneNumber ?? "");
  const [agentPhone, setAgentPhone] = createSignal(init.agentPhone ?? "");
  const [endpointingMs, setEndpointingMs] = createSignal(init.endpointingMs?.toString() ?? "");
  const [hours, setHours] = createSignal<THours>({ ...(init.businessHours ?? {}) });
  const [busy, setBusy] = createSignal(false);
  const [listening, setListening] = createSignal(false);

  const listen = async () => {
    if (!greetingText().trim()) return toast({ kind: "error", title: "אין טקסט להשמעה" });
    setListening(true);
    try {
      const a = await trpc.testCall.speak.mutate({ text: greetingText(), voice: voice() });
      await playAudio(audioUrl(a.audioBase64, a.mimeType));
    } catch (err) {
      toast({ kind: "error", title: "ההשמעה נכשלה", body: errorMessage(err) });
    } finally {
      setListening(false);
    }
  };

  const setDay = (day: TDay, patch: { open?: string; close?: string } | null) => {
    const cur = hours()[day];
    setHours({ ...hours(), [day]: patch === null ? null : { open: cur?.open ?? "09:00", close: cur?.close ?? "18:00", ...patch } });
  };

  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    const silence = endpointingMs().trim() ? Number(endpointingMs()) : undefined;
    if (silence !== undefined && (!Number.isInteger(silence) || silence < 100 || silence > 3000)) {
      return toast({ kind: "error", title: "זמן השקט חייב להיות מספר שלם בין 100 ל-3000" });
    }
    setBusy(true);
    try {
      const saved = await trpc.settings.update.mutate({
        endpointingMs: silence,
        systemPrompt: systemPrompt(),
        greetingText: greetingText(),
        voice: voice(),
        voiceEngine: voiceEngine() as "pipeline" | "realtime" | "auto",
        callMode: callMode() as "stream" | "record",
        businessHours: hours(),
        phoneNumber: phoneNumber().trim() || null,
        agentPhone: agentPhone().trim() || null,
      });
      setInEffect(saved.voiceEngineInEffect);
      props.onSaved(saved);
      toast({ kind: "success", title: "ההגדרות נשמרו" });
    } catch (err) {
      toast({ kind: "error", title: "השמירה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={save} class="grid gap-5 lg:grid-cols-2">
      <Card title="הבינה המלאכותית" class="lg:col-span-2">
        <div class="grid gap-4">
          <Field label="הנחיית מערכת" hint="מה קשר יודע על העסק ואיך הוא מדבר עם לקוחות">
            {(id) => <Textarea id={id} rows={5} value={systemPrompt()} onInput={(e) => setSystemPrompt(e.currentTarget.value)} />}
          </Field>
          <Field label="משפט פתיחה" hint="מושמע מיד כשהשיחה נענית">
            {(id) => (
              <div class="flex flex-wrap items-start gap-2">
                <Textarea id={id} rows={2} class="min-w-[240px] flex-1" value={greetingText()} onInput={(e) => setGreetingText(e.currentTarget.value)} />
                <Button variant="secondary" onClick={listen} busy={listening()}>
                  <Icon name="play" class="size-4" />
                  השמעה
                </Button>
                <div class="basis-full">
                  <GreetingLengthWarning text={greetingText} voice={voice} />
                </div>
              </div>
            )}
          </Field>
        </div>
      </Card>
      <Card title="קול ומנוע">
        <div class="grid gap-4">
          <Field label="קול גוגל" hint={voiceStatus.latest && !googleInEffect() ? "ישמש לאחר הגדרת פרטי גישה לגוגל (GOOGLE_APPLICATION_CREDENTIALS); עד אז עונה הקול המקומי." : undefined}>
            {(id) => <Select id={id} options={VOICES} value={voice()} onChange={(e) => setVoice(e.currentTarget.value)} />}
          </Field>
          <Show when={voiceStatus.latest}>
            <p class="-mt-2 text-sm text-muted" data-testid="voice-in-effect">
              הקול הפעיל: <strong>{googleInEffect() ? (VOICES.find((v) => v.value === voice())?.label ?? voice()) : LOCAL_VOICE}</strong>
              <Show when={inEffect() === "realtime"}> · בשיחות בזמן אמת התשובות נאמרות בקול של OpenAI</Show>
            </p>
          </Show>
          <Field label="מנוע שיחה" hint="צינור: זיהוי דיבור ← מודל שפה ← הקראה. בזמן אמת: OpenAI Realtime">
            {(id) => (
              <Select
                id={id}
                options={[
                  { value: "auto", label: `לפי השרת (${ENGINE_LABELS[init.serverVoiceEngine]})` },
                  { value: "pipeline", label: "צינור (STT → LLM → TTS)" },
                  { value: "realtime", label: "בזמן אמת (OpenAI Realtime)" },
                ]}
                value={voiceEngine()}
                onChange={(e) => setVoiceEngine(e.currentTarget.value)}
              />
            )}
          </Field>
          <p class="-mt-2 text-sm text-muted" data-testid="voice-engine-in-effect">
            המנוע הפעיל בשיחות: <strong>{ENGINE_LABELS[inEffect()]}</strong>
          </p>
          <Field label="מצב מענה">
            {(id) => (
              <Select
                id={id}
                options={[
                  { value: "stream", label: "שיחה עם קשר" },
                  { value: "record", label: "הקלטת הודעה וחזרה ללקוח" },
                ]}
                value={callMode()}
                onChange={(e) => setCallMode(e.currentTarget.value as never)}
              />
            )}
          </Field>
          <Field label="מספר הטלפון של העסק" hint="המספר בטוויליו שהשיחות מגיעות אליו">
            {(id) => <Input id={id} dir="ltr" value={phoneNumber()} onInput={(e) => setPhoneNumber(e.currentTarget.value)} />}
          </Field>
          <Field label="זמן שקט לסוף משפט (מילישניות)" hint="כמה זמן קשר ממתין אחרי שהמתקשר שותק לפני שהוא עונה; ריק = ברירת המחדל">
            {(id) => <Input id={id} dir="ltr" inputmode="numeric" value={endpointingMs()} onInput={(e) => setEndpointingMs(e.currentTarget.value)} />}
          </Field>
          <Field label="מספר נציג להעברת שיחה">{(id) => <Input id={id} dir="ltr" value={agentPhone()} onInput={(e) => setAgentPhone(e.currentTarget.value)} />}</Field>
        </div>
      </Card>
      <Card title="שעות פעילות">
        <ul class="space-y-2">
          <For each={["0", "1", "2", "3", "4", "5", "6"] as TDay[]}>
            {(day) => (
              <li class="flex flex-wrap items-center gap-2">
                <label class="flex w-24 items-center gap-2 font-semibold">
                  <input type="checkbox" class="accent-brand-700" checked={!!hours()[day]} onChange={(e) => setDay(day, e.currentTarget.checked ? {} : null)} />
                  {WEEKDAYS[Number(day)]}
                </label>
                <Show when={hours()[day]} fallback={<span class="text-muted">סגור</span>}>
                  {(h) => (
                    <span class="flex items-center gap-1">
                      <Select aria-label={`פתיחה ${WEEKDAYS[Number(day)]}`} class="w-24 tabular" dir="ltr" options={TIMES} value={h().open} onChange={(e) => setDay(day, { open: e.currentTarget.value })} />
                      <span>עד</span>
                      <Select aria-label={`סגירה ${WEEKDAYS[Number(day)]}`} class="w-24 tabular" dir="ltr" options={TIMES} value={h().close} onChange={(e) => setDay(day, { close: e.currentTarget.value })} />
                    </span>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Card>
      <div class="flex justify-end lg:col-span-2">
        <Button type="submit" busy={busy()}>
          שמירת ההגדרות
        </Button>
      </div>
    </form>
  );
}

function PasswordCard() {
  const [current, setCurrent] = createSignal("");
  const [next, setNext] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (next().length < 8) return toast({ kind: "error", title: "הסיסמה החדשה חייבת להכיל לפחות 8 תווים" });
    setBusy(true);
    try {
      await trpc.auth.changePassword.mutate({ currentPassword: current(), newPassword: next() });
      setCurrent("");
      setNext("");
      toast({ kind: "success", title: "הסיסמה הוחלפה" });
    } catch (err) {
      toast({ kind: "error", title: "החלפת הסיסמה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="הסיסמה שלי" class="mt-5">
      <form onSubmit={submit} class="flex flex-wrap items-end gap-3">
        <Field label="סיסמה נוכחית">{(id) => <Input id={id} type="password" dir="ltr" autocomplete="current-password" value={current()} onInput={(e) => setCurrent(e.currentTarget.value)} />}</Field>
        <Field label="סיסמה חדשה">{(id) => <Input id={id} type="password" dir="ltr" autocomplete="new-password" value={next()} onInput={(e) => setNext(e.currentTarget.value)} />}</Field>
        <Button type="submit" variant="secondary" busy={busy()}>
          החלפת סיסמה
        </Button>
      </form>
    </Card>
  );
}
