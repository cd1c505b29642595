// The architecture as a lint rule: each top-level folder is a room that may import only the rooms
// listed for it (../shared/design/architecture.md). An import is resolved to the file it names, so a
// path that wanders (`../../sim/../model/x.ts`) is judged by where it lands, not by how it is spelt.
import { dirname, relative, resolve, sep } from "node:path";

/** Room → the rooms its files may import (itself included). Test files and tools may import anything. */
export const ROOMS = {
  protocol: ["protocol"],
  model: ["protocol", "model"],
  sim: ["protocol", "sim"],
  mutants: ["protocol", "sim", "mutants"],
  harness: ["protocol", "model", "sim", "harness"],
  reports: ["protocol", "harness", "reports"],
  cli: ["protocol", "model", "sim", "harness", "mutants", "reports", "cli"],
};

function roomOf(root, file) {
  const top = relative(root, file).split(sep)[0];
  return Object.hasOwn(ROOMS, top) ? top : undefined;
}

/** @type {import("eslint").Rule.RuleModule} */
export const layers = {
  meta: {
    type: "problem",
    docs: { description: "Each room (top-level folder) imports only the rooms the architecture allows." },
    schema: [{ type: "object", properties: { root: { type: "string" } }, additionalProperties: false }],
    messages: {
      forbidden: "{{from}}/ may not import {{to}}/ (a {{from}} file may import only: {{allowed}}; see ../shared/design/architecture.md)",
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = roomOf(root, file);
    if (from === undefined) return {};
    const check = (node, source) => {
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const to = roomOf(root, resolve(dirname(file), source));
      if (to === undefined || ROOMS[from].includes(to)) return;
      context.report({ node, messageId: "forbidden", data: { from, to, allowed: ROOMS[from].join(", ") } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
    };
  },
};
