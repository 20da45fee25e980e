import { useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createSignal, Show } from "solid-js";
import { Button } from "../components/ui/button";
import { Field, Input } from "../components/ui/field";
import { errorMessage } from "../components/ui/states";
import { useAuth } from "../context/auth";

export function LoginPage() {
  const auth = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const next = () => {
    const n = typeof params.next === "string" ? params.next : "/";
    // Only same-site paths: never bounce to another origin after login.
    return n.startsWith("/") && !n.startsWith("//") ? n : "/";
  };
  createEffect(() => {
    if (auth.user()) navigate(next(), { replace: true });
  });

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(null);
    if (!email().trim() || !password()) {
      setError("נא למלא דוא״ל וסיסמה");
      return;
    }
    setBusy(true);
    try {
      await auth.login(email().trim(), password());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="grid min-h-screen place-items-center bg-gradient-to-b from-brand-50 to-canvas px-4">
      <div class="w-full max-w-sm">
        <div class="mb-6 text-center">
          <div class="mx-auto mb-3 grid size-14 place-items-center rounded-2xl bg-brand-700 text-2xl font-bold text-white shadow">ק</div>
          <h1 class="text-2xl font-bold">כניסה לקשר</h1>
          <p class="mt-1 text-muted">המוקד החכם של הסוכנות שלכם</p>
        </div>
        <form onSubmit={submit} class="space-y-4 rounded-[var(--radius-card)] border border-line bg-white p-6 shadow-[var(--shadow-card)]" novalidate>
          <Field label="דוא״ל">
            {(id) => (
              <Input id={id} name="email" type="email" dir="ltr" autocomplete="username" value={email()} onInput={(e) => setEmail(e.currentTarget.value)} />
            )}
          </Field>
          <Field label="סיסמה">
            {(id) => (
              <Input
                id={id}
                name="password"
                type="password"
                dir="ltr"
                autocomplete="current-password"
                value={password()}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            )}
          </Field>
          <Show when={error()}>
            <p class="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700" role="alert" data-testid="login-error">
              {error()}
            </p>
          </Show>
          <Button type="submit" class="w-full" busy={busy()}>
            כניסה
          </Button>
        </form>
      </div>
    </div>
  );
}
