// Types of bin/run-built.mjs, for the tests that call it.
/** Runs `kmsim ARGV` from the build in `dist`; resolves to the exit code. */
export declare function runBuilt(dist: string, argv: string[]): Promise<number>;
