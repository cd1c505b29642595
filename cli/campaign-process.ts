// A campaign in a child process under the campaign's V8 flags (bin/campaign-flags.mjs): flags are per
// process, and the kmsim command's own process started without them. The child is the campaign — its
// output goes where this process's goes, its exit code becomes this process's. It runs in a process
// group of its own, so each signal sent to this process (a Ctrl-C, a CI job's SIGTERM) reaches it once,
// passed on from here: a first SIGINT still ends the campaign with a partial report, a second at once.
// Job control goes with it: a Ctrl-Z (SIGTSTP) stops the campaign, then this process; the SIGCONT of
// `fg` or `bg` continues both — else the campaign, outside the terminal's job, would run on unseen.
// If this process is killed outright, the child sees its IPC channel close and ends at once, as the
// killed campaign would have, rather than running on unowned.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { CAMPAIGN_V8_FLAGS, hasCampaignFlags } from "../bin/campaign-flags.mjs";
import type { Invocation } from "./invocation.ts";

const PASSED_ON = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Marks the child in its environment, so only a child started here follows its parent's end. */
const CHILD_MARK = "KMSIM_CAMPAIGN_CHILD";

/** Exit code of a child whose parent is gone: nobody reads it; the interrupted code, as documented. */
const PARENT_GONE_EXIT = 130;

/**
 * Should a command that runs `threads` seed threads at once hand itself on to a campaign process? Only
 * through the kmsim command, with more than one thread, and not when this process has the flags already
 * (it is that child, or was started with them).
 */
export function handsOn(invocation: Invocation, threads: number): boolean {
  return invocation.fromCommand && threads > 1 && !hasCampaignFlags();
}

/**
 * Runs this process's own command line again in a child process with the campaign flags — the same
 * entry script (bin/kmsim.mjs, or bin/run-built.mjs and its build) and arguments; resolves to the
 * child's exit code (128 + the signal's number if a signal ended it). Only for the kmsim command
 * (main's `fromCommand`): called in-process, this process's command line is somebody else's.
 */
export async function runInCampaignProcess(): Promise<number> {
  const child = spawn(process.execPath, [...CAMPAIGN_V8_FLAGS, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    detached: true,
    env: { ...process.env, [CHILD_MARK]: "1" },
  });
  const passOn = (signal: NodeJS.Signals) => void child.kill(signal);
  for (const signal of PASSED_ON) process.on(signal, passOn);
  // Handled, SIGTSTP no longer stops this process: it stops itself once the campaign is stopped.
  const stop = () => {
    child.kill("SIGSTOP");
    process.kill(process.pid, "SIGSTOP");
  };
  const carryOn = () => void child.kill("SIGCONT");
  process.on("SIGTSTP", stop);
  process.on("SIGCONT", carryOn);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
    });
  } finally {
    for (const signal of PASSED_ON) process.off(signal, passOn);
    process.off("SIGTSTP", stop);
    process.off("SIGCONT", carryOn);
  }
}

/** In a child started by runInCampaignProcess: ends this process as soon as the parent is gone. Elsewhere, nothing. */
export function followParent(): void {
  const channel = process.channel;
  if (process.env[CHILD_MARK] !== "1" || channel === undefined) return;
  channel.unref(); // the channel must not keep a finished campaign alive
  process.once("disconnect", () => process.exit(PARENT_GONE_EXIT));
}
