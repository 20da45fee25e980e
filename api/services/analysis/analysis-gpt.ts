/**
 * Post-call analysis with GPT-4o and a strict JSON schema
 * (`response_format: json_schema`): the model reads the transcript and the
 * facts we already know (viewings booked, listings matched) and answers in
 * Hebrew. The answer is validated with zod; anything off throws and the
 * caller falls back to the rules, so a call is never left unanalysed.
 */
import type OpenAI from "openai";
import { z } from "zod";
import type { TAnalysisInput, TCallAnalysis } from "./analysis-rules";

export const ZGptAnalysis = z.object({
  summary: z.string().min(1).max(1200),
  sentiment: z.enum(["positive", "neutral", "negative"]),
  sentimentScore: z.number().min(-1).max(1),
  leadScore: z.number().int().min(0).max(100),
  leadReasons: z.array(z.string().min(1)).max(10),
  nextAction: z.object({ title: z.string().min(1).max(200), description: z.string().max(1000), priority: z.enum(["low", "normal", "high"]) }),
});

/** The JSON schema sent to OpenAI (strict mode: every property required, no extras). */
export const ANALYSIS_JSON_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["summary", "sentiment", "sentimentScore", "leadScore", "leadReasons", "nextAction"],
  properties: {
    summary: { type: "string", description: "Hebrew summary of the call, 1–3 sentences" },
    sentiment: { type: "string", enum: ["positive", "neutral", "negative"] },
    sentimentScore: { type: "number", description: "-1 (very negative) to 1 (very positive)" },
    leadScore: { type: "integer", description: "0–100: how likely this caller becomes a deal" },
    leadReasons: { type: "array", items: { type: "string" }, description: "Hebrew reasons: budget stated, timeline, engagement, matched listings, viewing booked" },
    nextAction: {
      type: "object",
      additionalProperties: false,
      required: ["title", "description", "priority"],
      properties: { title: { type: "string" }, description: { type: "string" }, priority: { type: "string", enum: ["low", "normal", "high"] } },
    },
  },
} as const;

const SYSTEM = [
  "You analyse phone calls of an Israeli real-estate agency. Answer in Hebrew (summary, reasons, task title/description).",
  "Lead score: weigh budget stated, timeline, engagement, matched listings and a booked viewing; list each factor you used in leadReasons.",
  "nextAction is the single most useful task for the agency staff after this call.",
].join("\n");

function transcript(input: TAnalysisInput): string {
  const lines = input.turns.map((t) => {
    if (t.speaker === "tool") return `[tool ${t.toolName ?? t.text}] ${JSON.stringify(t.toolPayload ?? null).slice(0, 400)}`;
    return `${t.speaker === "caller" ? "לקוח" : t.speaker === "assistant" ? "נציגה" : "מערכת"}: ${t.text}`;
  });
  return `${lines.join("\n")}\n\nFacts: viewings booked=${input.bookedViewings}, transferred=${input.transferred}`;
}

export async function analyzeWithGpt(client: OpenAI, input: TAnalysisInput, opts: { model?: string; signal?: AbortSignal } = {}): Promise<TCallAnalysis> {
  const model = opts.model ?? "gpt-4o";
  const res = await client.chat.completions.create(
    {
      model,
      temperature: 0.2,
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: transcript(input) },
      ],
      response_format: { type: "json_schema", json_schema: { name: "call_analysis", strict: true, schema: ANALYSIS_JSON_SCHEMA as unknown as Record<string, unknown> } },
    },
    { signal: opts.signal },
  );
  const content = res.choices[0]?.message.content;
  if (!content) throw new Error("analysis: empty model answer");
  const parsed = ZGptAnalysis.parse(JSON.parse(content));
  return { ...parsed, sentimentScore: Math.round(parsed.sentimentScore * 100) / 100, engine: model };
}
