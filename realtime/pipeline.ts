/**
 * Stages and pipelines (after pipecat's frame_processor.py). A stage is
 * `process(frame, push)`. Each stage has its own queue, so a slow stage (TTS)
 * never blocks the one before it (the agent keeps writing while the first
 * sentence is synthesised). System frames bypass the queue; an interruption
 * drops queued data/control frames and calls `interrupt()` so the stage aborts
 * its in-flight work. Exceptions never cross a stage boundary: they become
 * `error` frames.
 */
import { errorFrame, isSystem, type TFrame } from "./frames";

export type TPush = (frame: TFrame) => void;

export interface TStage {
  readonly name: string;
  process(frame: TFrame, push: TPush): void | Promise<void>;
  /** Abort in-flight work (called on interruption, before the frame is processed). */
  interrupt?(): void;
}

function turnOf(frame: TFrame): number {
  return "turnId" in frame ? frame.turnId : 0;
}

/** Runs one stage with its own ordered queue. */
class StageRunner {
  private queue: TFrame[] = [];
  private running = false;
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly stage: TStage,
    private readonly push: TPush,
  ) {}

  input(frame: TFrame): void {
    if (isSystem(frame)) {
      if (frame.type === "interruption") {
        this.queue = this.queue.filter(isSystem);
        try {
          this.stage.interrupt?.();
        } catch (err) {
          this.push(errorFrame(this.stage.name, 0, err));
        }
      }
      // System frames are handled now, even while a data frame is in flight.
      this.inflight++;
      void this.call(frame).finally(() => {
        this.inflight--;
        this.wake();
      });
      return;
    }
    this.queue.push(frame);
    if (!this.running) void this.drain();
  }

  private async call(frame: TFrame): Promise<void> {
    try {
      await this.stage.process(frame, this.push);
    } catch (err) {
      this.push(errorFrame(this.stage.name, turnOf(frame), err));
    }
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length) await this.call(this.queue.shift()!);
    this.running = false;
    this.wake();
  }

  private isIdle(): boolean {
    return !this.running && this.inflight === 0 && this.queue.length === 0;
  }

  private wake(): void {
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  idle(): Promise<void> {
    return this.isIdle() ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }
}

export interface TPipeline extends TStage {
  /** Resolves when every stage has an empty queue and nothing in flight. */
  idle(): Promise<void>;
}

/**
 * Chain stages; what the last one pushes goes to `sink`. A pipeline is itself
 * a stage: `process` feeds the first stage.
 *
 * @example
 *   const p = createPipeline([agentStage, sentenceStage, ttsStage], (f) => session.onFrame(f));
 *   p.process({ kind: "data", type: "transcript", turnId: 1, text: "שלום", metrics: {} }, () => {});
 */
export function createPipeline(stages: TStage[], sink: TPush, name = "pipeline"): TPipeline {
  const runners: StageRunner[] = [];
  for (let i = stages.length - 1; i >= 0; i--) {
    const next = runners[0];
    const push: TPush = next ? (f) => next.input(f) : sink;
    runners.unshift(new StageRunner(stages[i]!, push));
  }
  return {
    name,
    process(frame) {
      if (runners[0]) runners[0].input(frame);
      else sink(frame);
    },
    async idle() {
      // Stage i only pushes into stage i+1 while it works, so once i is idle,
      // i+1 already holds everything it will get from i.
      for (const r of runners) await r.idle();
    },
  };
}

/**
 * Test helper (pipecat tests/utils.py): feed frames through a stage in order,
 * wait until it is quiet, return everything it pushed.
 */
export async function runStage(stage: TStage, framesIn: TFrame[]): Promise<TFrame[]> {
  const out: TFrame[] = [];
  const p = createPipeline([stage], (f) => out.push(f), `run:${stage.name}`);
  for (const f of framesIn) p.process(f, () => {});
  await p.idle();
  return out;
}
