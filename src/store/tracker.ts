// Follows one source for the event store: where its lines end (from the raw chunks, which run ahead), which lines are
// done, how each was accounted for, and the events not committed yet. It says how far it can be committed (the last
// done line whose end offset is known) and moves its cursor inside the writer's transaction.
import { InputError } from '../errors.js';
import type { LineTracker } from '../pipeline.js';
import type { Source } from '../sources/expand.js';
import type { LineOutcome } from '../types.js';
import type { SourcePlan } from './plan.js';
import { EVENT_LINE, NOT_FOUND_LINE, type EventRow, type NotFoundRow, type Writes } from './rows.js';

/**
 * What one commit takes of a tracker: its lines through `line` (ending at `offset`), its first `events` events and its
 * first `notFound` requests answered 404.
 */
export interface TrackerPart {
  tracker: FileTracker;
  line: number;
  offset: number;
  events: number;
  notFound: number;
  /** Lines from the last commit through `line`, by outcome: parsed, unparsed, skipped, truncated. */
  counts: [number, number, number, number];
}

/** The writer's side, as a tracker sees it. */
export interface TrackerHost {
  /** A line of some source is done: the writer decides whether a batch is full. */
  lineDone(): void;
  /** The tracker ended (its final position is set) and wants its last commit. */
  ended(t: FileTracker): void;
  /** Rows (events, 404s) of lines after the final position were dropped: they are read again by the next run. */
  dropped(n: number): void;
  readonly failed: unknown;
}

const OUTCOME: Record<LineOutcome, 0 | 1 | 2 | 3> = { parsed: 0, unparsed: 1, skipped: 2, truncated: 3 };

export class FileTracker implements LineTracker {
  readonly linesBefore: number;
  /** What events carry (e.file) and records name: the source's name. */
  readonly name: string;
  /** What is stored in events.file and files.file: the absolute path (the name for standard input). */
  readonly file: string;
  /** Events not committed yet, in line order (a source's lines are done in order). */
  readonly pending: EventRow[] = [];
  /** Requests answered 404 that web_scan counted, not committed yet, in line order. */
  readonly pendingNotFound: NotFoundRow[] = [];
  /** end() was called: the final position is set and nothing more comes. */
  ended = false;
  private readonly host: TrackerHost;
  private readonly plan: SourcePlan | null;
  private rowId: number | null;
  private version: number;
  private consumed = 0; // bytes seen since the start offset
  private ends: number[] = []; // absolute end offsets of lines committedLine + 1, + 2, ...
  private outcomes: number[] = []; // OUTCOME codes of lines committedLine + 1, + 2, ... as their records came
  private committedLine: number;
  private committedOffset: number;
  private doneLine: number;
  private endLine = 0;
  private endOffset = 0;
  private format: string | null = null;
  private first = true;

  constructor(host: TrackerHost, source: Source, plan: SourcePlan | null) {
    this.host = host;
    this.plan = plan;
    this.name = source.name;
    this.file = plan?.path ?? source.path ?? source.name;
    this.linesBefore = plan?.lines ?? 0;
    this.committedLine = this.doneLine = this.linesBefore;
    this.committedOffset = plan?.offset ?? 0;
    this.rowId = plan?.row?.id ?? null;
    this.version = plan?.row?.version ?? 0;
  }

  onChunk(chunk: Buffer): void {
    if (this.plan !== null) {
      const base = this.plan.offset + this.consumed;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) this.ends.push(base + i + 1);
    }
    this.consumed += chunk.length;
  }

  /** The record of the next line went on the bus with this outcome (before its lineDone). */
  recorded(outcome: LineOutcome): void {
    this.outcomes.push(OUTCOME[outcome]);
  }

  lineDone(line: number): void {
    this.doneLine = line;
    this.host.lineDone();
  }

  end(complete: boolean, format: string | null): void {
    if (this.host.failed !== null || this.ended) return;
    this.format = format;
    if (this.plan === null) {
      this.endLine = this.doneLine;
    } else if (complete && this.doneLine >= this.linesInBytes()) {
      this.endLine = this.doneLine;
      this.endOffset = this.plan.offset + this.consumed; // a last line without '\n' ends at the end of the file
    } else {
      // Stopped early, or read to the end but not every line was done (a merge stopped by Ctrl-C): only done lines
      // whose end was read count; the rest is read again next time.
      this.endLine = this.knownLine();
      this.endOffset = this.offsetOf(this.endLine);
      const keep = rowsThrough(this.pending, EVENT_LINE, this.endLine);
      const keepNotFound = rowsThrough(this.pendingNotFound, NOT_FOUND_LINE, this.endLine);
      const dropped = this.pending.length - keep + this.pendingNotFound.length - keepNotFound;
      this.pending.length = keep;
      this.pendingNotFound.length = keepNotFound;
      if (dropped > 0) this.host.dropped(dropped);
    }
    this.ended = true;
    this.host.ended(this);
  }

  /** How far a commit now can take this tracker, or null: nothing new to commit. */
  committable(): TrackerPart | null {
    const line = this.ended ? this.endLine : this.knownLine();
    const events = this.ended ? this.pending.length : rowsThrough(this.pending, EVENT_LINE, line);
    const notFound = this.ended ? this.pendingNotFound.length : rowsThrough(this.pendingNotFound, NOT_FOUND_LINE, line);
    if (!this.ended && line === this.committedLine && events === 0 && notFound === 0) return null;
    const offset = this.ended ? this.endOffset : this.offsetOf(line);
    const counts: TrackerPart['counts'] = [0, 0, 0, 0];
    const n = Math.min(line - this.committedLine, this.outcomes.length);
    for (let i = 0; i < n; i++) counts[this.outcomes[i]!]!++;
    return { tracker: this, line, offset, events, notFound, counts };
  }

  /** Inside the commit's transaction: moves the cursor (or inserts it) and adds the lines to the file's counts. */
  save(w: Writes, part: TrackerPart, db: string, updated: string): number | null {
    const [parsed, unparsed, skipped, truncated] = part.counts;
    w.addFile(this.file, part.line - this.committedLine, parsed, unparsed, skipped, truncated, this.format, updated);
    const p = this.plan;
    if (p === null) return null;
    if (this.rowId === null) {
      const r = w.insertCursor(p.path, p.id.dev, p.id.ino, Math.max(p.id.size, part.offset), part.offset, part.line, p.id.fingerprint, p.id.fpLen,
        p.id.whole ? 1 : 0, this.format, part.events, updated);
      if (r.changes === 0) throw conflict(db, p.path);
      this.rowId = Number(r.lastInsertRowid);
      this.version = 1;
    } else {
      const r = w.updateCursor(p.path, p.id.whole ? p.id.size : Math.max(p.id.size, part.offset), part.offset, part.line, p.id.fingerprint,
        p.id.fpLen, this.format, part.events, updated, this.rowId, this.version);
      if (r.changes === 0) throw conflict(db, p.path);
      this.version++;
    }
    if (this.first && p.retire.length > 0) w.retire(p.retire);
    this.first = false;
    return this.rowId;
  }

  /** After the transaction committed: forgets what it stored. */
  committed(part: TrackerPart): void {
    const n = part.line - this.committedLine;
    if (this.plan !== null) this.ends.splice(0, n);
    this.outcomes.splice(0, n);
    this.pending.splice(0, part.events);
    this.pendingNotFound.splice(0, part.notFound);
    this.committedLine = part.line;
    this.committedOffset = part.offset;
  }

  /** The last done line whose end offset is known (a cut over-long line's '\n' may still be to come). */
  private knownLine(): number {
    return this.plan === null ? this.doneLine : Math.min(this.doneLine, this.committedLine + this.ends.length);
  }

  private offsetOf(line: number): number {
    if (this.plan === null) return 0;
    return line === this.committedLine ? this.committedOffset : this.ends[line - this.committedLine - 1]!;
  }

  /** Lines in the bytes seen: one per '\n', and one for bytes after the last '\n'. */
  private linesInBytes(): number {
    const lastEnd = this.ends.length > 0 ? this.ends[this.ends.length - 1]! : this.committedOffset;
    const tail = this.plan!.offset + this.consumed - lastEnd;
    return this.committedLine + this.ends.length + (tail > 0 ? 1 : 0);
  }

}

/** How many of the pending rows belong to lines up to `line` (they are in line order: counted from the end). */
function rowsThrough(rows: readonly (readonly unknown[])[], lineAt: number, line: number): number {
  let k = rows.length;
  while (k > 0 && (rows[k - 1]![lineAt] as number) > line) k--;
  return k;
}

function conflict(db: string, path: string): InputError {
  return new InputError(`another audit scan stored lines of ${path} in ${db} while this one ran; stopped here (nothing is stored twice)`, {
    code: 'ECONFLICT', hint: 'run one scan at a time per database (cron: flock -n /run/audit.lock audit scan ...)',
  });
}
