/**
 * The conversation tools, shared by the OpenAI agent (function calling) and the
 * local brain (direct calls): names, descriptions, zod argument schemas (also
 * exported as JSON Schema for OpenAI) and one runner that never throws — a
 * bad argument or a missing row becomes `{ error }` the model can read.
 */
import { z } from "zod";
import { AppError } from "../../../kernel/errors";
import { bookViewing, ZBookViewingArgs } from "./book-viewing";
import { endCall, transferToHuman, ZCallActionArgs } from "./call-actions";
import { createCallbackTask, ZCallbackTaskArgs, type TCallbackTaskArgs } from "./create-callback-task";
import { describeFailedCall, UNAVAILABLE_RESULT } from "./failed-call";
import { searchProperties, ZSearchPropertiesArgs } from "./search-properties";
import type { TToolDeps, TToolScope } from "./types";
import { upsertLead, ZUpsertLeadArgs } from "./upsert-lead";

export { ZCallActionArgs };

export type TToolName = "search_properties" | "book_viewing" | "create_or_update_lead" | "create_callback_task" | "transfer_to_human" | "end_call";

export interface TToolDef {
  name: TToolName;
  description: string;
  schema: z.ZodType;
  run(deps: TToolDeps, scope: TToolScope, args: never): Promise<unknown>;
}

export const TOOLS: TToolDef[] = [
  {
    name: "search_properties",
    description: "Search the agency's available listings. Call it once you know deal type and city (rooms and budget help). Returns up to `limit` listings and which criteria were relaxed.",
    schema: ZSearchPropertiesArgs,
    run: (deps, scope, args: z.infer<typeof ZSearchPropertiesArgs>) => searchProperties(deps, scope, args),
  },
  {
    name: "book_viewing",
    description: "Book a viewing of one listing. If the slot is taken or outside opening hours it returns booked:false with a reason and alternativeStartsAt to offer the caller.",
    schema: ZBookViewingArgs,
    run: (deps, scope, args: z.infer<typeof ZBookViewingArgs>) => bookViewing(deps, scope, args),
  },
  {
    name: "create_or_update_lead",
    description: "Save the caller as a lead (by phone): name, what they are looking for, status. Call it when you learn the name or the requirements.",
    schema: ZUpsertLeadArgs,
    run: async (deps, scope, args: z.infer<typeof ZUpsertLeadArgs>) => {
      const { publish, ...result } = await upsertLead(deps, scope, args);
      publish();
      return result;
    },
  },
  {
    name: "create_callback_task",
    description:
      "Create a task for staff to call the caller back: after a complaint (priority high; apologise first and never re-offer the same listing), for an owner who wants to sell or rent out a property (save it first with create_or_update_lead requirements.listing), for a search with no match (a saved search), or when the caller asks to be called back.",
    schema: ZCallbackTaskArgs,
    run: (deps, scope, args: z.infer<typeof ZCallbackTaskArgs>) => createCallbackTask(deps, scope, args),
  },
  {
    name: "transfer_to_human",
    description:
      "Transfer the caller to a human agent (they asked for a person, or you cannot help). Say a short sentence first. If it returns transferred:false the office is closed or has no agent line: offer to take a message and save it with create_or_update_lead notes.",
    schema: ZCallActionArgs,
    run: (deps, scope, args: z.infer<typeof ZCallActionArgs>) => transferToHuman(deps, scope, args),
  },
  {
    name: "end_call",
    description: "End the conversation politely after saying goodbye.",
    schema: ZCallActionArgs,
    run: (deps, scope, args: z.infer<typeof ZCallActionArgs>) => endCall(deps, scope, args),
  },
];

const BY_NAME = new Map(TOOLS.map((t) => [t.name, t]));

type TOpenAiTool = { type: "function"; function: { name: string; description: string; parameters: Record<string, unknown> } };
let openAiToolsCache: readonly TOpenAiTool[] | null = null;

/**
 * OpenAI `tools` array (function calling) generated from the zod schemas, once per process:
 * the tools are constant, and converting them was ~6 % of the media server's CPU with a
 * `session.update` per Realtime call (#18 profile). Treat the result as read-only.
 */
export function openAiTools(): TOpenAiTool[] {
  openAiToolsCache ??= TOOLS.map((t) => {
    const { $schema: _ignored, ...parameters } = z.toJSONSchema(t.schema, { io: "input" }) as Record<string, unknown>;
    return { type: "function" as const, function: { name: t.name, description: t.description, parameters } };
  });
  return openAiToolsCache as TOpenAiTool[];
}

/** Below the reply guard's hard timeout (8 s): the agent still has time to say it will get back. */
export const DEFAULT_TOOL_TIMEOUT_MS = 5_000;

/** A tool the database did not answer in time (a hanging connection, a lock): handled like a database failure. */
export class ToolTimeoutError extends Error {
  constructor(tool: string, ms: number) {
    super(`tool ${tool} got no answer from the database within ${ms} ms`);
    this.name = "ToolTimeoutError";
  }
}

/** `work`, or a ToolTimeoutError after `ms` (0: no limit). */
export function withDeadline<T>(work: Promise<T>, ms: number, tool: string): Promise<T> {
  if (!ms) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ToolTimeoutError(tool, ms)), ms);
  });
  // The work may still finish after the deadline (idempotent writes; the follow-up says "check"): never unhandled.
  work.catch(() => {});
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export interface TToolOutcome {
  result: unknown;
  /** Set for transfer_to_human / end_call: the session acts after speaking. */
  action?: "transfer" | "hangup";
  ok: boolean;
}

/**
 * Run a tool by name with raw arguments (an object or the model's JSON string).
 * Never throws: validation and expected errors come back as `{ error }`.
 */
export async function runTool(deps: TToolDeps, scope: TToolScope, name: string, rawArgs: unknown): Promise<TToolOutcome> {
  const tool = BY_NAME.get(name as TToolName);
  if (!tool) return { ok: false, result: { error: `unknown tool ${name}` } };
  let args: unknown = rawArgs;
  if (typeof rawArgs === "string") {
    try {
      args = rawArgs.trim() ? JSON.parse(rawArgs) : {};
    } catch {
      return { ok: false, result: { error: "arguments are not valid JSON" } };
    }
  }
  const parsed = tool.schema.safeParse(args ?? {});
  if (!parsed.success) {
    return { ok: false, result: { error: `invalid arguments: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` } };
  }
  try {
    const result = await withDeadline(tool.run(deps, scope, parsed.data as never), deps.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, name);
    // The session acts only on what the tool decided (a closed office returns no transfer).
    const decided = (result as { action?: unknown } | null)?.action;
    const action = decided === "transfer" || decided === "hangup" ? decided : undefined;
    return { ok: true, result, ...(action ? { action } : {}) };
  } catch (err) {
    if (err instanceof AppError) {
      deps.log.info({ tool: name, code: err.code, msg: err.message }, "tool rejected");
      return { ok: false, result: { error: err.message, code: err.code } };
    }
    deps.log.error({ tool: name, err, businessId: scope.businessId, callId: scope.callId }, "tool failed (database unavailable?): follow-up queued");
    // Not "no matches": the caller is told we will check and get back, and staff get the follow-up once the database answers.
    const failed = describeFailedCall(name, parsed.data as Record<string, unknown>);
    deps.followUps.enqueue(scope, {
      line: failed.line,
      ...(failed.lead ? { lead: failed.lead } : {}),
      ...(name === "create_callback_task" ? { task: parsed.data as TCallbackTaskArgs } : {}),
    });
    return { ok: false, result: UNAVAILABLE_RESULT };
  }
}
