/**
 * "Send to the customer" for a billing document: WhatsApp when their
 * conversation is open, else SMS (or a channel the user picks). The message
 * lands in the customer's timeline; copying the link stays available.
 */
import { createSignal } from "solid-js";
import { Button } from "../../components/ui/button";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";

export type TSendChannel = "auto" | "whatsapp" | "sms";
const CHANNEL_WORD = { whatsapp: "WhatsApp", sms: "SMS" } as const;

export function SendToCustomer(props: { send: (channel: TSendChannel) => Promise<{ channel: "whatsapp" | "sms" }>; disabled?: boolean; label?: string; onSent?: () => void }) {
  const [channel, setChannel] = createSignal<TSendChannel>("auto");
  const [busy, setBusy] = createSignal(false);
  const go = async () => {
    setBusy(true);
    try {
      const r = await props.send(channel());
      toast({ kind: "success", title: `נשלח ללקוח ב-${CHANNEL_WORD[r.channel]}`, body: "ההודעה נשמרה בציר הזמן של הלקוח" });
      props.onSent?.();
    } catch (err) {
      toast({ kind: "error", title: "השליחה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="inline-flex items-center gap-1">
      <select
        class="rounded-md border border-line bg-white px-1.5 py-1 text-sm"
        aria-label="ערוץ שליחה"
        value={channel()}
        disabled={props.disabled}
        onChange={(e) => setChannel(e.currentTarget.value as TSendChannel)}
      >
        <option value="auto">אוטומטי</option>
        <option value="whatsapp">WhatsApp</option>
        <option value="sms">SMS</option>
      </select>
      <Button size="sm" variant="secondary" busy={busy()} disabled={props.disabled} title={props.disabled ? "למסמך אין לקוח מה-CRM" : undefined} onClick={go}>
        {props.label ?? "שליחה ללקוח"}
      </Button>
    </span>
  );
}
