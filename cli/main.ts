// The kmsim command line: dispatches to a command and turns what escapes into an exit code —
// 0 pass, 1 a failure was found, 2 bad input or usage (one line, no stack trace), 3 internal error.
import { InputError } from "../protocol/input-error.ts";
import { BENCH_HELP, benchMain } from "./bench.ts";
import { FUZZ_HELP, fuzzMain } from "./fuzz.ts";
import { MERGE_HELP, mergeMain } from "./merge.ts";
import { LIST_HELP, listMain, MUTANTS_HELP, mutantsMain } from "./mutants.ts";
import { REPLAY_HELP, replayMain } from "./replay.ts";
import { RUN_HELP, runMain } from "./run.ts";

export const EXIT = { pass: 0, failure: 1, input: 2, internal: 3 } as const;

const HELP = `kmsim — deterministic simulation testing of AWS KMS custom key stores on CloudHSM

  kmsim fuzz     a campaign over many seeds, with a report (npm start runs this)
  kmsim run      one seed, end to end
  kmsim replay   a repro file or a hand-written script, step by step
  kmsim merge    join the reports of a campaign's shards into one
  kmsim bench    crypto-path and harness throughput, as ratios to a baseline from the same run
  kmsim mutants  hunt each planted bug of the mutant catalogue; kmsim list mutants prints it

Each command takes --help. Exit: 0 pass, 1 a failure was found, 2 bad input or usage, 3 internal error.

${RUN_HELP}

${REPLAY_HELP}

${FUZZ_HELP}

${MERGE_HELP}

${BENCH_HELP}

${MUTANTS_HELP}

${LIST_HELP}`;

const COMMANDS: Record<string, (argv: string[]) => number | Promise<number>> = {
  run: runMain,
  replay: replayMain,
  fuzz: fuzzMain,
  merge: mergeMain,
  bench: benchMain,
  mutants: mutantsMain,
  list: listMain,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(HELP);
    return command === undefined ? EXIT.input : EXIT.pass;
  }
  const run = COMMANDS[command];
  try {
    if (run === undefined)
      throw new InputError(`kmsim: unknown command '${command}' (known: ${Object.keys(COMMANDS).join(", ")}; see kmsim --help)`);
    return await Promise.resolve(run(rest));
  } catch (e) {
    if (e instanceof InputError) {
      console.error(e.message);
      return EXIT.input;
    }
    console.error("kmsim: internal error — this is a bug in kmsim, please report it with the command line:");
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return EXIT.internal;
  }
}
