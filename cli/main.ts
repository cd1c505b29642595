// The kmsim command line: dispatches to a command and turns what escapes into an exit code —
// 0 pass, 1 a failure was found, 2 bad input or usage (one line, no stack trace), 3 internal error,
// 130 interrupted (fuzz, with a partial report). Commands are loaded only when asked for, and each
// loads the harness (and fast-check) only when it runs, so `--help` and bad usage answer without
// loading the simulation.
import { InputError } from "../protocol/input-error.ts";
import { followParent } from "./campaign-process.ts";
import { IN_PROCESS, type Invocation } from "./invocation.ts";

export const EXIT = { pass: 0, failure: 1, input: 2, internal: 3, interrupted: 130 } as const;

const USAGE = "usage: kmsim fuzz|run|replay|merge|promote|bench|mutants|list [options] — kmsim --help for more";

interface Command {
  help: string;
  run: (argv: string[], invocation: Invocation) => number | Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => import("./run.ts").then((m) => ({ help: m.RUN_HELP, run: m.runMain })),
  replay: async () => import("./replay.ts").then((m) => ({ help: m.REPLAY_HELP, run: m.replayMain })),
  fuzz: async () => import("./fuzz.ts").then((m) => ({ help: m.FUZZ_HELP, run: m.fuzzMain })),
  merge: async () => import("./merge.ts").then((m) => ({ help: m.MERGE_HELP, run: m.mergeMain })),
  promote: async () => import("./promote.ts").then((m) => ({ help: m.PROMOTE_HELP, run: m.promoteMain })),
  bench: async () => import("./bench.ts").then((m) => ({ help: m.BENCH_HELP, run: m.benchMain })),
  mutants: async () => import("./mutants.ts").then((m) => ({ help: m.MUTANTS_HELP, run: m.mutantsMain })),
  list: async () => import("./mutants.ts").then((m) => ({ help: m.LIST_HELP, run: m.listMain })),
};

const SUMMARY = `kmsim — deterministic simulation testing of AWS KMS custom key stores on CloudHSM

  kmsim fuzz     a campaign over many seeds, with a report (npm start runs this)
  kmsim run      one seed, end to end
  kmsim replay   a repro file or a hand-written script, step by step
  kmsim merge    join the reports of a campaign's shards into one
  kmsim promote  copy a repro file into the regression tests
  kmsim bench    crypto-path and harness throughput, as ratios to a baseline from the same run
  kmsim mutants  hunt each planted bug of the mutant catalogue; kmsim list mutants prints it

Each command takes --help. Exit: 0 pass, 1 a failure was found, 2 bad input or usage, 3 internal error,
130 interrupted.`;

async function help(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return [SUMMARY, ...commands.map((c) => c.help)].join("\n\n");
}

export async function main(argv: string[], invocation: Invocation = IN_PROCESS): Promise<number> {
  if (invocation.fromCommand) followParent();
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      console.error(USAGE);
      return EXIT.input;
    }
    if (command === "help" || command === "--help" || command === "-h") {
      console.log(await help());
      return EXIT.pass;
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (load === undefined)
      throw new InputError(`kmsim: unknown command '${command}' (known: ${Object.keys(COMMANDS).join(", ")}; see kmsim --help)`);
    const { run } = await load();
    return await Promise.resolve(run(rest, invocation));
  } catch (e) {
    if (e instanceof InputError) {
      console.error(e.message.replace(/\s*\n\s*/g, " "));
      return EXIT.input;
    }
    console.error("kmsim: internal error — this is a bug in kmsim, please report it with the command line:");
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    // Source maps cost ~10% of a short run's start-up, so they are off unless asked for.
    if (import.meta.url.endsWith(".js"))
      console.error("(for the TypeScript lines of that stack, run again with NODE_OPTIONS=--enable-source-maps)");
    return EXIT.internal;
  }
}
