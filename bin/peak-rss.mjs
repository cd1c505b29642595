// Preloaded with `node --import`: prints the process's peak resident set size when it exits, as
// `kmsim-peak-rss-kib N` on stderr. `kmsim bench` runs campaigns of two sizes in child processes with
// it, to see whether a campaign's memory grows with its number of seeds.
import { isMainThread } from "node:worker_threads";

if (isMainThread) process.on("exit", () => process.stderr.write(`kmsim-peak-rss-kib ${process.resourceUsage().maxRSS}\n`));
