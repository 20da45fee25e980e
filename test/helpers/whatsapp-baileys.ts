/**
 * The WhatsApp-over-Baileys fixture: the real connection manager, DB auth
 * store, services and local Hebrew agent behind a double of the Baileys
 * socket. Used by test/whatsapp-baileys*.test.ts.
 */
import { and, eq } from "drizzle-orm";
import type { TWhatsAppHub } from "../../api/whatsapp/whatsapp-hub";
import { createWhatsAppHub } from "../../api/whatsapp/whatsapp-hub";
import { createLocalAgent } from "../../core/conversation/brain/local-agent";
import { createEventBus, type TKesherEvent } from "../../core/kernel/events";
import { createLogger } from "../../core/kernel/logger";
import type { TDb } from "../../db/client";
import { whatsappAuth } from "../../db/schema";
import { loadEnv } from "../../env";
import { baileysSocketFactory } from "../doubles/baileys-socket";
import { waitFor } from "./wait-for";

/** The business's own WhatsApp number and a customer's, as Baileys digits. */
export const OWN = "97235550100";
export const CUSTOMER = "972541234567";
/** Wednesday 10:00 in Israel: open per the seeded business hours. */
export const OPEN_NOW = new Date("2026-11-25T08:00:00Z");

/** A hub on a fresh socket factory; events go to `events`, time comes from `now`. */
export function makeBaileysHub(opts: { db: TDb; events: TKesherEvent[]; now: () => Date }): { hub: TWhatsAppHub; sockets: ReturnType<typeof baileysSocketFactory> } {
  const bus = createEventBus();
  bus.subscribe((e) => opts.events.push(e));
  const log = createLogger("silent");
  const sockets = baileysSocketFactory();
  const hub = createWhatsAppHub({
    db: opts.db,
    log,
    events: bus,
    config: loadEnv({ NODE_ENV: "test" }),
    agent: createLocalAgent({ db: opts.db, events: bus, log }),
    socketFactory: sockets.factory,
    twilioClient: null,
    sendGap: { minGapMs: 0, jitterMs: 5 },
    backoff: { baseMs: 5, maxMs: 20, maxAttempts: 3 },
    now: opts.now,
  });
  return { hub, sockets };
}

/** Log in by QR (pairing, the 515 restart), open, and wait until the paired creds and keys are stored. */
export async function pairAndOpen(db: TDb, hub: TWhatsAppHub, sockets: ReturnType<typeof baileysSocketFactory>, businessId: string): Promise<void> {
  await hub.baileys.connect(businessId);
  const first = sockets.last();
  first.showQr();
  await waitFor(() => hub.baileys.status(businessId).qrDataUrl, "QR data URL");
  await first.completePairing(OWN);
  const second = await waitFor(() => (sockets.last() !== first ? sockets.last() : null), "reconnect after 515");
  await second.open();
  await waitFor(() => hub.baileys.status(businessId).state === "open", "open");
  await waitFor(async () => {
    const [row] = await db.select().from(whatsappAuth).where(and(eq(whatsappAuth.businessId, businessId), eq(whatsappAuth.keyType, "creds")));
    const creds = row?.value as { me?: { id?: string }; nextPreKeyId?: number } | undefined;
    return creds?.me?.id === `${OWN}:7@s.whatsapp.net` && creds.nextPreKeyId === 3;
  }, "paired creds stored");
}
