/**
 * Who is logged in. `auth.me` runs once at start; login/logout update it.
 * Pages read `useAuth().user()` and guard themselves with `canSee`.
 */
import { createContext, createResource, onCleanup, onMount, useContext, type JSX, type Resource } from "solid-js";
import { trpc, type TRouterOutputs } from "../lib/trpc";

export type TMe = NonNullable<TRouterOutputs["auth"]["me"]>;

interface TAuthCtx {
  me: Resource<TMe | null>;
  user: () => TMe["user"] | null;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): void;
}

const AuthContext = createContext<TAuthCtx>();

export function AuthProvider(props: { children: JSX.Element }) {
  const [me, { refetch, mutate }] = createResource(async () => (await trpc.auth.me.query()) ?? null);
  // Opened offline from the service worker: check the session again once the network is back.
  const onOnline = () => {
    if (me.error) void refetch();
  };
  onMount(() => window.addEventListener("online", onOnline));
  onCleanup(() => window.removeEventListener("online", onOnline));
  const ctx: TAuthCtx = {
    me,
    user: () => (me.state === "ready" || me.state === "refreshing" ? (me.latest?.user ?? null) : null),
    async login(email, password) {
      await trpc.auth.login.mutate({ email, password });
      await refetch();
    },
    async logout() {
      try {
        await trpc.auth.logout.mutate();
      } finally {
        mutate(null);
      }
    },
    refresh: () => void refetch(),
  };
  return <AuthContext.Provider value={ctx}>{props.children}</AuthContext.Provider>;
}

export function useAuth(): TAuthCtx {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}
