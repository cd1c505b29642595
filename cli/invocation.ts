// How a command was reached: through the kmsim command (bin/kmsim.mjs, a process of its own, which a
// command may hand on to a child process: cli/campaign-process.ts), or called in-process, as the tests do.
export interface Invocation {
  fromCommand: boolean;
}

/** A call from within this process: nothing about the process is the command's to change. */
export const IN_PROCESS: Invocation = { fromCommand: false };
