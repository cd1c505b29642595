// Where the harness is blind, found by machine: makes one small change on one line of the virtual KMS,
// HSM, IAM view or wire layer, runs short campaigns of each shipped scenario against it, and says which
// changes no check caught. Four kinds of change (--kind):
//   operators  flips one operator: === and !==, < and <=, > and >=, && and ||, return true and false;
//   guards     takes a check out: a one-line `if (COND) return …` (or `if (COND)` over a `return` line)
//              gets COND false — a check that answers early is gone. Guards that only pass a Rejection
//              on (`instanceof`) are left: without them the code crashes, which says nothing;
//   numbers    adds one to the first whole number on a line outside a string: a limit, a window, an
//              index, a length;
//   statements takes out a whole one-line statement that is an assignment or a call (`x.y = z;`,
//              `this.keys.delete(id);`, `scheduler.cancel(timer);`): an update or an effect forgotten.
//              A one-line `if` or `for` over one goes with it. Declarations, and lines that return, throw,
//              yield, break or continue, are left: without them the code does not run, or they are guards.
// The mutant catalogue (mutants/) is written by hand and kept; this samples what nobody thought to
// write. A survivor is a gap in the generator or the checks, or a change that changes nothing (a
// duplicated check, a comparator over unique keys, a cache): each one needs a reader. Run from a worktree
// of its own: it rewrites that worktree's sources one line at a time (put back after each change, and
// on Ctrl-C), and refuses one with uncommitted changes.
//
//   git worktree add /tmp/kmsim-flips HEAD && ln -s "$PWD/node_modules" /tmp/kmsim-flips/node_modules
//   node tools/operator-flips.mjs --worktree /tmp/kmsim-flips [--kind operators] [--sample 70] [--seed 11] [--seeds-per 300]
//                                 [--scenarios default,keys,keystores,authz]
//   node tools/operator-flips.mjs --worktree . --kind guards --list     (the lines a kind changes, and how)
//
// Each scenario's campaign must pass on the unchanged worktree first (else every change would look
// caught); the tool refuses to run otherwise. Prints a line per change (KILLED by which scenario and its
// exit code — 3 is a crash —, or SURVIVED) and a count. Exit 0 when every change was caught, 1 when one
// survived, 2 for bad usage or a campaign that fails unchanged.
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
      kind: { type: "string", default: "operators" },
      sample: { type: "string", default: "70" },
      seed: { type: "string", default: "11" },
      "seeds-per": { type: "string", default: "300" },
      scenarios: { type: "string", default: SCENARIOS.join(",") },
      list: { type: "boolean", default: false },
    },
  }).values;
} catch (e) {
  usage(e.message);
}
const root = options.worktree;
if (root === undefined || !existsSync(join(root, "bin", "kmsim.mjs"))) usage("--worktree must name a kmsim worktree");
const dirty = spawnSync("git", ["-C", root, "status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" });
if (!options.list && (dirty.status !== 0 || dirty.stdout.trim() !== "")) usage(`${root}: not a git worktree without uncommitted changes`);
const [sample, seed, seedsPer] = ["sample", "seed", "seeds-per"].map((name) => {
  const n = Number(options[name]);
  if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a whole number of at least 1`);
  return n;
});

/**
 * `line` as code only: every character of a string or regular-expression literal (delimiters included)
 * and of a trailing comment replaced by a space, so a change never lands in text.
 */
function codeOf(line) {
  const blank = (literal) => " ".repeat(literal.length);
  const masked = line
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, blank)
    .replace(/(?<=(?:[=(,!:?&|]|return)\s*)\/(?:[^/\\[]|\\.|\[(?:[^\]\\]|\\.)*\])+\/[a-z]*/g, blank);
  const comment = masked.indexOf("//");
  return comment === -1 ? masked : masked.slice(0, comment) + blank(masked.slice(comment));
}

/** Where the condition of the line's `if (` ends (the index of its closing parenthesis), or -1 when not on this line. */
function conditionEnd(code, open) {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === "(") depth++;
    else if (code[i] === ")" && --depth === 0) return i;
  }
  return -1;
}

/** The guard change of `line` (the next line is `next`): its condition made false, or undefined when it is not a guard. */
function guardChange(line, next) {
  const code = codeOf(line);
  const at = code.indexOf("if (");
  if (at === -1 || code.slice(0, at).trim() !== "" || code.includes("instanceof")) return undefined;
  const end = conditionEnd(code, at + 3);
  if (end === -1) return undefined;
  const rest = code.slice(end + 1).trim();
  if (!rest.startsWith("return") && !(rest === "" && next.trim().startsWith("return"))) return undefined;
  return { from: line.slice(at, end + 1), to: "if (false)" };
}

/** The number change of `line`: its first whole number outside a string, plus one. */
function numberChange(line) {
  const match = /(?<![\w.])\d[\d_]*(?![\w.])/.exec(codeOf(line));
  if (match === null) return undefined;
  const before = line.slice(0, match.index);
  return { from: `${before}${match[0]}`, to: `${before}${Number(match[0].replaceAll("_", "")) + 1}` };
}

/** Whether `code` opens as many brackets of each kind as it closes. */
function balanced(code) {
  const count = (char) => code.split(char).length - 1;
  return count("(") === count(")") && count("[") === count("]") && count("{") === count("}");
}

/**
 * The statement change of `line` (the line before it is `previous`): the whole statement taken out, or
 * undefined when the line is not one whole assignment or call statement of its own.
 */
function statementChange(line, previous) {
  const code = codeOf(line).trim();
  const before = codeOf(previous).trim();
  if (!/^[A-Za-z_$#]/.test(code) || !code.endsWith(";") || !balanced(code)) return undefined;
  if (
    /^(const|let|var|export|import|type|interface|case|default|super|private|public|protected|readonly|static)\b|\b(return|throw|yield|break|continue)\b/.test(
      code,
    )
  )
    return undefined;
  if (!/[;{}]$|^(if|else|for|while)\b.*\)$|^else$/.test(before)) return undefined; // a statement's first line
  const assigns = /(?<![=!<>])=(?![=>])|\+\+|--|[-+*/|&]=/.test(code);
  const calls = code.endsWith(");");
  if (!assigns && !calls) return undefined;
  const at = line.indexOf(line.trim());
  return { from: line.slice(at), to: ";" };
}

/** The change `kind` makes of line `index` of `lines`, or undefined when it makes none there. */
function changeOf(kind, lines, index) {
  const line = lines[index];
  if (kind === "guards") return guardChange(line, lines[index + 1] ?? "");
  if (kind === "numbers") return numberChange(line);
  if (kind === "statements") return statementChange(line, lines[index - 1] ?? "");
  const flip = FLIPS.find(([from]) => line.includes(from) && !(from === " < " && /<[A-Z]/.test(line))); // not a type argument
  return flip === undefined ? undefined : { from: flip[0], to: flip[1] };
}

/** Every line a change of `kind` applies to, in file order. */
function sites(kind) {
  const found = [];
  for (const folder of FOLDERS)
    for (const name of readdirSync(join(root, folder)).sort()) {
      if (!name.endsWith(".ts")) continue;
      const file = `${folder}/${name}`;
      const lines = readFileSync(join(root, file), "utf8").split("\n");
      lines.forEach((line, index) => {
        const text = line.trim();
        if (/^(\/\/|\*|\/\*|import )/.test(text) || text.includes("throw new Error")) return;
        const change = changeOf(kind, lines, index);
        if (change !== undefined) found.push({ file, index, ...change });
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

const scenarios = options.scenarios.split(",");
for (const name of scenarios) if (!SCENARIOS.includes(name)) usage(`--scenarios: ${name} is not one of ${SCENARIOS.join(", ")}`);
const KINDS = ["operators", "guards", "numbers", "statements"];
if (!KINDS.includes(options.kind)) usage(`--kind must be one of ${KINDS.join(", ")}, not '${options.kind}'`);
const all = sites(options.kind);
if (options.list) {
  for (const site of all) console.log(`${site.file}:${site.index + 1} '${site.from.trim()}' -> '${site.to.trim()}'`);
  console.log(`operator-flips: ${all.length} ${options.kind} sites`);
  process.exit(0);
}
const chosen = shuffled(all, seed).slice(0, sample);
const out = mkdtempSync(join(tmpdir(), "kmsim-flips-"));
let restore = () => {};
process.on("SIGINT", () => {
  restore();
  rmSync(out, { recursive: true, force: true });
  process.exit(130);
});
/** A short campaign of `scenario` in the worktree as it is now; a flip that loops forever is a hang after 10 s. */
function campaign(scenario) {
  const argv = ["bin/kmsim.mjs", "fuzz", "--scenario", scenario, "--seeds", String(seedsPer), "--recheck", "0%", "--fail-fast", "--quiet"];
  argv.push("--step-timeout", "10s");
  return spawnSync(process.execPath, [...argv, "--out", out], { cwd: root, encoding: "utf8" });
}

// A campaign that fails unchanged would count every change as caught: each must pass first.
for (const scenario of scenarios) {
  const run = campaign(scenario);
  if (run.status !== 0) {
    rmSync(out, { recursive: true, force: true });
    const why = `${run.stdout}${run.stderr}`.split("\n").find((line) => line.startsWith("FAIL")) ?? `exit ${run.status}`;
    usage(`${scenario} fails its ${seedsPer} seeds unchanged (${why.trim()}): pick other --seeds-per or --scenarios`);
  }
}
console.log(
  `operator-flips: ${options.kind}, ${chosen.length} of ${all.length} sites, seed ${seed}, ${seedsPer} seeds of each of ${scenarios.join(", ")}`,
);
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
    for (const scenario of scenarios) {
      const run = campaign(scenario);
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
