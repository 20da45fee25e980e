/**
 * `voice`: what the dashboard needs to know about the phone voice —
 * whether callers can be understood (no speech recognition → a banner), and
 * how long the greeting takes to say in the business voice (a warning past
 * ~4 s, shown in settings), using the same TTS and cache as the Twilio prompts.
 */
import { z } from "zod";
import { hasSpeechRecognition } from "../../lib/speech-recognition";
import { permissionProcedure, router, staffProcedure } from "../init";

/** Past this, callers start talking over the greeting or hang up. */
export const GREETING_WARN_SECONDS = 4;

const ZVoiceStatus = z.object({
  speechRecognition: z.boolean(),
  /** Hebrew banner text when callers cannot be understood, else null. */
  banner: z.string().nullable(),
  promptVoiceEngine: z.string(),
});

export const NO_STT_BANNER = "לא הוגדר זיהוי דיבור (חסר מפתח OpenAI): שיחות נענות בברכה ובהקלטת הודעה בלבד, ללא שיחה עם הבינה המלאכותית.";

export const voiceRouter = router({
  status: staffProcedure
    .input(z.void())
    .output(ZVoiceStatus)
    .query(({ ctx }) => {
      const stt = hasSpeechRecognition(ctx.deps.config);
      return { speechRecognition: stt, banner: stt ? null : NO_STT_BANNER, promptVoiceEngine: ctx.deps.audio.engine };
    }),

  greetingCheck: permissionProcedure("settings")
    .input(z.object({ text: z.string().trim().min(1, "יש להזין ברכה").max(500), voice: z.string().trim().max(100).optional() }))
    .output(z.object({ seconds: z.number(), tooLong: z.boolean(), warning: z.string().nullable() }))
    .mutation(async ({ ctx, input }) => {
      // Synthesised (and cached) exactly as the phone prompt will be: saving this greeting then costs nothing.
      const r = await ctx.deps.audio.render(input.text, input.voice ?? null);
      const seconds = Math.round(r.seconds * 10) / 10;
      const tooLong = seconds > GREETING_WARN_SECONDS;
      return { seconds, tooLong, warning: tooLong ? `הברכה נמשכת כ-${seconds} שניות; מומלץ עד ${GREETING_WARN_SECONDS} שניות, כדי שהמתקשרים לא ידברו מעליה.` : null };
    }),
});
