// The campaign journal: journal.jsonl in the output folder, one JSON line per finished seed, written
// as each seed arrives, after the spec of the campaign on the first line. A SIGKILL can tear only the
// last line (what was written is in the kernel's hands); reading ignores a torn last line, and
// --resume cuts it off and goes on, so a killed campaign loses at most the seeds that were in flight.
// Against the machine itself going down, the file is fsync'd at most once every
// JOURNAL_FSYNC_INTERVAL_MS and when closed: an fsync per seed cost the main thread ~9% of a
// one-worker campaign.
import { closeSync, existsSync, fsyncSync, openSync, readSync, truncateSync, writeSync } from "node:fs";
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

/** Bytes read from the journal at a time (a longer line grows the buffer). */
const READ_CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Reads the journal in `dir` line by line, handing each finished seed's summary to `each` as it is
 * read, so a long campaign's journal (about 2.3 KB a seed) is never held whole: a text of every line
 * would pass V8's longest string (2^29 - 24 characters) at about 230,000 seeds, and the summaries it
 * held together cost several times the file. Bytes after the last newline, a torn last line, are ignored.
 */
export function readJournal(dir: string, each: (summary: SeedSummary) => void): JournalContents {
  const file = join(dir, JOURNAL_FILE);
  if (!existsSync(file)) throw new InputError(`kmsim fuzz --resume: no journal in ${dir} (${JOURNAL_FILE}); nothing to resume`);
  const notAJournal = () => new InputError(`${file}: line 1: not a kmsim journal of this version (journal/2); run the campaign afresh`);
  let header: JournalHeader | undefined;
  const seen = new Set<number>();
  const readLine = (text: string, lineNumber: number) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InputError(`${file}: line ${lineNumber} is not JSON; the journal is damaged (only a torn last line can be skipped)`);
    }
    if (header === undefined) {
      if ((value as Partial<JournalHeader> | null)?.kmsim !== "journal/2") throw notAJournal();
      header = value as JournalHeader;
      return;
    }
    const summary = value as SeedSummary;
    if (seen.has(summary.seed)) throw new InputError(`${file}: seed ${summary.seed} is in the journal twice; the journal is damaged`);
    seen.add(summary.seed);
    each(summary);
  };
  const fd = openSync(file, "r");
  let wholeBytes = 0; // the file's offset of the buffer's first byte: just past the last newline read
  let lines = 0;
  try {
    let buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        const longer = Buffer.allocUnsafe(buffer.length * 2); // one line longer than the buffer
        buffer.copy(longer, 0, 0, filled);
        buffer = longer;
      }
      const read = readSync(fd, buffer, filled, buffer.length - filled, wholeBytes + filled);
      if (read === 0) break;
      filled += read;
      const data = buffer.subarray(0, filled);
      let start = 0;
      for (let end = data.indexOf(NEWLINE, start); end !== -1; end = data.indexOf(NEWLINE, start)) {
        readLine(data.toString("utf8", start, end), ++lines);
        start = end + 1;
      }
      buffer.copyWithin(0, start, filled);
      wholeBytes += start;
      filled -= start;
    }
  } finally {
    closeSync(fd);
  }
  if (header === undefined) throw notAJournal(); // empty, or its first line torn
  return { header, wholeBytes };
}
