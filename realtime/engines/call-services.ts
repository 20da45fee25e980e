/**
 * The port through which a call session reaches beyond the media path: Twilio
 * REST actions (transfer, hangup, watchdog redirect), the watchdog and post-call
 * analysis. Implemented by the composition root (api/runtime/call-services.ts)
 * so the media side never imports the HTTP side.
 */
import type { TWatchdog } from "../watchdog";

export interface TCallRefInfo {
  callSid: string;
  businessId?: string;
  callId?: string;
  /**
   * Public origin the signed voice webhook saw, when PUBLIC_BASE_URL is unset. From a stream it is
   * the origin inside the verified stream token (realtime/stream-auth.ts), never a raw parameter.
   */
  origin?: string;
}

export interface TCallServices {
  watchdog: TWatchdog;
  transfer(call: TCallRefInfo): Promise<{ kind: string } | null>;
  hangup(call: TCallRefInfo): Promise<boolean>;
  /** Post-call analysis by call id (or call sid when the id is unknown). Never throws. */
  analyze(call: TCallRefInfo, opts?: { force?: boolean }): Promise<void>;
  /** Remember the origin of a call (voice webhook) for later REST callbacks. */
  rememberOrigin(callSid: string, origin: string): void;
  /** Record which engine answered the call (call_logs.engine), off the media path. */
  markEngine(callSid: string, engine: string): void;
  close(): void;
}
