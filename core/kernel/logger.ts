import pino from "pino";

export type TLogger = pino.Logger;

/** Structured JSON logs; child loggers carry requestId or callSid/streamSid. */
export function createLogger(level = "info"): TLogger {
  return pino({ level, base: { app: "kesher" }, timestamp: pino.stdTimeFunctions.isoTime });
}
