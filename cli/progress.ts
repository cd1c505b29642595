// Progress of a campaign on stderr. On a terminal, one live line redrawn in place: seeds done of
// total, steps/s, failures so far, elapsed and time left. Elsewhere (a CI log) a plain line at most
// every `plainEveryMs`, so the log shows life without growing long. NO_COLOR turns colour off;
// --quiet turns the whole display off. Wall-clock time, allowed here in cli/ only.

export interface ProgressOptions {
  stream: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean; columns?: number };
  quiet: boolean;
  colour: boolean;
  /** Least time between two plain lines when not on a terminal. */
  plainEveryMs: number;
  /** Least time between two redraws of the live line on a terminal. */
  liveEveryMs: number;
  now: () => number;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export class Progress {
  private done = 0;
  private steps = 0;
  private failures = 0;
  private readonly startMs: number;
  private lastDrawMs = -Infinity;
  private live = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly total: number,
    private readonly options: ProgressOptions,
    /** When the time budget runs out, if there is one (on options.now's clock). */
    private readonly deadlineMs?: number,
  ) {
    this.startMs = options.now();
    const tty = options.stream.isTTY === true;
    if (!options.quiet) {
      this.timer = setInterval(() => this.draw(false), tty ? 1000 : options.plainEveryMs);
      this.timer.unref();
    }
  }

  seedDone(steps: number, failed: boolean): void {
    this.done++;
    this.steps += steps;
    if (failed) this.failures++;
    this.draw(false);
  }

  /** A line of its own (a failure found), without tearing the live line. */
  say(line: string): void {
    if (this.options.quiet) return;
    this.clearLive();
    this.options.stream.write(`${this.fit(line)}\n`);
    this.draw(true);
  }

  line(): string {
    const elapsedMs = this.options.now() - this.startMs;
    const perSecond = elapsedMs > 0 ? Math.round((this.steps * 1000) / elapsedMs) : 0;
    const byRate = this.done > 0 ? ((this.total - this.done) * elapsedMs) / this.done : undefined;
    const byBudget = this.deadlineMs === undefined ? undefined : this.deadlineMs - this.options.now();
    const leftMs = byRate === undefined ? byBudget : byBudget === undefined ? byRate : Math.min(byRate, byBudget);
    const failures = `${this.failures} failure${this.failures === 1 ? "" : "s"}`;
    const paint = this.options.colour && this.failures > 0 ? `\x1b[31m${failures}\x1b[0m` : failures;
    const left = leftMs === undefined ? "" : `, ~${formatDuration(leftMs)} left`;
    return `kmsim fuzz: ${this.done}/${this.total} seeds, ${perSecond} steps/s, ${paint}, ${formatDuration(elapsedMs)} elapsed${left}`;
  }

  finish(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.clearLive();
  }

  private draw(force: boolean): void {
    if (this.options.quiet) return;
    const now = this.options.now();
    const tty = this.options.stream.isTTY === true;
    if (!force && now - this.lastDrawMs < (tty ? this.options.liveEveryMs : this.options.plainEveryMs)) return;
    this.lastDrawMs = now;
    if (tty) {
      this.options.stream.write(`\r\x1b[2K${this.fit(this.line())}`);
      this.live = true;
    } else if (!force) this.options.stream.write(`${this.line()}\n`);
  }

  private clearLive(): void {
    if (!this.live) return;
    this.options.stream.write("\r\x1b[2K");
    this.live = false;
  }

  /** Cuts a line to the terminal's width, or 100 columns in a log (colour codes do not count). */
  private fit(line: string): string {
    const columns = this.options.stream.columns ?? 100;
    // eslint-disable-next-line no-control-regex
    const visible = line.replace(/\x1b\[[0-9;]*m/g, "");
    if (visible.length < columns) return line;
    return `${visible.slice(0, Math.max(10, columns - 2))}…`;
  }
}
