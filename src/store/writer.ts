// Stores a scan's events and alerts with the offsets they were read to, exactly once: every transaction holds the
// events of whole lines and moves the file's cursor to the end of the last of those lines. A run killed at any moment
// left either all of a batch or none of it, and the next run reads on from the last committed line.
import type { Bus } from '../bus.js';
import type { AuditError } from '../errors.js';
import { InputError } from '../errors.js';
import type { LineTracker } from '../pipeline.js';
import type { Source } from '../sources/expand.js';
import type { Alert, SecurityEvent } from '../types.js';
import { storeError, type Store } from './db.js';
import type { SourcePlan } from './plan.js';
import { alertRow, eventRow, prepareInserters, type AlertRow, type EventRow, type Inserters } from './rows.js';

export interface WriterOptions {
  storeLines: boolean;
  now: Date;
  /** Commit at least every this many lines ... */
  batchLines?: number;
  /** ... or this many events, whichever comes first (and at the end of every source). */
  batchEvents?: number;
  /** Called once when storing fails (busy, another writer, disk full): the caller stops the scan. */
  onFail: (err: AuditError) => void;
}

export const BATCH_LINES = 50_000;
export const BATCH_EVENTS = 5_000;

export class StoreWriter {
  failed: AuditError | null = null;
  /** Events committed by this run. */
  stored = 0;
  readonly plans: Map<Source, SourcePlan>;
  private readonly store: Store;
  private readonly ins: Inserters;
  private readonly opts: WriterOptions;
  private readonly nowIso: string;
  private events: EventRow[] = [];
  private alerts: AlertRow[] = [];
  private raw: string | null = null;
  private current: FileTracker | null = null;

  constructor(store: Store, bus: Bus, plans: Map<Source, SourcePlan>, opts: WriterOptions) {
    this.store = store;
    this.plans = plans;
    this.opts = opts;
    this.nowIso = opts.now.toISOString();
    this.ins = prepareInserters(store.db);
    bus.on('event', this.onEvent);
    bus.on('alert', this.onAlert);
    if (opts.storeLines) bus.on('record', (r) => { this.raw = r.raw; });
  }

  /** The pipeline's hook: one tracker per source. */
  readonly track = (source: Source): LineTracker => {
    const t = new FileTracker(this, source, this.plans.get(source) ?? null);
    this.current = t;
    return t;
  };

  /** Commits what is left (alerts raised at the end of the scan). */
  finish(): void {
    if (this.alerts.length > 0 || this.events.length > 0) this.commit(null, null);
  }

  private readonly onEvent = (e: SecurityEvent): void => {
    if (this.failed !== null) return;
    this.events.push(eventRow(e, this.current?.file ?? e.file, this.opts.storeLines ? this.raw : null, this.nowIso));
  };

  private readonly onAlert = (a: Alert): void => {
    if (this.failed === null) this.alerts.push(alertRow(a, this.nowIso));
  };

  get pendingEvents(): number {
    return this.events.length;
  }

  get batchLines(): number {
    return this.opts.batchLines ?? BATCH_LINES;
  }

  get batchEvents(): number {
    return this.opts.batchEvents ?? BATCH_EVENTS;
  }

  /** Drops the events of lines after `line` (read, but their end offset is unknown: the next run reads them again). */
  dropAfter(line: number): void {
    this.events = this.events.filter((r) => r[15] <= line);
  }

  /** One transaction: the cursor's new position (if any), the batch's events and alerts. False when it failed. */
  commit(t: FileTracker | null, cursor: CursorUpdate | null): boolean {
    if (this.failed !== null) return false;
    const events = this.events;
    const alerts = this.alerts;
    try {
      const tx = this.store.db.transaction(() => {
        const cursorId = t !== null && cursor !== null ? t.saveCursor(this.store, cursor, this.nowIso) : null;
        for (const row of events) this.ins.event(row, cursorId);
        for (const row of alerts) this.ins.alert(row);
      });
      tx.immediate();
    } catch (err) {
      this.fail(err instanceof InputError ? err : storeError(err, this.store.name));
      return false;
    }
    this.stored += events.length;
    this.events = [];
    this.alerts = [];
    return true;
  }

  fail(err: AuditError): void {
    if (this.failed !== null) return;
    this.failed = err;
    this.events = [];
    this.alerts = [];
    this.opts.onFail(err);
  }
}

/** Where a file's cursor moves to in a commit. */
export interface CursorUpdate {
  offset: number;
  lines: number;
  events: number;
  format: string | null;
}

/** Follows one source: line-end offsets from the raw chunks, lines done from the pipeline; commits in batches. */
export class FileTracker implements LineTracker {
  readonly linesBefore: number;
  readonly file: string;
  private readonly writer: StoreWriter;
  private readonly plan: SourcePlan | null;
  private rowId: number | null;
  private version: number;
  private consumed = 0; // bytes seen since the start offset
  private ends: number[] = []; // absolute end offsets of lines committedLine + 1, + 2, ...
  private committedLine: number;
  private doneLine: number;
  private committedOffset: number;
  private format: string | null = null;
  private first = true;

  constructor(writer: StoreWriter, source: Source, plan: SourcePlan | null) {
    this.writer = writer;
    this.plan = plan;
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

  lineDone(line: number): void {
    this.doneLine = line;
    const w = this.writer;
    if (line - this.committedLine < w.batchLines && w.pendingEvents < w.batchEvents) return;
    if (this.plan === null) {
      this.commitThrough(line, 0);
      return;
    }
    const k = line - this.committedLine - 1; // index of this line's end in `ends`
    if (k < this.ends.length) this.commitThrough(line, this.ends[k]!); // else: a cut line whose '\n' is still to come
  }

  end(complete: boolean, format: string | null): void {
    if (this.writer.failed !== null) return;
    this.format = format;
    let line = this.doneLine;
    let offset = 0;
    if (this.plan !== null && complete) {
      offset = this.plan.offset + this.consumed; // a last line without '\n' ends at the end of the file
    } else if (this.plan !== null) {
      // stopped early: only lines whose end was read count; the rest is read again next time
      line = Math.min(line, this.committedLine + this.ends.length);
      offset = line === this.committedLine ? this.committedOffset : this.ends[line - this.committedLine - 1]!;
      this.writer.dropAfter(line);
    }
    this.commitThrough(line, offset);
  }

  private commitThrough(line: number, offset: number): void {
    const events = this.writer.pendingEvents;
    const update = this.plan === null ? null : { offset, lines: line, events, format: this.format };
    if (!this.writer.commit(this, update)) return;
    this.ends = this.ends.slice(line - this.committedLine);
    this.committedLine = line;
    this.committedOffset = offset;
  }

  /** Inside the commit's transaction: moves the cursor, or inserts it; a concurrent writer makes it fail. */
  saveCursor(store: Store, u: CursorUpdate, updated: string): number {
    const p = this.plan!;
    const db = store.db;
    if (this.rowId === null) {
      const r = db.prepare(`INSERT OR IGNORE INTO cursors (path, dev, ino, size, offset, lines, fingerprint, fp_len, whole, format, events, version, updated)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`).run(
        p.path, p.id.dev, p.id.ino, Math.max(p.id.size, u.offset), u.offset, u.lines, p.id.fingerprint, p.id.fpLen, p.id.whole ? 1 : 0, u.format, u.events, updated);
      if (r.changes === 0) throw conflict(store.name, p.path);
      this.rowId = Number(r.lastInsertRowid);
      this.version = 1;
    } else {
      const r = db.prepare(`UPDATE cursors SET path = ?, size = ?, offset = ?, lines = ?, fingerprint = ?, fp_len = ?, format = coalesce(?, format),
        events = events + ?, version = version + 1, updated = ?, retired = 0 WHERE id = ? AND version = ?`).run(
        p.path, p.id.whole ? p.id.size : Math.max(p.id.size, u.offset), u.offset, u.lines, p.id.fingerprint, p.id.fpLen, u.format, u.events, updated, this.rowId, this.version);
      if (r.changes === 0) throw conflict(store.name, p.path);
      this.version++;
    }
    if (this.first && p.retire.length > 0) {
      db.prepare(`UPDATE cursors SET retired = 1 WHERE id IN (${p.retire.map(() => '?').join(', ')})`).run(...p.retire);
    }
    this.first = false;
    return this.rowId;
  }
}

function conflict(db: string, path: string): InputError {
  return new InputError(`another audit scan stored lines of ${path} in ${db} while this one ran; stopped here (nothing is stored twice)`, {
    code: 'ECONFLICT', hint: 'run one scan at a time per database (cron: flock -n /run/audit.lock audit scan ...)',
  });
}
