// No file over 300 lines (design/style.md): a longer file holds more than one concept and should be
// split by concept. Every .ts, .mjs and .js source and test file in the project is measured — not
// node_modules, not build output (dist/, reports/out/), and not generated data (protocol/aws/*.json
// are JSON, so never measured) — and each one over the limit is named with its length.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/sources.ts";

/** The longest a source or test file may be, in lines. */
const FILE_LINES_MAX = 300;

/** Folders that hold no code of ours: dependencies, build and report output, version control. */
const SKIPPED = new Set(["node_modules", "dist", join("reports", "out"), ".git"]);

const MEASURED = /\.(ts|mjs|js)$/;

/** Every measured file under `dir` (relative to the project root), recursively. */
function codeFiles(dir = ""): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(path) || entry.name.startsWith(".") ? [] : codeFiles(path);
    return MEASURED.test(entry.name) ? [path] : [];
  });
}

/** Lines in `text`, a final newline ending the last line rather than starting another. */
export function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** `file: N lines` for each of `files` longer than the limit, read by `read`. */
export function overLong(files: string[], read: (file: string) => string): string[] {
  return files.flatMap((file) => {
    const lines = lineCount(read(file));
    return lines > FILE_LINES_MAX ? [`${file}: ${lines} lines (most ${FILE_LINES_MAX})`] : [];
  });
}

describe("file size", () => {
  const files = codeFiles();

  it("measures the whole project: every room and the tests", () => {
    expect(files.length).toBeGreaterThan(200);
    for (const room of ["protocol", "sim", "model", "harness", "reports", "cli", "test", "bin", "mutants"])
      expect(files.some((f) => f.startsWith(`${room}/`))).toBe(true);
    expect(files.some((f) => f.startsWith("node_modules/") || f.startsWith("dist/"))).toBe(false);
  });

  it(`has no source or test file over ${FILE_LINES_MAX} lines`, () => {
    expect(overLong(files, (f) => readFileSync(join(ROOT, f), "utf8"))).toEqual([]);
  });

  it("names a file over the limit with its length (the check can fail)", () => {
    const texts: Record<string, string> = {
      "harness/long.ts": "x\n".repeat(FILE_LINES_MAX + 1),
      "harness/just.ts": "x\n".repeat(FILE_LINES_MAX),
      "harness/unended.ts": "x\n".repeat(FILE_LINES_MAX) + "x",
    };
    expect(overLong(Object.keys(texts), (f) => texts[f]!)).toEqual([
      `harness/long.ts: ${FILE_LINES_MAX + 1} lines (most ${FILE_LINES_MAX})`,
      `harness/unended.ts: ${FILE_LINES_MAX + 1} lines (most ${FILE_LINES_MAX})`,
    ]);
  });
});
