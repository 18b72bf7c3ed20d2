// Worker side of a parallel scan: reads one source exactly as readSource (src/pipeline.ts) does (the same open, line
// splitting, record stage, --since/--until and rules) and posts its lines in batches: a merge key and an outcome per
// line, a record only for lines that need one. Reading pauses while the main thread holds too many of its lines.
import type { Readable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { copyString } from '../formats/intern.js';
import { findFormat } from '../formats/registry.js';
import { createRecordStage, type RecordStage } from '../formats/stage.js';
import type { Engine } from '../rules/engine.js';
import { readLines } from '../sources/lines.js';
import { openPath, openRange, READ_CHUNK } from '../sources/open.js';
import { problemFromError } from '../sources/problem.js';
import { FIELD, type LineOutcome, type LogRecord } from '../types.js';
import { BufferPool } from './buffers.js';
import { EventPacker } from './event-pack.js';
import { MARK_404, MARK_NO_TIME, MARK_TIME_BEFORE, OUTCOME_CODE, type BlockTail, type FromWorker, type JobMessage, type ReadJob, type WebEntry } from './protocol.js';

/**
 * Lines per batch: large enough that messages cost little per line, small enough to keep the merger fed and the
 * main thread's young generation light: a batch's event strings live until it is delivered, and with 8,192 lines
 * they survived scavenges. 2,048: two auth.logs on 2 threads 5.5-5.9 s instead of 5.9-6.4 s, 25 MB less (1,024 was
 * no better); one access log in blocks 3.7-3.8 s instead of 4.0-4.4 s (BENCHMARKS.md, fourth round).
 */
export const BATCH_LINES = 2048;
/** Lines posted and not yet delivered by the merger past which reading pauses (bounds memory on both sides). */
export const HIGH_WATER = 4 * BATCH_LINES;

export type Post = (msg: JobMessage, transfer?: ArrayBuffer[]) => void;

/**
 * A job's messages as a reader posts them (worker.ts, main-reader.ts): its batches go to the job's own port, where
 * the main thread takes each when the merger reaches it (pool.ts), and a note of each goes to `post`, after it: the
 * note cannot arrive before its batch.
 */
export function batchesTo(id: number, batches: MessagePort, post: (msg: FromWorker) => void): Post {
  return (msg, transfer) => {
    if (msg.t !== 'batch') return post(msg); // only a batch transfers buffers
    const lines = msg.keys.length; // read before the transfer empties the batch's arrays here
    batches.postMessage(msg, transfer);
    post({ t: 'due', id, lines, bytes: msg.bytes, format: msg.format, reason: msg.reason });
  };
}

/** The flow control of one source in a worker: credits the main thread gives back, and Ctrl-C. */
export class JobControl {
  aborted = false;
  /**
   * Unpaced: never waits for the main thread (a block: the main thread bounds the blocks it hands out, and a block
   * it cannot deliver yet must still be read to its end).
   */
  constructor(private readonly paced = true) {}
  private inFlight = 0;
  private resume: (() => void) | null = null;
  private onAbort: (() => void) | null = null;

  posted(lines: number): void {
    this.inFlight += lines;
  }

  consumed(lines: number): void {
    this.inFlight -= lines;
    if (this.inFlight < HIGH_WATER) this.wake();
  }

  /** Asked between chunks: a promise while too many lines wait on the main thread. */
  room(): Promise<void> | null {
    if (!this.paced || this.inFlight < HIGH_WATER || this.aborted) return null;
    return new Promise((resolve) => { this.resume = resolve; });
  }

  abort(): void {
    this.aborted = true;
    this.onAbort?.();
    this.wake();
  }

  /** `f` runs at abort (at once if it already happened). */
  whenAborted(f: () => void): void {
    this.onAbort = f;
    if (this.aborted) f();
  }

  private wake(): void {
    const resume = this.resume;
    this.resume = null;
    resume?.();
  }
}

/** The time a year-less stamp of the job's source is placed at or before: its mtime, unless later than the clock. */
export function jobReference(job: ReadJob): Date {
  return new Date(job.mtime !== null && job.mtime < job.now ? job.mtime : job.now);
}

/** Reads one source and posts open, batches (written into `buffers`), problems and end. Never throws. */
export async function runJob(
  id: number, job: ReadJob, engine: Engine, control: JobControl, post: Post, buffers: BufferPool = new BufferPool(),
): Promise<void> {
  let bytes = 0;
  let sent = 0;
  const takeBytes = (): number => {
    const n = bytes - sent;
    sent = bytes;
    return n;
  };
  let input: Readable;
  const block = job.block;
  try {
    const count = (n: number): void => { bytes += n; };
    input = block === null ? await openPath(job.path, job.name, count, READ_CHUNK, true) : openRange(job.path, block.start, block.end, count);
  } catch (err) {
    if (!control.aborted) post({ t: 'problem', id, problem: problemFromError(job.name, err) });
    post({ t: 'end', id, bytes: takeBytes(), summary: null });
    return;
  }
  if (control.aborted) {
    input.destroy(); // as readSource: a source still opening at Ctrl-C ends without a summary
    post({ t: 'end', id, bytes: takeBytes(), summary: null });
    return;
  }
  post({ t: 'open', id });
  const batcher = new Batcher(id, job, engine, control, post, takeBytes, buffers);
  const forced = job.forced === null ? null : findFormat(job.forced) ?? null;
  const reference = jobReference(job);
  const locked = block?.locked == null ? null : findFormat(block.locked) ?? null;
  const stage = createRecordStage({ file: job.name, ctx: { reference }, forced, onRecord: batcher.onRecord, locked, states: block?.states ?? null });
  batcher.stage = stage;
  control.whenAborted(() => input.destroy());
  try {
    const midFile = block !== null && block.start > 0;
    await readLines(input, { maxLineBytes: job.maxLineBytes, beforeChunk: () => control.room(), midFile }, (line, truncated) => stage.line(line, truncated));
  } catch (err) {
    if (!control.aborted) post({ t: 'problem', id, problem: problemFromError(job.name, err) });
  } finally {
    stage.end();
    batcher.flush();
    const tail: BlockTail | null = block === null ? null : {
      lines: batcher.linesPosted, lastParsedTime: batcher.lastTime, stateful: stage.stateful, states: stage.states(),
    };
    post({ t: 'end', id, bytes: takeBytes(), summary: { format: stage.format, reason: stage.reason }, tail });
    batcher.release();
  }
}

/**
 * Folds records into batches: typed arrays for every line; marks, packed events and 404s for the few that need more.
 * The arrays are filled here and copied at each batch into one buffer of the pool, the one transferred.
 */
class Batcher {
  stage: RecordStage | null = null;
  private readonly keys: Float64Array;
  private readonly outcomes: Uint8Array;
  private readonly marks: number[] = [];
  private readonly events: EventPacker;
  private web: WebEntry[] = [];
  private n = 0;
  private lines = 0;
  /** A line without a time of its own sorts with the line before it (as Lane.push). */
  private lastKey = -Infinity;
  /** The last time of a parsed line: the web_scan detector's fallback for a 404 without one. */
  private lastParsedTime: number | null = null;
  /** A block after a file's first: a 404 without a time before any parsed line with one takes the blocks' before. */
  private readonly midFile: boolean;

  constructor(
    private readonly id: number,
    private readonly job: ReadJob,
    private readonly engine: Engine,
    private readonly control: JobControl,
    private readonly post: Post,
    private readonly takeBytes: () => number,
    private readonly buffers: BufferPool,
  ) {
    this.midFile = job.block !== null && job.block.start > 0;
    this.keys = new Float64Array(buffers.take(8 * BATCH_LINES), 0, BATCH_LINES);
    this.outcomes = new Uint8Array(buffers.take(BATCH_LINES), 0, BATCH_LINES);
    this.events = new EventPacker(buffers);
  }

  /** The source ended (after the last flush): its arrays go back to the pool. */
  release(): void {
    this.buffers.give(this.keys.buffer as ArrayBuffer);
    this.buffers.give(this.outcomes.buffer as ArrayBuffer);
    this.events.release();
  }

  get linesPosted(): number {
    return this.lines;
  }

  get lastTime(): number | null {
    return this.lastParsedTime;
  }

  readonly onRecord = (record: LogRecord, outcome: LineOutcome): void => {
    const t = record.time;
    if (outcome !== 'skipped' && t !== null && this.outOfRange(t)) outcome = 'skipped';
    const key = t !== null && Number.isFinite(t) ? t : this.lastKey; // NaN would never compare: the merge would stall
    this.lastKey = key;
    const i = this.n;
    this.keys[i] = key;
    this.outcomes[i] = OUTCOME_CODE[outcome];
    let events = 0;
    if (outcome !== 'skipped') {
      const before = this.events.count;
      this.engine(record, this.events.add);
      events = this.events.count - before;
    }
    let is404 = false;
    if (outcome === 'parsed') {
      if (t !== null) this.lastParsedTime = t;
      is404 = record.fields[FIELD.status] === '404'; // cheapest check first: most lines are not 404s
    }
    if (events > 0 || is404) this.mark(i, record, t, events, is404);
    if (++this.n === BATCH_LINES) this.flush();
  };

  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const m = this.marks.length;
    const e = this.events.length;
    // Numbers first (8-byte aligned), then the outcomes.
    const buffer = this.buffers.take(8 * (n + m + e) + n);
    const keys = new Float64Array(buffer, 0, n);
    keys.set(this.keys.subarray(0, n));
    const marks = new Float64Array(buffer, 8 * n, m);
    marks.set(this.marks);
    const events = this.events.take(new Float64Array(buffer, 8 * (n + m), e));
    const outcomes = new Uint8Array(buffer, 8 * (n + m + e), n);
    outcomes.set(this.outcomes.subarray(0, n));
    const stage = this.stage;
    this.post({
      t: 'batch', id: this.id, first: this.lines + 1, keys, outcomes, marks, events, web: this.web, bytes: this.takeBytes(),
      format: stage?.format ?? null, reason: stage?.reason ?? '',
    }, [buffer]);
    this.control.posted(n);
    this.lines += n;
    this.n = 0;
    this.marks.length = 0;
    this.web = [];
  }

  private mark(at: number, record: LogRecord, t: number | null, events: number, is404: boolean): void {
    let time = t;
    let flags = 0;
    if (is404) {
      // Copies: a slice of the line keeps its whole decoded piece (~32 KiB, sources/lines.ts) alive until the batch
      // is posted. When batches read on the main thread were not cloned (they are now: pool.ts Queued), such slices
      // waited for their turn and were promoted: on the access log with --threads 2, 97-106 MB promoted on the main
      // thread instead of 16 MB (one thread: 16 MB).
      const ip = record.fields[FIELD.ip];
      const web = this.web;
      web.push(ip === undefined ? undefined : copyString(ip));
      web.push(copyString(record.message));
      time ??= this.lastParsedTime;
      flags |= MARK_404;
      if (time === null && this.midFile) flags |= MARK_TIME_BEFORE;
    }
    if (time === null) flags |= MARK_NO_TIME;
    const marks = this.marks; // one value per push: V8 keeps single-argument pushes on its fast path
    marks.push(at);
    marks.push(time ?? 0);
    marks.push(flags);
    marks.push(events);
  }

  private outOfRange(t: number): boolean {
    const { since, until } = this.job;
    return (since !== null && t < since) || (until !== null && t > until);
  }
}
