import { Navigate, Router, useLocation, type RouteDefinition, type RouteSectionProps } from "@solidjs/router";
import { Match, Switch, type JSX } from "solid-js";
import { render } from "solid-js/web";
import { Layout } from "./components/layout";
import { OfflineNotice } from "./components/offline-notice";
import { canSee } from "./components/nav";
import { EmptyState, ErrorBox, Spinner } from "./components/ui/states";
import { AuthProvider, useAuth } from "./context/auth";
import { LiveProvider } from "./context/live";
import { ToastStack } from "./context/toasts";
import { LoginPage } from "./routes/login";
import { ROUTES, type TRouteDef } from "./routes/index";
import "./index.css";

/** Logged-in pages: wait for `auth.me`, send strangers to /login. */
function Shell(props: RouteSectionProps) {
  const auth = useAuth();
  const location = useLocation();
  return (
    <Switch>
      <Match when={auth.me.error}>
        <div class="mx-auto max-w-lg p-8 text-center">
          <div class="mx-auto mb-4 grid size-14 place-items-center rounded-2xl bg-brand-700 text-2xl font-bold text-white shadow">ק</div>
          <h1 class="mb-4 text-xl font-bold">{navigator.onLine ? "לא ניתן להתחבר לקשר" : "אתם במצב לא מקוון"}</h1>
          <ErrorBox error={auth.me.error} retry={auth.refresh} />
        </div>
      </Match>
      <Match when={auth.me.state === "pending" || auth.me.state === "unresolved"}>
        <Spinner label="טוען את קשר…" />
      </Match>
      <Match when={!auth.user()}>
        <Navigate href={`/login?next=${encodeURIComponent(location.pathname)}`} />
      </Match>
      <Match when={auth.user()}>
        <LiveProvider>
          <Layout>{props.children}</Layout>
        </LiveProvider>
      </Match>
    </Switch>
  );
}

function Guarded(props: { def: TRouteDef }): JSX.Element {
  const auth = useAuth();
  return (
    <Switch>
      <Match when={canSee(auth.user(), props.def)}>
        <props.def.component />
      </Match>
      <Match when={true}>
        <EmptyState title="אין לך הרשאה לדף זה" hint="פנו למנהל המערכת כדי לקבל גישה." />
      </Match>
    </Switch>
  );
}

const routes: RouteDefinition[] = [
  { path: "/login", component: LoginPage },
  {
    path: "/",
    component: Shell,
    children: [
      ...ROUTES.map((def) => ({ path: def.path, component: () => <Guarded def={def} /> })),
      { path: "*", component: () => <EmptyState title="הדף לא נמצא" hint="ייתכן שהקישור שגוי." /> },
    ],
  },
];

function App() {
  return (
    <AuthProvider>
      <OfflineNotice />
      <Router>{routes}</Router>
      <ToastStack />
    </AuthProvider>
  );
}

render(() => <App />, document.getElementById("root")!);

// The service worker caches the app shell so the dashboard opens offline.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {
      // Offline support is a bonus; the app works without it.
    });
  });
}
