// The main thread's queue for a source read by a worker: batches of merge keys and outcomes, and records only for
// lines with events (or that the detectors read). Delivery replays the single-threaded order on the bus: runs of
// event-less lines as one folded 'lines' event, the others as a 'record' followed by their events.
import type { Bus, SourceInfo } from '../bus.js';
import { WaitingLane, type MergeLane } from '../merge.js';
import { FIELD, NO_FIELDS, type LogRecord, type SecurityEvent, type SigmaInfo, type SourceProblem } from '../types.js';
import { EventUnpacker } from './event-pack.js';
import type { Queued } from './pool.js';
import { MARK_404, MARK_NO_TIME, MARK_WIDTH, OUTCOMES, type Batch, type BlockTail } from './protocol.js';

const NO_IP_404: Readonly<Record<string, string>> = Object.freeze({ [FIELD.status]: '404' });

export interface WorkerLaneOptions {
  keepEvent: (e: SecurityEvent) => boolean;
  /** The merger delivered a whole batch of this many lines: the worker may read further. */
  consumed: (lines: number) => void;
  /** A delivered batch's buffer (its typed arrays' one), to give back to the thread that wrote it. */
  recycle?: ((buffer: ArrayBuffer) => void) | undefined;
  /** The `sigma` key of each Sigma rule's events, by rule (event-pack.ts EventUnpacker); absent: no Sigma rule runs. */
  sigma?: ReadonlyMap<string, Readonly<SigmaInfo>> | null | undefined;
}

export class WorkerLane extends WaitingLane implements MergeLane {
  readonly index: number;
  pending = 0;
  private readonly opts: WorkerLaneOptions;
  /** Set at the end (or from the last batch, if the worker died): what sourceEnd says. */
  private summary: { format: string | null; reason: string } | null = null;
  private bytes = 0;
  private readonly batches: Queued[] = [];
  /** batches[0] itself, once taken (front): the batches after it are taken only when their turn comes. */
  private taken: Batch | null = null;
  /** Position in the front batch: the next line, and the next marked line. */
  private pos = 0;
  private markPos = 0;
  private webPos = 0;
  private readonly unpacker: EventUnpacker;
  /**
   * The record of every marked line, written over for each: its listeners in a parallel scan read it during the call
   * and keep nothing of it but strings (the counter its file; web_scan copies the address and message). A new record
   * per marked line was ~16% of what the main thread allocated (auth.log), hence of its scavenges.
   */
  private readonly record: LogRecord = {
    file: '', line: 0, format: null, time: null, host: null, program: null, pid: null, level: null, message: '', fields: NO_FIELDS, raw: '',
  };
  /** The fields of a 404 with an address, written over for each as the record is (a 404 without one: NO_IP_404). */
  private readonly fields404: Record<string, string> = { [FIELD.status]: '404', [FIELD.ip]: '' };

  constructor(index: number, bus: Bus, opts: WorkerLaneOptions) {
    super(bus);
    this.index = index;
    this.opts = opts;
    this.unpacker = new EventUnpacker(opts.sigma ?? null);
  }

  // ---- fed by the pool, from the worker's messages

  open(info: SourceInfo): void {
    this.info = info;
  }

  /** Never empty: a reader posts no batch without lines (read-job.ts flush). */
  batch(q: Queued): void {
    this.bytes += q.bytes;
    this.summary = { format: q.format, reason: q.reason };
    this.batches.push(q);
    this.pending += q.lines;
    this.wake();
  }

  /** The worker ended the source; summary null: it was never opened (no sourceEnd, as readSource). */
  end(bytes: number, summary: { format: string | null; reason: string } | null, _tail: BlockTail | null = null): void {
    this.bytes += bytes;
    if (summary !== null) this.summary = summary;
    this.ended = true;
    this.wake();
  }

  /** The worker died: a problem for the source, which ends with what arrived (a partial count, like Ctrl-C). */
  fail(p: SourceProblem): void {
    if (this.ended) return;
    this.problems.push(p);
    if (this.info !== null) this.summary ??= { format: null, reason: 'no format: the worker thread failed' };
    this.ended = true;
    this.wake();
  }

  // ---- the merger's side

  headKey(): number {
    return this.front().keys[this.pos]!;
  }

  deliverUntil(bound: number, inclusive: boolean): void {
    while (this.batches.length > 0) {
      const b = this.front();
      const { keys, outcomes, marks } = b;
      const n = keys.length;
      let i = this.pos;
      let m = this.markPos;
      let nextMark = m < marks.length ? marks[m]! : n;
      while (i < n && (keys[i]! < bound || (inclusive && keys[i] === bound))) {
        if (i === nextMark) {
          this.deliverMarked(b, m, outcomes[i]!);
          m += MARK_WIDTH;
          nextMark = m < marks.length ? marks[m]! : n;
          i++;
          continue;
        }
        // A run of event-less lines with one outcome, folded into one bus event.
        const o = outcomes[i]!;
        let j = i + 1;
        while (j < nextMark && outcomes[j] === o && (keys[j]! < bound || (inclusive && keys[j] === bound))) j++;
        this.bus.emit('lines', this.info!.name, OUTCOMES[o]!, j - i);
        i = j;
      }
      this.pending -= i - this.pos;
      if (i < n) {
        this.pos = i;
        this.markPos = m;
        return;
      }
      this.next();
      this.opts.consumed(n);
    }
  }

  closeNow(): void {
    this.sayProblems();
    if (this.info === null || this.summary === null) return;
    this.bus.emit('sourceEnd', {
      name: this.info.name, format: this.summary.format, bytes: this.bytes, detection: this.summary.reason,
      lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0, // the counter counts these itself
    });
  }

  /**
   * The marked line at marks[m]: a record with what scan's record listeners read (the counter: file; web_scan: time,
   * status, address, message), then its events, in the order the rules emitted them.
   */
  private deliverMarked(b: Batch, m: number, code: number): void {
    const { marks } = b;
    const flags = marks[m + 2]!;
    const file = this.info!.name;
    const line = b.first + marks[m]!;
    const record = this.record;
    record.file = file;
    record.line = line;
    record.time = (flags & MARK_NO_TIME) !== 0 ? null : marks[m + 1]!;
    if ((flags & MARK_404) !== 0) {
      const ip = b.web[this.webPos];
      record.message = b.web[this.webPos + 1]!;
      this.webPos += 2;
      if (ip === undefined) {
        record.fields = NO_IP_404;
      } else {
        this.fields404[FIELD.ip] = ip;
        record.fields = this.fields404;
      }
    } else {
      record.message = '';
      record.fields = NO_FIELDS;
    }
    this.bus.emit('record', record, OUTCOMES[code]!);
    for (let k = marks[m + 3]!; k > 0; k--) {
      const e = this.unpacker.next(file, line);
      if (this.opts.keepEvent(e)) this.bus.emit('event', e);
    }
  }

  /** The batch being delivered, taken when its turn comes (its events are read from the start). */
  private front(): Batch {
    if (this.taken === null) {
      this.taken = this.batches[0]!.take();
      this.unpacker.load(this.taken.events);
    }
    return this.taken;
  }

  /** The front batch is done: the next one is taken when the merger reaches it. */
  private next(): void {
    const done = this.taken!;
    this.batches.shift();
    this.taken = null;
    this.opts.recycle?.(done.keys.buffer as ArrayBuffer);
    this.pos = 0;
    this.markPos = 0;
    this.webPos = 0;
  }
}
