// The bench's figures of kmsim's own code come from a thread of their own (cli/bench/code-figures.ts):
// its answer is handed back whole, and a thread that fails hands back its error rather than hanging
// the bench or answering nothing.
import { describe, expect, it } from "vitest";
import { measureCodeFigures } from "../../../cli/bench/code-figures.ts";

const TIMING = { rounds: 1, roundMs: 1, warmupMs: 1 };

describe("measureCodeFigures", () => {
  it("answers the crypto results, overheads and decisions the thread measured", { timeout: 60_000 }, async () => {
    const figures = await measureCodeFigures({ scenarioRef: "default", backends: ["node"], sizes: [32], timing: TIMING });
    expect(figures.results.map((r) => `${r.path} ${r.backend} ${r.op} ${r.bytes}`)).toEqual([
      "raw node encrypt 32",
      "raw node decrypt 32",
      "kms node Encrypt 32",
      "kms node Decrypt 32",
      "kms node GenerateDataKey 32",
    ]);
    expect(figures.overhead.map((o) => o.op)).toEqual(["Encrypt", "Decrypt", "GenerateDataKey"]);
    expect(figures.decisions).toHaveLength(3);
  });

  it("rejects with the thread's error when the thread fails", { timeout: 60_000 }, async () => {
    await expect(measureCodeFigures({ scenarioRef: "no-such-scenario", backends: ["noble"], sizes: [32], timing: TIMING })).rejects.toThrow(
      /no-such-scenario/,
    );
  });
});
