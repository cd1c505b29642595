// Runs the CLI's `main` in-process, as the tests of every command do: what it prints with console.log
// and console.error is captured line by line (nothing reaches the test output), and the exit code it
// would end with is returned. Mocks are undone however `main` ends.
import { vi } from "vitest";
import { main } from "../../cli/main.ts";

export interface KmsimRun {
  code: number;
  stdout: string[];
  stderr: string[];
}

export async function kmsim(...argv: string[]): Promise<KmsimRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void stdout.push(String(line)));
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void stderr.push(String(line)));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
