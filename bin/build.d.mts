// Types of bin/build.mjs, for the tests that call it (the script itself is plain JavaScript: it must
// run before anything is built).
export declare const ROOT: string;
/** The folders whose files the CLI is built from, watched for staleness. */
export declare const SOURCE_DIRS: readonly string[];
/** Why `dist` (default `<root>/dist`) cannot be used as it is, or undefined when it can. */
export declare function staleReason(root?: string, dist?: string): string | undefined;
/** Builds the CLI into `dist` (default `<root>/dist`), replacing it whole, and warms its code cache. */
export declare function build(root?: string, dist?: string): Promise<void>;
/** What the stamp of a build of `root` made now says: the list of source files it was built from. */
export declare function stampFor(root?: string): string;
/** Longest the build's warm-up run may take, in ms. */
export declare const WARM_UP_MS_MAX: number;
/** Runs `kmsim ARGV --out TEMP` (seed 1) with the build in `dist` to write its code cache; a warning line when it did not end in a verdict. */
export declare function warmUp(root: string, dist: string, argv?: readonly string[], timeoutMs?: number): Promise<string | undefined>;
