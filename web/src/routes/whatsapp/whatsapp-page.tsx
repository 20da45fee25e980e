/**
 * WhatsApp connection: which provider answers (Baileys = WhatsApp Web on the
 * business phone, or Twilio WhatsApp as backup), the live Baileys state, and
 * login by QR code or pairing code. Polls while a login is in progress.
 */
import { createResource, createSignal, Match, onCleanup, Show, Switch } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Field, Input } from "../../components/ui/field";
import { Ltr, Phone } from "../../components/ui/ltr";
import { ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatDateTime } from "../../lib/format";
import type { TTone } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TConnection = TRouterOutputs["conversations"]["connection"];

const STATE: Record<TConnection["state"], { label: string; tone: TTone }> = {
  idle: { label: "לא מחובר", tone: "gray" },
  connecting: { label: "מתחבר…", tone: "amber" },
  qr: { label: "ממתין לסריקת קוד QR", tone: "amber" },
  pairing_code: { label: "ממתין לקוד צימוד", tone: "amber" },
  open: { label: "מחובר", tone: "green" },
  reconnecting: { label: "מתחבר מחדש…", tone: "amber" },
  logged_out: { label: "נותק מהטלפון — יש להתחבר מחדש", tone: "red" },
  stopped: { label: "מנותק", tone: "red" },
};

const REASON: Record<string, string> = {
  connection_replaced: "החיבור נפתח במקום אחר (WhatsApp Web נוסף). לא נתחבר מחדש אוטומטית.",
  forbidden: "WhatsApp חסם את החיבור. בדקו את המספר לפני חיבור מחדש.",
  too_many_attempts: "ניסיונות החיבור נכשלו שוב ושוב.",
  logged_out: "המכשיר הוסר מהטלפון.",
  logged_out_by_user: "התנתקתם מהחיבור.",
  bad_session: "נתוני החיבור פגומים ונמחקו.",
  stopped: "החיבור נעצר.",
};

const PENDING = new Set<TConnection["state"]>(["connecting", "qr", "pairing_code", "reconnecting"]);

export default function WhatsAppPage() {
  const [conn, { refetch, mutate }] = createResource(() => trpc.conversations.connection.query());
  const [busy, setBusy] = createSignal(false);
  const [pairingPhone, setPairingPhone] = createSignal("");

  // Poll while WhatsApp is waiting for the phone; the QR rotates every ~20 s.
  const poll = setInterval(() => {
    if (conn.latest && PENDING.has(conn.latest.state)) void refetch();
  }, 1500);
  onCleanup(() => clearInterval(poll));

  const run = async (fn: () => Promise<TConnection>, done?: string) => {
    setBusy(true);
    try {
      mutate(await fn());
      if (done) toast({ kind: "success", title: done });
    } catch (err) {
      toast({ kind: "error", title: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const setProvider = async (provider: "baileys" | "twilio") => {
    setBusy(true);
    try {
      await trpc.settings.update.mutate({ whatsappProvider: provider });
      await refetch();
      toast({ kind: "success", title: provider === "twilio" ? "הודעות יישלחו דרך Twilio WhatsApp" : "הודעות יישלחו דרך WhatsApp Web" });
    } catch (err) {
      toast({ kind: "error", title: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title="חיבור וואטסאפ" subtitle="חיבור המספר של העסק כדי שהעוזר יענה ללקוחות בוואטסאפ." />
      <Switch>
        <Match when={conn.error}>
          <ErrorBox error={conn.error} retry={refetch} />
        </Match>
        <Match when={!conn.latest}>
          <Spinner />
        </Match>
        <Match when={conn.latest}>
          {(c) => (
            <div class="grid gap-5 lg:grid-cols-2">
              <Card title="ספק שליחה">
                <p class="mb-3 text-[15px]">
                  כרגע: <strong>{c().provider === "twilio" ? "Twilio WhatsApp (גיבוי רשמי)" : "WhatsApp Web בטלפון העסק (Baileys)"}</strong>
                </p>
                <Show when={c().whatsappNumber}>
                  <p class="mb-3 text-sm text-muted">
                    מספר העסק: <Phone value={c().whatsappNumber} />
                  </p>
                </Show>
                <div class="flex flex-wrap gap-2">
                  <Button variant={c().provider === "baileys" ? "primary" : "secondary"} busy={busy()} onClick={() => void setProvider("baileys")}>
                    WhatsApp Web
                  </Button>
                  <Button variant={c().provider === "twilio" ? "primary" : "secondary"} busy={busy()} disabled={!c().twilioConfigured} onClick={() => void setProvider("twilio")}>
                    Twilio WhatsApp
                  </Button>
                </div>
                <Show when={!c().twilioConfigured}>
                  <p class="mt-2 text-sm text-muted">Twilio אינו מוגדר בשרת (חסרים TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN).</p>
                </Show>
                <p class="mt-3 text-sm text-muted">
                  ב-Twilio חל כלל 24 השעות: מחוץ לחלון ניתן לשלוח רק תבניות מאושרות. כתובת ה-webhook להודעות נכנסות:{" "}
                  <Ltr class="break-all">{`${location.origin}/webhook/whatsapp/inbound`}</Ltr>
                </p>
              </Card>

              <Card title="WhatsApp Web (Baileys)" actions={<Badge tone={STATE[c().state].tone}>{STATE[c().state].label}</Badge>}>
                <div class="space-y-4" data-testid="wa-connection" data-state={c().state}>
                  <Show when={c().state === "open"}>
                    <p class="text-[15px]">
                      מחובר כ-<Phone value={c().me} />
                    </p>
                  </Show>
                  <Show when={c().reason && REASON[c().reason!] && !PENDING.has(c().state) && c().state !== "open"}>
                    <p class="text-sm text-red-700">{REASON[c().reason!]}</p>
                  </Show>
                  <Show when={c().qrDataUrl}>
                    <div class="flex flex-col items-center gap-2">
                      <img src={c().qrDataUrl!} alt="קוד QR להתחברות לוואטסאפ" class="size-64 rounded-lg border border-line bg-white p-2" data-testid="wa-qr" />
                      <p class="text-center text-sm text-muted">בטלפון: וואטסאפ ← הגדרות ← מכשירים מקושרים ← קישור מכשיר, וסרקו את הקוד.</p>
                    </div>
                  </Show>
                  <Show when={c().pairingCode}>
                    <div class="text-center">
                      <p class="text-sm text-muted">הזינו בטלפון (מכשירים מקושרים ← קישור עם מספר טלפון):</p>
                      <p class="mt-1 text-3xl font-bold tracking-widest" data-testid="wa-pairing-code">
                        <Ltr>{c().pairingCode}</Ltr>
                      </p>
                    </div>
                  </Show>
                  <Show when={!PENDING.has(c().state) && c().state !== "open"}>
                    <div class="flex flex-wrap items-end gap-2">
                      <Button busy={busy()} onClick={() => void run(() => trpc.conversations.connect.mutate())} data-testid="wa-connect">
                        התחברות עם קוד QR
                      </Button>
                    </div>
                    <form
                      class="flex flex-wrap items-end gap-2"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void run(() => trpc.conversations.connect.mutate({ pairingPhone: pairingPhone() }));
                      }}
                    >
                      <Field label="או קוד צימוד למספר" class="w-56">
                        {(id) => <Input id={id} dir="ltr" inputmode="tel" placeholder="+972 54-123-4567" value={pairingPhone()} onInput={(e) => setPairingPhone(e.currentTarget.value)} />}
                      </Field>
                      <Button type="submit" variant="secondary" busy={busy()} disabled={!pairingPhone().trim()}>
                        קבלת קוד צימוד
                      </Button>
                    </form>
                  </Show>
                  <Show when={PENDING.has(c().state) || c().state === "open"}>
                    <div class="flex flex-wrap gap-2">
                      <Button variant="secondary" busy={busy()} onClick={() => void run(() => trpc.conversations.disconnect.mutate(), "החיבור נעצר")}>
                        עצירת החיבור
                      </Button>
                      <Show when={c().state === "open"}>
                        <Button
                          variant="danger"
                          busy={busy()}
                          onClick={() => {
                            if (confirm("להתנתק ולמחוק את החיבור? יהיה צורך לסרוק קוד QR מחדש.")) void run(() => trpc.conversations.logout.mutate(), "התנתקתם מוואטסאפ");
                          }}
                        >
                          התנתקות
                        </Button>
                      </Show>
                    </div>
                  </Show>
                  <p class="text-xs text-muted">
                    {/* A connection never set up has no real update time (epoch 0): say so instead of "01/01/1970". */}
                    {Date.parse(c().updatedAt) > 0 ? (
                      <>
                        עודכן <span class="tabular">{formatDateTime(c().updatedAt)}</span>
                      </>
                    ) : (
                      "טרם חובר"
                    )}
                    <Show when={c().reconnectAttempts > 0}> · ניסיונות חיבור: <span class="tabular">{c().reconnectAttempts}</span></Show>
                  </p>
                </div>
              </Card>
            </div>
          )}
        </Match>
      </Switch>
    </div>
  );
}
