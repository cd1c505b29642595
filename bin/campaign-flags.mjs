// The V8 flags a multi-worker campaign runs under. A campaign runs one seed thread per core, so V8's
// helper threads — parallel scavenges, concurrent marking and sweeping, concurrent optimizing compiles,
// about 0.2 of a core beside one warm seed thread — only take CPU from the other seed threads. With
// these flags each seed thread does its own collecting and compiling: 3,000 seeds of `default` on two
// workers took 11.0 s of wall and 21.2 s of CPU against 12.3 s and 23.1 s without (medians of four
// alternated runs, farm-bench, 30 November 2026; README, Performance). The old generation may grow to
// 1.5 times what survived the last full collection, against V8's own factor of up to about 4: a
// 3,000-seed campaign on two workers peaked at 185 MiB against 273 MiB, for 2% more CPU (medians of five
// alternated runs, 0.96–1.06 pair by pair). The young generation's semispaces stop at 8 MiB in every
// thread, as cli/pool.ts's SEED_THREAD_LIMITS already has the seed threads' (the flag overrides a
// thread's own limit): the main thread's otherwise went on growing over a long campaign, to 16 MiB
// semispaces. 10,000 seeds on two workers peaked at 199 and 195 MiB against 204 and 207, for the same CPU
// (40.5 and 41.1 s against 41.6 and 40.6, two alternated pairs, 30 November 2026). Flags are per process, so
// `kmsim fuzz` with more than one worker, `kmsim bench`, and `kmsim mutants` hunting on more than one
// thread (the whole catalogue on two: 4.31 s of wall and 8.05 s of CPU against 4.74 s and 9.00 s, medians
// of three alternated runs) run in a child process that has them (cli/campaign-process.ts). Plain
// JavaScript: bin/run-built.mjs reads it before anything is built.
export const CAMPAIGN_V8_FLAGS = [
  "--single-threaded-gc",
  "--no-concurrent-recompilation",
  "--heap-growing-percent=50",
  "--max-semi-space-size=8",
];

/** Whether this process runs under every campaign flag. */
export const hasCampaignFlags = (execArgv = process.execArgv) => CAMPAIGN_V8_FLAGS.every((flag) => execArgv.includes(flag));
