// Checks a kmsim command written into a CI or deployment file as the CLI itself would read it: the
// words after `kmsim` go through the same flag parsing and checks as the real command, without
// running anything. Placeholders (a matrix value, a shard index, a glob) are filled in first.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { fuzzPlan } from "../../cli/fuzz.ts";
import { loadScenario, scenarioNames } from "../../cli/load.ts";
import { mergeArgs } from "../../cli/merge.ts";

/** The kmsim invocations in `text` (each `npx kmsim …` up to the end of its line or command), as written. */
export function kmsimCommands(text: string): string[] {
  return [...text.matchAll(/npx kmsim ([^\n;&|]+)/g)].map((m) => m[1]!.trim());
}

/** The words of a command once its placeholders are filled in. */
export function words(command: string, fill: (text: string) => string = (t) => t): string[] {
  return fill(command).split(/\s+/);
}

/** The value a command's words give flag `name` (the word after it). */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  return argv[argv.indexOf(name) + 1];
}

/** The scenarios a nightly campaign runs: every one in scenarios/ but the canary, whose failures are expected. */
export const campaignScenarios = (): string[] => scenarioNames().filter((name) => loadScenario(name).canary === undefined);

/** Throws the CLI's own InputError if the command is not a valid invocation; returns its name. */
export function checkInvocation(line: string, fill: (text: string) => string): string {
  const [command, ...argv] = words(line, fill);
  if (command === "fuzz") fuzzPlan(argv);
  else if (command === "merge") mergeArgs(argv);
  else expect.unreachable(`unexpected kmsim command '${command}' in a nightly file`);
  return command;
}

/**
 * Runs `script` in `shell` as a CI runner or a pod would, with `npx` replaced by a stand-in that records
 * each command line it is given and exits 1 when the line holds `failWhen` (0 otherwise): the kmsim
 * commands the script runs (without the leading "kmsim"), in order, and the script's exit code.
 */
export function runWithStandInNpx(
  shell: "sh" | "bash",
  script: string,
  env: Record<string, string> = {},
  failWhen?: string,
): { commands: string[]; exitCode: number | null } {
  const dir = mkdtempSync(join(tmpdir(), "kmsim-npx-"));
  try {
    const log = join(dir, "commands");
    const npx = join(dir, "npx");
    writeFileSync(
      npx,
      `#!/bin/sh\nprintf '%s\\n' "$*" >> "$NPX_LOG"\ncase "$*" in *"$NPX_FAIL_WHEN"*) [ -n "$NPX_FAIL_WHEN" ] && exit 1 ;; esac\nexit 0\n`,
    );
    chmodSync(npx, 0o755);
    const result = spawnSync(shell, ["-c", script], {
      env: { ...process.env, ...env, PATH: `${dir}:${process.env["PATH"] ?? ""}`, NPX_LOG: log, NPX_FAIL_WHEN: failWhen ?? "" },
      encoding: "utf8",
    });
    const lines = existsSync(log) ? readFileSync(log, "utf8").trimEnd().split("\n") : [];
    return { commands: lines.map((line) => line.replace(/^kmsim /, "")), exitCode: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
