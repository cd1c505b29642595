// Where the harness is blind, found by machine: flips one operator on one line of the virtual KMS, HSM,
// IAM view or wire layer (=== and !==, < and <=, > and >=, && and ||, return true and return false), runs
// short campaigns of each shipped scenario against it, and says which flips no check caught. The mutant
// catalogue (mutants/) is written by hand and kept; this samples what nobody thought to write. A
// survivor is a gap in the generator or the checks, or a flip that changes nothing (a duplicated check,
// a comparator over unique keys, a cache): each one needs a reader. Run from a worktree of its own: it
// rewrites that worktree's sources one line at a time (put back after each flip, and on Ctrl-C), and
// refuses one with uncommitted changes.
//
//   git worktree add /tmp/kmsim-flips HEAD && ln -s "$PWD/node_modules" /tmp/kmsim-flips/node_modules
//   node tools/operator-flips.mjs --worktree /tmp/kmsim-flips [--sample 70] [--seed 11] [--seeds-per 300]
//
// Prints a line per flip (KILLED by which scenario, or SURVIVED) and a count. Exit 0 when every flip was
// caught, 1 when one survived, 2 for bad usage.
import { spawnSync } from "node:child_process";
import console from "node:console";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";

/** The sources flipped: the side under test, never the model or the harness. */
const FOLDERS = ["sim/kms", "sim/iam", "sim/hsm", "sim/wire"];
/** Each line's first match is flipped; the order puts the longer operator first (<= before <). */
const FLIPS = [
  [" === ", " !== "],
  [" !== ", " === "],
  [" <= ", " < "],
  [" < ", " <= "],
  [" >= ", " > "],
  [" > ", " >= "],
  [" && ", " || "],
  [" || ", " && "],
  ["return true", "return false"],
  ["return false", "return true"],
];
const SCENARIOS = ["default", "keys", "keystores", "authz"];

function usage(message) {
  process.stderr.write(`operator-flips: ${message}\n`);
  process.exit(2);
}

let options;
try {
  options = parseArgs({
    options: {
      worktree: { type: "string" },
      sample: { type: "string", default: "70" },
      seed: { type: "string", default: "11" },
      "seeds-per": { type: "string", default: "300" },
    },
  }).values;
} catch (e) {
  usage(e.message);
}
const root = options.worktree;
if (root === undefined || !existsSync(join(root, "bin", "kmsim.mjs"))) usage("--worktree must name a kmsim worktree");
const dirty = spawnSync("git", ["-C", root, "status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" });
if (dirty.status !== 0 || dirty.stdout.trim() !== "") usage(`${root}: not a git worktree without uncommitted changes`);
const [sample, seed, seedsPer] = ["sample", "seed", "seeds-per"].map((name) => {
  const n = Number(options[name]);
  if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a whole number of at least 1`);
  return n;
});

/** Every line a flip applies to, in file order. */
function sites() {
  const found = [];
  for (const folder of FOLDERS)
    for (const name of readdirSync(join(root, folder)).sort()) {
      if (!name.endsWith(".ts")) continue;
      const file = `${folder}/${name}`;
      readFileSync(join(root, file), "utf8")
        .split("\n")
        .forEach((line, index) => {
          const text = line.trim();
          if (/^(\/\/|\*|\/\*|import )/.test(text) || text.includes("throw new Error")) return;
          const flip = FLIPS.find(([from]) => line.includes(from) && !(from === " < " && /<[A-Z]/.test(line))); // not a type argument
          if (flip !== undefined) found.push({ file, index, from: flip[0], to: flip[1] });
        });
    }
  return found;
}

/** `items` shuffled by a small seeded generator, so a run is repeatable from its --seed. */
function shuffled(items, seedValue) {
  let state = seedValue;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const all = sites();
const chosen = shuffled(all, seed).slice(0, sample);
const out = mkdtempSync(join(tmpdir(), "kmsim-flips-"));
let restore = () => {};
process.on("SIGINT", () => {
  restore();
  rmSync(out, { recursive: true, force: true });
  process.exit(130);
});
console.log(`operator-flips: ${chosen.length} of ${all.length} sites, seed ${seed}, ${seedsPer} seeds of each scenario`);
let survivors = 0;
for (const site of chosen) {
  const path = join(root, site.file);
  const original = readFileSync(path, "utf8");
  const lines = original.split("\n");
  lines[site.index] = lines[site.index].replace(site.from, site.to);
  restore = () => writeFileSync(path, original);
  writeFileSync(path, lines.join("\n"));
  let killedBy;
  try {
    for (const scenario of SCENARIOS) {
      const argv = [
        "bin/kmsim.mjs",
        "fuzz",
        "--scenario",
        scenario,
        "--seeds",
        String(seedsPer),
        "--recheck",
        "0%",
        "--fail-fast",
        "--quiet",
      ];
      const run = spawnSync(process.execPath, [...argv, "--out", out], { cwd: root, encoding: "utf8" });
      if (run.status !== 0) {
        killedBy = `${scenario} (exit ${run.status})`;
        break;
      }
    }
  } finally {
    restore();
    restore = () => {};
  }
  if (killedBy === undefined) survivors++;
  const where = `${site.file}:${site.index + 1} '${site.from.trim()}' -> '${site.to.trim()}'`;
  console.log(`${killedBy === undefined ? "SURVIVED" : `KILLED by ${killedBy}`}  ${where}  ${lines[site.index].trim().slice(0, 100)}`);
}
rmSync(out, { recursive: true, force: true });
console.log(`operator-flips: ${chosen.length - survivors} of ${chosen.length} caught, ${survivors} survived`);
process.exit(survivors === 0 ? 0 : 1);
