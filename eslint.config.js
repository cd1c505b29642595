// Lint: typed rules for the two mistakes that break a deterministic simulator quietly — promises
// left floating and value imports that should be type-only —, the architecture's import rule
// (eslint/layers.js), and Prettier's formatting (prettier --check runs beside it in `npm run lint`).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { layers } from "./eslint/layers.js";

export default tseslint.config(
  { ignores: ["node_modules/", "reports/out/", "bin/", "dist/", "dist.*/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Every KMS operation is a process (a generator) so the dispatcher treats all alike; many never wait.
      "require-yield": "off",
    },
  },
  {
    files: ["**/*.ts", "**/*.mjs", "**/*.js"],
    plugins: { kmsim: { rules: { layers } } },
    rules: { "kmsim/layers": ["error", { root: import.meta.dirname }] },
  },
);
