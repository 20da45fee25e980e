import type { TEnv } from "../env";
import type { TDbHandle } from "../db/client";
import type { TLogger } from "../core/kernel/logger";
import type { TEventBus } from "../core/kernel/events";
import type { TStaticAudio } from "./static/static-audio";
import type { TWhatsAppHub } from "./whatsapp/whatsapp-hub";
import type { TJobs } from "./jobs/create-jobs";
import type { TAdmission } from "../realtime/admission";
import type { TPasswordCost } from "../core/kernel/password";

/** Everything the HTTP app needs, passed explicitly (no container). */
export interface TAppDeps {
  config: TEnv;
  dbh: TDbHandle;
  log: TLogger;
  events: TEventBus;
  audio: TStaticAudio;
  /** Auth token used to check Twilio signatures (configured, or the dev token). */
  twilioAuthToken: string | undefined;
  version: string;
  /**
   * The business clock (wall time for business hours, messaging windows, due
   * dates). Production leaves it unset (system time); tests set one clock for
   * the app and every service they build, so no test meets the real date.
   */
  now?: () => Date;
  /** WhatsApp (Baileys + Twilio backup); set by main.ts, absent in tests that do not need it. */
  whatsapp?: TWhatsAppHub;
  /** Background jobs (pg-boss); set by main.ts, absent in tests that do not need it. */
  jobs?: TJobs;
  /**
   * The argon2id cost of passwords set through the app and of the unknown-user
   * dummy a login verifies against. Production leaves it unset (PASSWORD_COST,
   * 64 MiB); test apps set the fixture cost their users are hashed with, so an
   * unknown email and a fixture user's wrong password still cost the same.
   */
  passwordCost?: TPasswordCost;
  /** Media capacity (realtime/admission.ts): over it, /twilio/voice answers with the Record flow. Absent: no limit. */
  admission?: Pick<TAdmission, "reserve">;
}

export interface THonoEnv {
  Variables: {
    log: TLogger;
    requestId: string;
    /** Verified Twilio form parameters (set by verifyTwilioSignature). */
    twilioParams: Record<string, string>;
  };
}
