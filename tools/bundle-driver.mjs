// One driver of tools/ bundled for a traced or counted node: the driver's source from this checkout's
// tools/, its imports resolved in checkout `root` (this one, or another being measured), as one CommonJS
// file with an external source map (to map profiles and deopt sites back to the TypeScript). cli/load.ts
// finds scenarios/ one level above the file import.meta.url names, so that names a file in root/tools.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

/** Bundles tools/`driverName` (a .ts file beside this one) against checkout `root` into `outfile`. */
export async function bundleDriver(driverName, root, outfile) {
  const { build } = await import("esbuild");
  await build({
    absWorkingDir: root,
    stdin: {
      contents: readFileSync(join(import.meta.dirname, driverName), "utf8"),
      resolveDir: join(root, "tools"),
      sourcefile: `tools/${basename(driverName)}`,
      loader: "ts",
    },
    outfile,
    bundle: true,
    minifyWhitespace: true,
    platform: "node",
    target: "node20.19",
    format: "cjs",
    sourcemap: "external",
    logLevel: "warning",
    define: { "import.meta.url": "__driverUrl" },
    banner: { js: `const __driverUrl = ${JSON.stringify(pathToFileURL(join(root, "tools", "driver.cjs")).href)};` },
  });
}
