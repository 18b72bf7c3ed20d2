// Reads several sources at once and hands their records on in the order of their time (a k-way merge, one queue per
// source), so that detectors see an attack spread over several files as it happened, not file after file. The order
// depends only on the data, never on which disk answered first: the merger takes a record only when every open source
// has one waiting (or has ended), and equal times go in the order the inputs were named.
import type { Bus, SourceInfo } from './bus.js';
import type { LineOutcome, LogRecord, SourceProblem } from './types.js';

/** What a source's record becomes once its turn comes: the bus, the rules, the store's line tracking. */
export type Deliver = (record: LogRecord, outcome: LineOutcome) => void;

/** Sources read at once; the next input starts when one of them ends. Bounds memory (queues) and open files. */
export const MERGE_WIDTH = 16;
/**
 * Records a source may read ahead of the merger before its reading pauses, and where it resumes; and the size of a
 * merged source's reads (a read's lines are queued at once). Small, so that a record is delivered before the young
 * generation is collected twice: queued records that get promoted raised the peak RSS of 16 files merged from
 * 130 MB (one after another) to 243 MB with 2,048 records and 256 KiB reads, and to 163 MB with these values.
 */
const HIGH_WATER = 256;
const LOW_WATER = 64;
export const MERGED_READ_BYTES = 16 * 1024;
/** Delivered slots at the front of a queue that is never empty are reclaimed past this many. */
const COMPACT_AT = 4096;

/**
 * What the merger needs of a source's queue. Lane below holds records; src/parallel/worker-lane.ts holds the lines a
 * worker thread read (keys and outcomes, records only where they matter).
 */
export interface MergeLane {
  readonly index: number;
  /** The reader is done (nothing more will be queued). */
  readonly ended: boolean;
  /** Lines queued and not yet delivered. */
  readonly pending: number;
  /** A promise while nothing is queued and the source goes on; null when a line or the end can be seen. */
  ready(): Promise<void> | null;
  /** A promise until something happens on the reader's side (a line or the end). */
  changed(): Promise<void>;
  /** The merge key of the first queued line (only asked while pending > 0). */
  headKey(): number;
  /** Delivers queued lines while their key is before `bound` (or equal to it, when `inclusive`). */
  deliverUntil(bound: number, inclusive: boolean): void;
  /** sourceStart, once, when the merger first sees the source open. */
  announce(): void;
  /** Problems, then the source's summary. */
  closeNow(): void;
}

/**
 * What the lane kinds share: the merger's waiting (it sleeps until the reader queues a line or ends), and saying
 * the source's start and problems on the bus at the merger's pace.
 */
export abstract class WaitingLane {
  ended = false;
  protected readonly bus: Bus;
  protected info: SourceInfo | null = null;
  protected readonly problems: SourceProblem[] = [];
  private announced = false;
  private wakeMerger: (() => void) | null = null;

  constructor(bus: Bus) {
    this.bus = bus;
  }

  /** Lines queued and not yet delivered. */
  abstract readonly pending: number;

  /** A promise while nothing is queued and the source goes on; null when a line or the end can be seen. */
  ready(): Promise<void> | null {
    if (this.pending > 0 || this.ended) return null;
    return new Promise((resolve) => { this.wakeMerger = resolve; });
  }

  /** A promise until something happens on the reader's side (a line or the end); for waiting out a stop. */
  changed(): Promise<void> {
    return new Promise((resolve) => { this.wakeMerger = resolve; });
  }

  /** sourceStart, once, when the merger first sees the source open (a source that failed to open has none). */
  announce(): void {
    if (this.info === null || this.announced) return;
    this.announced = true;
    this.bus.emit('sourceStart', this.info);
  }

  /** Said on the bus when the source closes, after its lines: the same place whether merged or not. */
  problem(p: SourceProblem): void {
    this.problems.push(p);
  }

  /** The start of closing: sourceStart if not said yet, then the problems. */
  protected sayProblems(): void {
    this.announce();
    for (const p of this.problems) this.bus.emit('problem', p);
  }

  /** The reader's side: a line was queued or the source ended. */
  protected wake(): void {
    if (this.wakeMerger === null) return;
    const resume = this.wakeMerger;
    this.wakeMerger = null;
    resume();
  }
}

/**
 * One source on its way to the bus. The reader calls open, push (records in line order), problem and close; the
 * merger decides when pushed records are delivered. Unmerged (a single source), push delivers at once.
 */
export class Lane extends WaitingLane implements MergeLane {
  readonly index: number;
  private readonly merged: boolean;
  private deliver: Deliver = () => {};
  private finish: (() => void) | null = null;
  // The queue, as parallel arrays (no object per line); records before `head` were delivered.
  private records: (LogRecord | undefined)[] = [];
  private outcomes: LineOutcome[] = [];
  private keys: number[] = [];
  private head = 0;
  /** A line without a time of its own sorts with the line before it. */
  private lastKey = -Infinity;
  private wakeReader: (() => void) | null = null;

  constructor(index: number, bus: Bus, merged: boolean) {
    super(bus);
    this.index = index;
    this.merged = merged;
  }

  // ---- the reader's side

  /** Bytes per read for this source: small when merged (see MERGED_READ_BYTES), the reader's default otherwise. */
  get readBytes(): number | undefined {
    return this.merged ? MERGED_READ_BYTES : undefined;
  }

  /** The source is open; its records will go to `deliver`. */
  open(info: SourceInfo, deliver: Deliver): void {
    this.info = info;
    this.deliver = deliver;
    if (!this.merged) this.announce();
  }

  push(record: LogRecord, outcome: LineOutcome): void {
    if (!this.merged) return this.deliver(record, outcome);
    const t = record.time;
    const key = t !== null && Number.isFinite(t) ? t : this.lastKey; // NaN would never compare: the merge would stall
    this.lastKey = key;
    this.records.push(record);
    this.outcomes.push(outcome);
    this.keys.push(key);
    this.wake();
  }

  /** The reader is done; `finish` (the source's summary) runs after its last record was delivered. */
  close(finish: () => void): void {
    this.finish = finish;
    this.ended = true;
    if (this.merged) this.wake();
    else this.closeNow();
  }

  /** Asked by the reader between chunks: a promise while the merger holds enough of this source's records. */
  room(): Promise<void> | null {
    if (!this.merged || this.pending < HIGH_WATER) return null;
    return new Promise((resolve) => { this.wakeReader = resolve; });
  }

  // ---- the merger's side

  get pending(): number {
    return this.records.length - this.head;
  }

  headKey(): number {
    return this.keys[this.head]!;
  }

  /** Delivers queued records while their time is before `bound` (or equal to it, when `inclusive`). */
  deliverUntil(bound: number, inclusive: boolean): void {
    const { records, outcomes, keys } = this;
    let i = this.head;
    const n = records.length;
    while (i < n && (keys[i]! < bound || (inclusive && keys[i] === bound))) {
      const record = records[i]!;
      records[i] = undefined; // delivered records are not kept alive by the queue
      this.deliver(record, outcomes[i]!);
      i++;
    }
    this.head = i;
    this.compact();
    if (this.wakeReader !== null && this.pending <= LOW_WATER) {
      const resume = this.wakeReader;
      this.wakeReader = null;
      resume();
    }
  }

  /** Problems, then the source's summary. */
  closeNow(): void {
    this.sayProblems();
    this.finish?.();
  }

  private compact(): void {
    if (this.head === this.records.length) {
      this.records.length = this.outcomes.length = this.keys.length = this.head = 0;
    } else if (this.head >= COMPACT_AT) {
      this.records.splice(0, this.head);
      this.outcomes.splice(0, this.head);
      this.keys.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * Reads the sources `width` at a time through `read` (which must call lane.close once, whatever happens) and
 * delivers their records merged by time. Problems with inputs are said when their turn in the input order comes.
 * After `signal` aborts, nothing more is delivered; every lane is still closed (summaries, store cursors).
 */
export function mergeSources<S extends object>(
  items: readonly (S | SourceProblem)[],
  isProblem: (item: S | SourceProblem) => item is SourceProblem,
  read: (source: S, lane: Lane) => Promise<void>,
  bus: Bus,
  opts: { width: number; signal?: AbortSignal | undefined },
): Promise<void> {
  return mergeLanes(items, isProblem, (index) => new Lane(index, bus, true), read, bus, opts);
}

/** mergeSources with lanes of the caller's kind (`makeLane` gets the lane's 1-based input index). */
export async function mergeLanes<S extends object, L extends MergeLane>(
  items: readonly (S | SourceProblem)[],
  isProblem: (item: S | SourceProblem) => item is SourceProblem,
  makeLane: (index: number) => L,
  read: (source: S, lane: L) => Promise<void>,
  bus: Bus,
  opts: { width: number; signal?: AbortSignal | undefined },
): Promise<void> {
  const active: L[] = [];
  let next = 0;
  const admit = (): void => {
    while (active.length < opts.width && next < items.length && opts.signal?.aborted !== true) {
      const item = items[next++]!;
      if (isProblem(item)) {
        bus.emit('problem', item);
        continue;
      }
      const lane = makeLane(next);
      active.push(lane);
      void read(item, lane);
    }
  };
  admit();
  while (active.length > 0) {
    for (const lane of active) {
      const wait = lane.ready();
      if (wait !== null) await wait;
      lane.announce();
    }
    if (opts.signal?.aborted === true) break;
    if (closeEnded(active)) {
      admit();
      continue;
    }
    deliverEarliest(active);
  }
  // Stopped early: let every reader end (their inputs are destroyed on abort), then close them in order.
  for (const lane of active) {
    while (!lane.ended) await lane.changed();
    lane.closeNow();
  }
}

/** Closes, in input order, the lanes that ended with nothing left to deliver. True if any did. */
function closeEnded(active: MergeLane[]): boolean {
  let closed = false;
  for (let i = 0; i < active.length;) {
    const lane = active[i]!;
    if (lane.ended && lane.pending === 0) {
      lane.closeNow();
      active.splice(i, 1);
      closed = true;
    } else {
      i++;
    }
  }
  return closed;
}

/** The lane with the earliest waiting record delivers until another lane's record comes first. */
function deliverEarliest(active: readonly MergeLane[]): void {
  let best = active[0]!;
  let bestKey = best.headKey();
  let second: MergeLane | null = null;
  let secondKey = Infinity;
  for (let i = 1; i < active.length; i++) {
    const lane = active[i]!;
    const key = lane.headKey(); // every lane has a record here: ended-and-empty ones were closed
    if (key < bestKey) {
      second = best;
      secondKey = bestKey;
      best = lane;
      bestKey = key;
    } else if (key < secondKey) {
      second = lane;
      secondKey = key;
    }
  }
  // Equal times: the input named first goes first (active is in input order).
  best.deliverUntil(secondKey, second === null || best.index < second.index);
}
