/**
 * `bun run bench:brain` — how fast the local brain thinks: NLU per utterance,
 * and whole local-agent turns (NLU + dialog + tools on a real embedded
 * database: search, lead upsert, booking) over the demo caller script.
 * Prints numbers; asserts nothing.
 *
 *   bun run bench:brain [conversations=40]
 */
import { createEventBus } from "../../core/kernel/events";
import { createLogger } from "../../core/kernel/logger";
import { createDb } from "../../db/client";
import { seedDemo } from "../../db/seed/seed-demo";
import { DEMO_CALLER_SCRIPT } from "../../core/conversation/brain/demo-script";
import { createLocalAgent } from "../../core/conversation/brain/local-agent";
import { parseUtterance } from "../../core/conversation/brain/nlu";
import type { TConversationContext } from "../../core/conversation/brain/types";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

const conversations = Number(process.argv[2] ?? 40);
const utterances = [
  ...DEMO_CALLER_SCRIPT,
  "אני מחפשת לשכור משרד בת״א עד 25 אלף שקל",
  "לא, בעצם 5 חדרים",
  "ביום שלישי בעשר בבוקר",
  "שלושה וחצי חדרים בגבעתיים",
  "אני רוצה לדבר עם נציג",
];

const nluTimes: number[] = [];
for (let i = 0; i < 20_000; i++) {
  const text = utterances[i % utterances.length]!;
  const t0 = performance.now();
  parseUtterance(text);
  nluTimes.push(performance.now() - t0);
}

const h = await createDb({});
await h.migrate();
const seed = await seedDemo(h.db, { adminPassword: "bench-password-1" });
const agent = createLocalAgent({ db: h.db, events: createEventBus(), log: createLogger("silent") });
const turnTimes: number[] = [];
const t0 = performance.now();
for (let c = 0; c < conversations; c++) {
  const ctx: TConversationContext = {
    businessId: seed.businessId!,
    channel: "call",
    callerPhone: `+97254${String(1_000_000 + c).padStart(7, "0")}`,
    history: [],
    state: {},
  };
  for (const line of DEMO_CALLER_SCRIPT) {
    const start = performance.now();
    for await (const _ev of agent.reply({ text: line, ctx })) {
      // drain
    }
    turnTimes.push(performance.now() - start);
  }
}
const wall = performance.now() - t0;
await h.close();

console.log(`NLU parse (${nluTimes.length} utterances): p50 ${fmt(pct(nluTimes, 50))}  p95 ${fmt(pct(nluTimes, 95))}  p99 ${fmt(pct(nluTimes, 99))}`);
console.log(
  `local agent turn incl. PGlite tools (${turnTimes.length} turns, ${conversations} conversations): p50 ${fmt(pct(turnTimes, 50))}  p95 ${fmt(pct(turnTimes, 95))}  p99 ${fmt(pct(turnTimes, 99))}  max ${fmt(Math.max(...turnTimes))}`,
);
console.log(`conversations booked end to end: ${conversations} in ${(wall / 1000).toFixed(2)} s`);
