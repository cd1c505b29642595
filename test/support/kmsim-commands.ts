// Checks a kmsim command written into a CI or deployment file as the CLI itself would read it: the
// words after `kmsim` go through the same flag parsing and checks as the real command, without
// running anything. Placeholders (a matrix value, a shard index, a glob) are filled in first.
import { expect } from "vitest";
import { fuzzPlan } from "../../cli/fuzz.ts";
import { mergeArgs } from "../../cli/merge.ts";

/** The kmsim invocations in `text` (each `npx kmsim …` up to the end of its line or command), as written. */
export function kmsimCommands(text: string): string[] {
  return [...text.matchAll(/npx kmsim ([^\n;&|]+)/g)].map((m) => m[1]!.trim());
}

/** The words of a command once its placeholders are filled in. */
export function words(command: string, fill: (text: string) => string = (t) => t): string[] {
  return fill(command).split(/\s+/);
}

/** Throws the CLI's own InputError if the command is not a valid invocation; returns its name. */
export function checkInvocation(line: string, fill: (text: string) => string): string {
  const [command, ...argv] = words(line, fill);
  if (command === "fuzz") fuzzPlan(argv);
  else if (command === "merge") mergeArgs(argv);
  else expect.unreachable(`unexpected kmsim command '${command}' in a nightly file`);
  return command;
}
