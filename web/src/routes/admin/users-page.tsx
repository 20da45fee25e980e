/** Users (admin): list, invite with permissions (temporary password shown once), edit permissions, deactivate. */
import { createResource, createSignal, For, Show } from "solid-js";
import { Icon } from "../../components/icons";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Field, Input, Select } from "../../components/ui/field";
import { FormActions } from "../../components/ui/form-actions";
import { Modal } from "../../components/ui/modal";
import { DataTable } from "../../components/ui/table";
import { ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { useAuth } from "../../context/auth";
import { toast } from "../../context/toasts";
import { formatDateTime } from "../../lib/format";
import { PERMISSION_LABEL } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { LeadAssignmentCard } from "./lead-assignment-card";

type TUser = TRouterOutputs["users"]["list"][number];
type TPermission = TUser["permissions"][number];
const ALL = Object.keys(PERMISSION_LABEL) as TPermission[];

export default function UsersPage() {
  const auth = useAuth();
  const [users, { refetch }] = createResource(() => trpc.users.list.query({}));
  const [editing, setEditing] = createSignal<TUser | "new" | null>(null);
  const [temp, setTemp] = createSignal<string | null>(null);

  const toggleActive = async (u: TUser) => {
    try {
      await trpc.users.setActive.mutate({ id: u.id, active: !u.active });
      toast({ kind: "success", title: u.active ? "המשתמש הושבת" : "המשתמש הופעל" });
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "הפעולה נכשלה", body: errorMessage(err) });
    }
  };

  return (
    <div>
      <PageHeader
        title="משתמשים"
        actions={
          <Button onClick={() => setEditing("new")}>
            <Icon name="plus" class="size-4" />
            משתמש חדש
          </Button>
        }
      />
      <Show when={users.error}>
        <ErrorBox error={users.error} retry={refetch} />
      </Show>
      <Card padded={false}>
        <Show when={users.latest} fallback={<Show when={!users.error}><Spinner /></Show>}>
          {(list) => (
            <DataTable
              rows={list()}
              columns={[
                { key: "name", header: "שם", cell: (u) => <span class="font-semibold">{u.fullName}</span> },
                { key: "email", header: "דוא״ל", cell: (u) => <bdi dir="ltr">{u.email}</bdi> },
                { key: "role", header: "תפקיד", cell: (u) => <Badge tone={u.role === "admin" ? "violet" : "gray"}>{u.role === "admin" ? "מנהל מערכת" : "צוות"}</Badge> },
                {
                  key: "perms",
                  header: "הרשאות",
                  cell: (u) => <span class="text-sm text-slate-600">{u.role === "admin" ? "הכול" : u.permissions.map((p) => PERMISSION_LABEL[p] ?? p).join(", ") || "—"}</span>,
                },
                { key: "last", header: "כניסה אחרונה", cell: (u) => <span class="tabular text-sm">{formatDateTime(u.lastLoginAt)}</span> },
                { key: "active", header: "מצב", cell: (u) => <Badge tone={u.active ? "green" : "red"}>{u.active ? "פעיל" : "מושבת"}</Badge> },
                {
                  key: "actions",
                  header: "",
                  cell: (u) => (
                    <div class="flex justify-end gap-1">
                      <Button size="sm" variant="secondary" onClick={() => setEditing(u)}>
                        עריכה
                      </Button>
                      <Show when={u.id !== auth.user()?.id}>
                        <Button size="sm" variant="ghost" onClick={() => toggleActive(u)}>
                          {u.active ? "השבתה" : "הפעלה"}
                        </Button>
                      </Show>
                    </div>
                  ),
                },
              ]}
            />
          )}
        </Show>
      </Card>
      <Show when={auth.user()?.role === "admin" || auth.user()?.permissions.includes("settings")}>
        <LeadAssignmentCard />
      </Show>
      <Show when={editing()}>
        {(e) => (
          <UserForm
            user={e() === "new" ? null : (e() as TUser)}
            onClose={() => setEditing(null)}
            onSaved={(password) => {
              setEditing(null);
              if (password) setTemp(password);
              toast({ kind: "success", title: "המשתמש נשמר" });
              void refetch();
            }}
          />
        )}
      </Show>
      <Modal open={!!temp()} title="סיסמה זמנית" onClose={() => setTemp(null)}>
        <p>מסרו למשתמש את הסיסמה הזמנית. היא מוצגת פעם אחת בלבד.</p>
        <p class="mt-3 rounded-lg bg-slate-100 p-3 text-center text-lg font-bold" dir="ltr" data-testid="temp-password">
          {temp()}
        </p>
      </Modal>
    </div>
  );
}

function UserForm(props: { user: TUser | null; onClose: () => void; onSaved: (tempPassword?: string) => void }) {
  const u = props.user;
  const [fullName, setFullName] = createSignal(u?.fullName ?? "");
  const [email, setEmail] = createSignal(u?.email ?? "");
  const [role, setRole] = createSignal<TUser["role"]>(u?.role ?? "business");
  const [perms, setPerms] = createSignal<TPermission[]>(u?.permissions ?? ["calls", "customers", "properties", "appointments", "tasks"]);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const toggle = (p: TPermission) => setPerms(perms().includes(p) ? perms().filter((x) => x !== p) : [...perms(), p]);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (u) {
        await trpc.users.update.mutate({ id: u.id, fullName: fullName(), role: role(), permissions: perms() });
        props.onSaved();
      } else {
        const r = await trpc.users.create.mutate({ email: email().trim(), fullName: fullName().trim(), role: role(), permissions: perms() });
        props.onSaved(r.temporaryPassword ?? undefined);
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={u ? "עריכת משתמש" : "משתמש חדש"} onClose={props.onClose}>
      <form onSubmit={submit} class="grid gap-4" novalidate>
        <Field label="שם מלא">{(id) => <Input id={id} value={fullName()} onInput={(e) => setFullName(e.currentTarget.value)} />}</Field>
        <Field label="דוא״ל">{(id) => <Input id={id} type="email" dir="ltr" disabled={!!u} value={email()} onInput={(e) => setEmail(e.currentTarget.value)} />}</Field>
        <Field label="תפקיד">
          {(id) => (
            <Select
              id={id}
              options={[
                { value: "business", label: "צוות" },
                { value: "admin", label: "מנהל מערכת" },
              ]}
              value={role()}
              onChange={(e) => setRole(e.currentTarget.value as TUser["role"])}
            />
          )}
        </Field>
        <fieldset>
          <legend class="mb-1 text-sm font-semibold text-slate-700">הרשאות</legend>
          <div class="grid grid-cols-2 gap-1">
            <For each={ALL}>
              {(p) => (
                <label class="flex items-center gap-2">
                  <input type="checkbox" class="accent-brand-700" checked={perms().includes(p)} onChange={() => toggle(p)} />
                  {PERMISSION_LABEL[p]}
                </label>
              )}
            </For>
          </div>
        </fieldset>
        <FormActions error={error()} busy={busy()} onCancel={() => props.onClose()} />
      </form>
    </Modal>
  );
}
