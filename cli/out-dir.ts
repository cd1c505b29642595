// The output folder is checked before any work starts: a campaign that runs for an hour and then
// cannot write its report has wasted the hour. The folder is made if missing and a file is written
// to and removed from it; any failure is bad input, one line, exit 2. Folders are made one level at
// a time: Node's recursive mkdir never returns for some paths under /proc.
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) mkdirSync(d);
}
import { InputError } from "../protocol/input-error.ts";

export function ensureWritableDir(command: string, dir: string): string {
  if (dir === "") throw new InputError(`kmsim ${command}: --out must name a folder`);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`kmsim ${command}: --out ${dir}: is a file, not a folder`);
  const probe = join(dir, `.kmsim-write-check-${process.pid}`);
  try {
    makeFolders(dir);
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (e) {
    const why = e instanceof Error && "code" in e ? String(e.code) : "cannot write";
    throw new InputError(`kmsim ${command}: --out ${dir}: cannot write there (${why})`);
  }
  return dir;
}
