// The campaign journal: journal.jsonl in the output folder, one JSON line per finished seed, written
// as each seed arrives, after the spec of the campaign on the first line. A SIGKILL can tear only the
// last line (what was written is in the kernel's hands); reading ignores a torn last line, and
// --resume cuts it off and goes on, so a killed campaign loses at most the seeds that were in flight.
// Against the machine itself going down, the file is fsync'd at most once every
// JOURNAL_FSYNC_INTERVAL_MS and when closed: an fsync per seed cost the main thread ~9% of a
// one-worker campaign.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../protocol/input-error.ts";
import type { CampaignSpec, SeedSummary } from "../reports/campaign.ts";

export const JOURNAL_FILE = "journal.jsonl";
/** At most this long of finished seeds (wall time) is lost if the machine, not just kmsim, goes down. */
export const JOURNAL_FSYNC_INTERVAL_MS = 1000;

export interface JournalHeader {
  kmsim: "journal/2";
  spec: CampaignSpec;
  /** The scenario as the workers load it (a name or a path). */
  scenarioRef: string;
}

export interface JournalContents {
  header: JournalHeader;
  summaries: SeedSummary[];
  /** Bytes of whole lines: anything after (a torn line) is cut off before appending. */
  wholeBytes: number;
}

export class Journal {
  private syncedAtMs = Date.now();

  private constructor(private fd: number) {}

  /** Starts a new journal in `dir`, replacing any old one. */
  static start(dir: string, header: JournalHeader): Journal {
    const journal = new Journal(openSync(join(dir, JOURNAL_FILE), "w"));
    journal.line(header);
    return journal;
  }

  /** Opens the journal read by `readJournal` to append to it, after cutting off a torn last line. */
  static continue(dir: string, contents: JournalContents): Journal {
    truncateSync(join(dir, JOURNAL_FILE), contents.wholeBytes);
    return new Journal(openSync(join(dir, JOURNAL_FILE), "a"));
  }

  append(summary: SeedSummary): void {
    this.line(summary);
  }

  close(): void {
    if (this.fd < 0) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  private line(value: unknown): void {
    writeSync(this.fd, `${JSON.stringify(value)}\n`, null, "utf8");
    const nowMs = Date.now();
    if (nowMs - this.syncedAtMs < JOURNAL_FSYNC_INTERVAL_MS) return;
    fsyncSync(this.fd);
    this.syncedAtMs = nowMs;
  }
}

export function readJournal(dir: string): JournalContents {
  const file = join(dir, JOURNAL_FILE);
  if (!existsSync(file)) throw new InputError(`kmsim fuzz --resume: no journal in ${dir} (${JOURNAL_FILE}); nothing to resume`);
  const text = readFileSync(file, "utf8");
  const whole = text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1); // a torn last line is ignored
  const lines = whole.split("\n").slice(0, -1);
  const parsed = lines.map((line, i) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw new InputError(`${file}: line ${i + 1} is not JSON; the journal is damaged (only a torn last line can be skipped)`);
    }
  });
  const header = parsed[0] as JournalHeader | undefined;
  if (header?.kmsim !== "journal/2")
    throw new InputError(`${file}: line 1: not a kmsim journal of this version (journal/2); run the campaign afresh`);
  const summaries = parsed.slice(1) as SeedSummary[];
  const seen = new Set<number>();
  for (const s of summaries) {
    if (seen.has(s.seed)) throw new InputError(`${file}: seed ${s.seed} is in the journal twice; the journal is damaged`);
    seen.add(s.seed);
  }
  return { header, summaries, wholeBytes: Buffer.byteLength(whole, "utf8") };
}
