// The house keeps its shape: no import cycles anywhere in the sources (type-only imports count: a
// cycle of types still means two files that cannot be read apart), and every source file lives in
// one of the architecture's rooms.
import { describe, expect, it } from "vitest";
import { ROOMS } from "../eslint/layers.js";
import { importsOf, sources } from "./support/sources.ts";

const files = Object.keys(ROOMS).flatMap((room) => {
  try {
    return sources(room);
  } catch {
    return []; // a room with no folder yet
  }
});

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) !== indexOf.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!indexOf.has(v)) visit(v);
  return found;
}

describe("the import graph", () => {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it("reads the whole house", () => {
    expect(files.length).toBeGreaterThan(60);
    expect([...graph.values()].flat().length).toBeGreaterThan(200);
  });

  it("has no cycles", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a cycle when there is one (the check can fail)", () => {
    const planted = new Map(graph);
    planted.set("model/keys.ts", [...(graph.get("model/keys.ts") ?? []), "model/model.ts"]);
    planted.set("model/model.ts", [...(graph.get("model/model.ts") ?? []), "model/keys.ts"]);
    expect(cycles(planted).length).toBeGreaterThan(0);
  });
});
