/**
 * A real CallSession on a real database driven by the simulated Twilio phone,
 * for fault tests: everything the session sends is recorded synchronously,
 * the phone plays it back on the rig's clock and echoes marks. Pass a virtual
 * clock to run the call faster than real time.
 */
import { createEventBus, type TKesherEvent } from "../../core/kernel/events";
import type { TLogger } from "../../core/kernel/logger";
import type { TDb } from "../../db/client";
import type { TClock } from "../../realtime/clock";
import type { TCallRecorder } from "../../realtime/persist/call-recorder";
import { createCallSession, type TCallSession, type TSessionOptions, type TSessionProviders } from "../../realtime/call-session";
import { createSimPhone, type TSimEvent, type TSimPhone } from "../../realtime/tools/sim-phone";
import type { TVoicePrompts } from "../../core/conversation/voice-prompts";

export interface TSessionRig {
  session: TCallSession;
  phone: TSimPhone;
  events: TSimEvent[];
  sent: string[];
  bus: TKesherEvent[];
  /** Number of times Kesher's audio finished playing (greeting included). */
  played(): number;
  finish(): Promise<void>;
}

export function sessionRig(input: {
  db: TDb;
  log: TLogger;
  prompts: TVoicePrompts;
  providers: TSessionProviders;
  params: Record<string, string>;
  script: string[];
  options?: TSessionOptions;
  clock?: TClock;
  /** The call's persistence (default: the session's own recorder). */
  recorder?: TCallRecorder;
}): TSessionRig {
  const bus = createEventBus();
  const busEvents: TKesherEvent[] = [];
  bus.subscribe((e) => busEvents.push(e));
  const events: TSimEvent[] = [];
  const sent: string[] = [];
  let phone!: TSimPhone;
  const session = createCallSession({
    providers: input.providers,
    prompts: input.prompts,
    db: input.db,
    log: input.log,
    events: bus,
    send: (t) => {
      sent.push(t);
      queueMicrotask(() => phone.receive(t));
    },
    options: input.options,
    clock: input.clock,
    recorder: input.recorder,
  });
  phone = createSimPhone({ send: (t) => session.handle(t), callSid: input.params.callSid, onEvent: (e) => events.push(e), clock: input.clock });
  phone.start({ simScript: JSON.stringify(input.script), ...input.params });
  return {
    session,
    phone,
    events,
    sent,
    bus: busEvents,
    played: () => events.filter((e) => e.type === "kesher-end").length,
    async finish() {
      phone.stop();
      await session.end("test");
    },
  };
}
