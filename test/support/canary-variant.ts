// The shipped canary scenario (scenarios/canary.json) changed for a test and written as a scenario file:
// another mutant planted, or a field broken on purpose.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../cli/load.ts";

/** The shipped canary with `change` made to it, as `dir`/`name`.json; its path. */
export function canaryVariant(dir: string, name: string, change: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(readFileSync(join(ROOT, "scenarios", "canary.json"), "utf8")) as Record<string, unknown>;
  change(doc);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

/** The shipped canary planting `mutant` instead of its own, named `name`, as `dir`/`name`.json; its path. */
export function canaryPlanting(dir: string, name: string, mutant: string): string {
  return canaryVariant(dir, name, (doc) => Object.assign(doc, { name, canary: { mutant } }));
}
