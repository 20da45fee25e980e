/**
 * The shape of a corpus script: what a caller says, turn by turn, what each
 * reply must (not) contain, and the CRM outcome the conversation must leave:
 * the customer row, its requirements, the lead status, tasks and bookings.
 */
export interface TCorpusTurn {
  say: string;
  /** Every string must appear in the reply. */
  has?: string[];
  /** No string may appear in the reply. */
  not?: string[];
  /** A tool the turn must call. */
  tool?: string;
  action?: "transfer" | "hangup";
}

export interface TCorpusScript {
  name: string;
  channel?: "call" | "whatsapp";
  /** ISO instant; default Wednesday 25 Nov 2026, 12:00 in Jerusalem. */
  now?: string;
  /** A returning customer already in the CRM under this name. */
  known?: string;
  turns: Array<string | TCorpusTurn>;
  crm: {
    fullName?: string | null;
    status?: "new" | "qualified" | "viewing";
    /** Matched with toMatchObject (a subset). */
    requirements?: Record<string, unknown>;
    /** Keys that must be absent from requirements (an owner has no budget). */
    requirementsWithout?: string[];
    notes?: string;
    /** Each entry: a task whose title contains it (and the priority when given). */
    tasks?: Array<{ title: string; priority?: "low" | "normal" | "high" }>;
    /** Exactly this many tasks for the customer. */
    taskCount?: number;
    bookings?: number;
  };
}
