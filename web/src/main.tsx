import { render } from "solid-js/web";
import "./index.css";

function App() {
  return (
    <main class="min-h-screen grid place-items-center bg-slate-50 text-slate-900">
      <div class="text-center">
        <h1 class="text-3xl font-bold">קשר</h1>
        <p class="mt-2 text-slate-600">מוקד חכם לשי דירות ומשרדים</p>
      </div>
    </main>
  );
}

render(() => <App />, document.getElementById("root")!);
