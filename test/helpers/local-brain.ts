/**
 * The local Hebrew brain on a real database: the seeded demo agency, a rival
 * business with one listing (for tenant scoping), the tools' dependencies, the
 * events they publish, and a caller's conversation helper. Used by
 * test/local-brain*.test.ts.
 */
import { createLocalAgent } from "../../core/conversation/brain/local-agent";
import { createFollowUpQueue } from "../../core/conversation/brain/tools/follow-up-queue";
import type { TToolDeps } from "../../core/conversation/brain/tools/types";
import type { TAgentEvent, TConversationContext } from "../../core/conversation/brain/types";
import { createEventBus, type TKesherEvent } from "../../core/kernel/events";
import { createLogger } from "../../core/kernel/logger";
import { businesses, properties } from "../../db/schema";
import { DEMO_BUSINESS } from "../../db/seed/seed-demo";
import { eq } from "drizzle-orm";
import { createTestDb, type TDbKind, type TTestDb } from "./db";

/** Wednesday 25 Nov 2026, 12:00 in Jerusalem. */
export const NOW = new Date("2026-11-25T10:00:00Z");

export interface TTurn {
  text: string;
  tools: Array<Extract<TAgentEvent, { type: "tool" }>>;
  action?: string;
}

export interface TBrainFixture {
  h: TTestDb;
  businessId: string;
  otherBusinessId: string;
  otherPropertyId: string;
  deps: TToolDeps;
  published: TKesherEvent[];
  /** A new conversation's context (a call unless `extra` says otherwise). */
  newCall(phone: string | null, extra?: Partial<TConversationContext>): TConversationContext;
  /** One caller turn through the brain at NOW: its text, tool calls and action. */
  say(ctx: TConversationContext, text: string): Promise<TTurn>;
}

export async function startBrainFixture(kind: TDbKind): Promise<TBrainFixture> {
  const h = await createTestDb(kind, { seeded: true });
  const [demo] = await h.db.select({ id: businesses.id }).from(businesses).where(eq(businesses.slug, DEMO_BUSINESS.slug));
  const businessId = demo!.id;
  const published: TKesherEvent[] = [];
  const events = createEventBus();
  events.subscribe((e) => published.push(e));
  const deps: TToolDeps = { db: h.db, events, log: createLogger("silent"), followUps: createFollowUpQueue({ db: h.db, events, log: createLogger("silent") }) };
  const [other] = await h.db.insert(businesses).values({ name: "מתחרים בע״מ", slug: "rivals" }).returning();
  const [p] = await h.db
    .insert(properties)
    .values({ businessId: other!.id, title: "דירת 4 חדרים של המתחרים", dealType: "sale", propertyType: "apartment", city: "רמת גן", rooms: 4, price: 3_000_000 })
    .returning();
  const agent = () => createLocalAgent({ ...deps, now: () => NOW });
  return {
    h,
    businessId,
    otherBusinessId: other!.id,
    otherPropertyId: p!.id,
    deps,
    published,
    newCall: (phone, extra = {}) => ({
      businessId,
      channel: "call",
      callerPhone: phone,
      history: [],
      state: {},
      businessName: "שי דירות ומשרדים",
      ...extra,
    }),
    async say(ctx, text) {
      const turn: TTurn = { text: "", tools: [] };
      for await (const ev of agent().reply({ text, ctx })) {
        if (ev.type === "text") turn.text += ev.delta;
        else if (ev.type === "tool") turn.tools.push(ev);
        else if (ev.type === "action") turn.action = ev.action;
      }
      return turn;
    },
  };
}
