import { describe, expect, test } from "bun:test";
import { createLogger } from "../core/kernel/logger";
import { createWatchdog } from "./watchdog";

const log = createLogger("silent");

function rig(opts: { live?: boolean } = {}) {
  let clock = 1_000;
  const redirected: Array<[string, string]> = [];
  const dog = createWatchdog({
    log,
    now: () => clock,
    options: { startTimeoutMs: 8000, mediaGapMs: 5000, checkEveryMs: 60_000 },
    redirect: async (sid, why) => {
      redirected.push([sid, why]);
      return true;
    },
    isLive: async () => opts.live ?? true,
  });
  return { dog, redirected, advance: (ms: number) => void (clock += ms) };
}

describe("watchdog", () => {
  test("no start within the timeout → one redirect; a started stream is not redirected for it", async () => {
    const { dog, redirected, advance } = rig();
    dog.expectStream("CA1");
    dog.expectStream("CA2");
    advance(3000);
    dog.started("CA2");
    advance(4999);
    dog.media("CA2");
    await dog.check();
    expect(redirected).toEqual([]);
    advance(1);
    await dog.check();
    expect(redirected).toEqual([["CA1", "no-start"]]);
    await dog.check();
    expect(redirected).toHaveLength(1);
    dog.close();
  });

  test("media gap while live → redirect; media keeps it quiet; a normal stop disarms", async () => {
    const { dog, redirected, advance } = rig();
    dog.started("CA1");
    dog.started("CA2");
    for (let i = 0; i < 10; i++) {
      advance(1000);
      dog.media("CA1");
      dog.media("CA2");
    }
    dog.stopped("CA2");
    advance(4999);
    await dog.check();
    expect(redirected).toEqual([]);
    advance(1);
    await dog.check();
    expect(redirected).toEqual([["CA1", "media-stopped"]]);
    dog.close();
  });

  test("a crash redirects at once; a call that already ended is left alone", async () => {
    const a = rig();
    a.dog.started("CA1");
    a.dog.crashed("CA1", new Error("boom"));
    await a.dog.check();
    expect(a.redirected).toEqual([["CA1", "crash"]]);
    a.dog.close();
    const b = rig({ live: false });
    b.dog.expectStream("CA9");
    b.advance(9000);
    await b.dog.check();
    expect(b.redirected).toEqual([]);
    b.dog.close();
  });
});
