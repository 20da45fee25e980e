/** "My calendar": the agent's private ICS feed URL of their viewings, to subscribe from Google/Apple Calendar. */
import { createSignal, Show } from "solid-js";
import { Button } from "../../components/ui/button";
import { Modal } from "../../components/ui/modal";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { trpc } from "../../lib/trpc";

export function CalendarFeedButton() {
  const [url, setUrl] = createSignal<string | null>(null);
  const open = async () => {
    try {
      const { path } = await trpc.calendar.myFeed.query();
      setUrl(`${location.origin}${path}`);
    } catch (err) {
      toast({ kind: "error", title: "לא ניתן להציג את קישור היומן", body: errorMessage(err) });
    }
  };
  const copy = async () => {
    await navigator.clipboard?.writeText(url() ?? "");
    toast({ kind: "success", title: "הקישור הועתק" });
  };
  return (
    <>
      <Button variant="secondary" onClick={open} data-testid="calendar-feed">
        היומן שלי
      </Button>
      <Modal open={!!url()} title="הוספת הצפיות ליומן שלך" onClose={() => setUrl(null)}>
        <Show when={url()}>
          {(u) => (
            <div class="space-y-3 text-[15px]">
              <p>
                בגוגל קלנדר: „הוספת יומן” ← „מכתובת URL”. באייפון: הגדרות ← יומן ← חשבונות ← „לוח שנה מנוי”. הקישור אישי וסודי: הוא מציג את פגישות הצפייה שהוקצו לך.
              </p>
              <input readonly dir="ltr" class="w-full rounded-lg border border-line bg-slate-50 px-3 py-2 text-sm" value={u()} data-testid="calendar-feed-url" onFocus={(e) => e.currentTarget.select()} />
              <Button onClick={copy}>העתקת הקישור</Button>
            </div>
          )}
        </Show>
      </Modal>
    </>
  );
}
