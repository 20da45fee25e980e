/** The dependencies of sendToCustomer for this process, built once from the app's. */
import { createTwilioClient, type TTwilioClient } from "../../core/kernel/twilio-client";
import type { TSendToCustomerDeps } from "../services/messaging/send-to-customer";
import type { TAppDeps } from "../types";

export function messagingDepsOf(deps: Pick<TAppDeps, "dbh" | "log" | "events" | "config" | "whatsapp" | "now">, twilioClient?: TTwilioClient | null): TSendToCustomerDeps {
  return {
    db: deps.dbh.db,
    log: deps.log.child({ module: "messaging" }),
    events: deps.events,
    twilioClient: twilioClient === undefined ? createTwilioClient(deps.config.twilio) : twilioClient,
    publicBaseUrl: deps.config.publicBaseUrl,
    // Late-bound: main.ts sets deps.whatsapp after the app deps exist.
    get whatsapp() {
      return deps.whatsapp ?? null;
    },
    now: deps.now,
  };
}
