// Progress: on a terminal one live line redrawn in place and cut to its width; in a log a plain line
// at most every interval; colour only when asked; nothing at all when quiet.
import { describe, expect, it } from "vitest";
import { Progress, type ProgressOptions } from "../../cli/progress.ts";

function setup(tty: boolean, overrides: Partial<ProgressOptions> = {}) {
  const written: string[] = [];
  let nowMs = 0;
  const options: ProgressOptions = {
    stream: { write: (s: string) => written.push(s) > 0, isTTY: tty, columns: 40 },
    quiet: false,
    colour: false,
    plainEveryMs: 10_000,
    liveEveryMs: 200,
    now: () => nowMs,
    ...overrides,
  };
  const progress = new Progress(10, options);
  return { written, progress, advance: (ms: number) => void (nowMs += ms) };
}

describe("progress", () => {
  it("writes a plain line at most every interval when not on a terminal", () => {
    const { written, progress, advance } = setup(false);
    for (let i = 0; i < 5; i++) {
      advance(3000);
      progress.seedDone(100, i === 2);
    }
    progress.finish();
    expect(written).toEqual([
      "kmsim fuzz: 1/10 seeds, 33 steps/s, 0 failures, 3s elapsed, ~27s left\n",
      "kmsim fuzz: 5/10 seeds, 33 steps/s, 1 failure, 15s elapsed, ~15s left\n",
    ]);
  });

  it("redraws one line in place on a terminal, cut to its width, and clears it for a message", () => {
    const { written, progress, advance } = setup(true);
    advance(1000);
    progress.seedDone(10, false);
    progress.say("FAIL seed 3 (mismatch) at step 4: a long message that goes on and on");
    progress.finish();
    expect(written[0]).toBe("\r\x1b[2Kkmsim fuzz: 1/10 seeds, 10 steps/s, 0 …");
    expect(written).toContain("FAIL seed 3 (mismatch) at step 4: a lo…\n");
    expect(written.at(-1)).toBe("\r\x1b[2K");
  });

  it("colours failures only when asked, and says nothing when quiet", () => {
    const coloured = setup(true, { colour: true, stream: { write: () => true, isTTY: true } });
    coloured.progress.seedDone(1, true);
    expect(coloured.progress.line()).toContain("\x1b[31m1 failure\x1b[0m");
    coloured.progress.finish();
    const quiet = setup(true, { quiet: true });
    quiet.progress.seedDone(1, true);
    quiet.progress.say("FAIL");
    quiet.progress.finish();
    expect(quiet.written).toEqual([]);
  });
});
