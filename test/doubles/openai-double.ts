/**
 * A local OpenAI API double on 127.0.0.1 that speaks the real wire protocol, so
 * tests exercise the real `openai` SDK via `baseURL` / OPENAI_BASE_URL:
 *   POST /v1/chat/completions      JSON, or `stream: true` SSE chunks incl. tool_calls deltas
 *   POST /v1/audio/transcriptions  multipart (file, model, language) → {"text": …}
 * Responses are scripted per test (a queue, or a function of the request);
 * every request is recorded for assertions.
 */

export interface TScriptedToolCall {
  name: string;
  arguments: string | Record<string, unknown>;
  id?: string;
}

/** One chat completion: text (split into several deltas) and/or tool calls. */
export interface TScriptedChat {
  text?: string;
  toolCalls?: TScriptedToolCall[];
  /** Delay before the first chunk (simulates model latency). */
  delayMs?: number;
  /** Delay between chunks. */
  chunkDelayMs?: number;
  /** Answer with this HTTP error status instead (OpenAI error JSON). */
  status?: number;
}

export type TChatScript = TScriptedChat | ((body: TChatRequestBody) => TScriptedChat);

export interface TChatRequestBody {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }>;
  tools?: Array<{ type: string; function: { name: string; parameters: unknown } }>;
  [k: string]: unknown;
}

export interface TRecordedRequest {
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON for chat; form fields (file as {name,type,size,head}) for transcriptions. */
  body: unknown;
}

export interface TOpenAiDouble {
  /** Base URL for the SDK, including /v1. */
  baseURL: string;
  requests: TRecordedRequest[];
  chat: TChatScript[];
  /**
   * Transcripts returned in order (the last one repeats); or a status code to fail with; or a
   * transcript held back until `hold` settles (a slow upstream, e.g. to kill the worker mid-job).
   */
  transcripts: Array<string | { status: number } | { hold: Promise<unknown>; text: string }>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorResponse(status: number): Response {
  return Response.json(
    { error: { message: `scripted failure ${status}`, type: status === 401 ? "invalid_request_error" : "server_error", code: null, param: null } },
    { status },
  );
}

/** Split text into word-sized deltas like a real model stream. */
function deltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function chunk(id: string, model: string, delta: Record<string, unknown>, finish: string | null = null): string {
  const payload = { id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] };
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export function startOpenAiDouble(opts: { apiKey?: string } = {}): TOpenAiDouble {
  const state: TOpenAiDouble = {
    baseURL: "",
    requests: [],
    chat: [],
    transcripts: [],
    close: async () => {},
  };
  let transcriptIndex = 0;
  let callSeq = 0;

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 30,
    async fetch(req) {
      const url = new URL(req.url);
      const headers = Object.fromEntries(req.headers.entries());
      if (opts.apiKey && headers.authorization !== `Bearer ${opts.apiKey}`) return errorResponse(401);

      if (req.method === "POST" && url.pathname === "/v1/audio/transcriptions") {
        const form = await req.formData();
        const body: Record<string, unknown> = {};
        for (const [k, entry] of form.entries()) {
          const v = entry as unknown as string | File;
          if (typeof v === "string") body[k] = v;
          else {
            const bytes = new Uint8Array(await v.arrayBuffer());
            body[k] = { name: v.name, type: v.type, size: bytes.length, head: String.fromCharCode(...bytes.subarray(0, 4)), bytes };
          }
        }
        state.requests.push({ path: url.pathname, headers, body });
        const next = state.transcripts[Math.min(transcriptIndex++, state.transcripts.length - 1)] ?? "";
        if (typeof next === "object" && "hold" in next) {
          await next.hold;
          return Response.json({ text: next.text, usage: { type: "duration", seconds: 1 } });
        }
        if (typeof next === "object") return errorResponse(next.status);
        return Response.json({ text: next, usage: { type: "duration", seconds: 1 } });
      }

      if (req.method === "POST" && url.pathname === "/v1/chat/completions") {
        const body = (await req.json()) as TChatRequestBody;
        state.requests.push({ path: url.pathname, headers, body });
        const entry = state.chat.shift();
        const script: TScriptedChat = typeof entry === "function" ? entry(body) : (entry ?? { text: "" });
        if (script.status) return errorResponse(script.status);
        const id = `chatcmpl-double-${++callSeq}`;
        const model = body.model;
        // Like the real API: tool_choice "none" never yields tool calls.
        const toolCalls = (body.tool_choice === "none" ? [] : (script.toolCalls ?? [])).map((t, i) => ({
          id: t.id ?? `call_${callSeq}_${i}`,
          name: t.name,
          args: typeof t.arguments === "string" ? t.arguments : JSON.stringify(t.arguments),
        }));

        if (!body.stream) {
          if (script.delayMs) await sleep(script.delayMs);
          return Response.json({
            id,
            object: "chat.completion",
            created: Math.floor(Date.now() / 1000),
            model,
            choices: [
              {
                index: 0,
                finish_reason: toolCalls.length ? "tool_calls" : "stop",
                logprobs: null,
                message: {
                  role: "assistant",
                  content: script.text ?? null,
                  refusal: null,
                  ...(toolCalls.length ? { tool_calls: toolCalls.map((t) => ({ id: t.id, type: "function", function: { name: t.name, arguments: t.args } })) } : {}),
                },
              },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
          });
        }

        const encoder = new TextEncoder();
        const stream = new ReadableStream<Uint8Array>({
          async start(controller) {
            const send = (s: string) => controller.enqueue(encoder.encode(s));
            try {
              if (script.delayMs) await sleep(script.delayMs);
              send(chunk(id, model, { role: "assistant", content: "" }));
              for (const d of deltas(script.text ?? "")) {
                if (script.chunkDelayMs) await sleep(script.chunkDelayMs);
                send(chunk(id, model, { content: d }));
              }
              toolCalls.forEach((t, index) => {
                send(chunk(id, model, { tool_calls: [{ index, id: t.id, type: "function", function: { name: t.name, arguments: "" } }] }));
                // Arguments arrive in pieces, as from the real API.
                for (let o = 0; o < t.args.length; o += 12) send(chunk(id, model, { tool_calls: [{ index, function: { arguments: t.args.slice(o, o + 12) } }] }));
              });
              send(chunk(id, model, {}, toolCalls.length ? "tool_calls" : "stop"));
              send("data: [DONE]\n\n");
              controller.close();
            } catch {
              // The client went away (abort): nothing to do.
            }
          },
        });
        return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
      }
      return errorResponse(404);
    },
  });
  state.baseURL = `http://127.0.0.1:${server.port}/v1`;
  state.close = async () => {
    await server.stop(true);
  };
  return state;
}
