// Types for eslint/layers.js (plain JavaScript so that ESLint loads it without a TypeScript step).
import type { Rule } from "eslint";

export declare const ROOMS: Record<"protocol" | "model" | "sim" | "mutants" | "harness" | "reports" | "cli", string[]>;
export declare const layers: Rule.RuleModule;
