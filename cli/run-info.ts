// What a report says about the run itself: kmsim's version and git commit, Node's version, the exact
// command and the wall time. The only place wall-clock time enters a report, in its `run` field,
// which is documented as differing between runs of the same campaign.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./load.ts";

export function kmsimVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

/** The commit kmsim runs from: CI's GITHUB_SHA, else git's HEAD, else null (a tarball without .git). */
export function gitCommit(): string | null {
  const fromCi = process.env["GITHUB_SHA"];
  if (fromCi !== undefined && /^[0-9a-f]{40}$/.test(fromCi)) return fromCi;
  try {
    return (
      execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"], timeout: 5000 })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

/** The command as typed, quoted where a shell would need it. */
export function commandLine(argv: readonly string[]): string {
  return ["kmsim", ...argv].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}
