// The main thread's queue for one file read in blocks by several workers (blocks.ts cuts them): each block's batches
// are handed on in block order, with line numbers counted on from the blocks before, as one WorkerLane. What a
// single reader carries from line to line is carried from block to block here: the time of the last parsed line
// (a 404 without one falls back to it), and the states of stateful parsers; a block whose stateful parser started
// from a state other than the one the block before ended with is read again from that state. With `shares` (plan.ts
// mainReads), the main thread reads a block itself when it has nothing of the file to deliver.
import type { Bus, SourceInfo } from '../bus.js';
import type { SecurityEvent, SigmaInfo, SourceProblem } from '../types.js';
import type { JobSink, Queued } from './pool.js';
import { MARK_NO_TIME, MARK_TIME_BEFORE, MARK_WIDTH, type Batch, type BlockJob, type BlockTail } from './protocol.js';
import { WorkerLane } from './worker-lane.js';

/** Hands out the file's blocks: the next one (null past the end), and starting a job for one. */
export interface BlockSource {
  /** Cuts the next block; null past the end. */
  next(): { start: number; end: number | null } | null;
  /** Starts reading a block: on the main thread itself when `onMain` (main-reader.ts), else on a worker thread. */
  start(job: BlockJob, sink: JobSink, onMain: boolean): void;
  /**
   * The main thread reads blocks too: the next block is cut when a worker has room for it, or when the main thread
   * has nothing to deliver and reads none. Absent: every block starts on a worker at once.
   */
  shares?: { workerRoom(): boolean; mainFree(): boolean } | undefined;
}

interface Block {
  start: number;
  end: number | null;
  /** Batches that arrived before the block's turn (still in their job's port); forwarded once it is its turn. */
  waiting: Queued[];
  tail: BlockTail | null;
  /** Bytes its end message counted (after its last batch). */
  endBytes: number;
  ended: boolean;
  /** Its batches go straight on (it is the block being delivered, and its start state is known to be right). */
  streaming: boolean;
  /** Bumped when the block is read again: messages of the earlier reading are dropped. */
  attempt: number;
  /** Read again from the states the blocks before ended with: its lines are as one reader's, whatever its parsers. */
  again: boolean;
}

type Summary = { format: string | null; reason: string };

export interface BlockLaneOptions {
  keepEvent: (e: SecurityEvent) => boolean;
  /** Blocks read ahead of the one being delivered: bounds what waits in memory, whatever the file's size. */
  ahead: number;
  /**
   * The format the file's first lines lock (blocks.ts canSplit, on the same lines as the first block): the other
   * blocks start locked on it, from the start, as one reader is when it reaches them. Null when it is forced.
   */
  format: string | null;
  aborted: () => boolean;
  /** A promise while stdout is blocked (--json to a slow reader): no block is started until it settles. */
  backpressure?: (() => Promise<void> | null) | undefined;
  /** As WorkerLaneOptions.recycle. */
  recycle?: ((buffer: ArrayBuffer) => void) | undefined;
  /** As WorkerLaneOptions.sigma. */
  sigma?: ReadonlyMap<string, Readonly<SigmaInfo>> | null | undefined;
}

export class BlockLane extends WorkerLane {
  private readonly blocks: Block[] = [];
  /** Index in `blocks` of the block being delivered. */
  private head = 0;
  /** The last block to deliver: one that could not be opened or read to its end stops the file there. */
  private last = Infinity;
  private exhausted = false;
  private linesBefore = 0;
  private timeBefore: number | null = null;
  private statesBefore: Record<string, object> | null = null;
  private first: Summary | null = null;
  private endBytes = 0;
  private readonly problemsSaid = new Set<string>();
  private waitingForOutput = false;
  /** The merger waits for this lane's next line: the main thread is free to read a block. */
  private idle = false;

  constructor(index: number, bus: Bus, private readonly source: BlockSource, private readonly lopts: BlockLaneOptions) {
    super(index, bus, { keepEvent: lopts.keepEvent, consumed: () => this.handOut(), recycle: lopts.recycle, sigma: lopts.sigma });
  }

  /** Starts reading the first blocks. */
  begin(): void {
    this.handOut();
  }

  /**
   * Starts blocks while fewer than `ahead` wait behind the one being delivered, and stdout takes what they make. A
   * block is cut only when a reader takes it. (Main-thread blocks a quarter the size were tried: auth.log with
   * threads peaked ~4 MiB lower, but the access log took 7-10% longer; BENCHMARKS.md, twelfth round.)
   */
  private handOut(): void {
    if (this.waitingForOutput) return;
    const wait = this.lopts.backpressure?.() ?? null;
    if (wait !== null) {
      this.waitingForOutput = true;
      void wait.then(() => {
        this.waitingForOutput = false;
        this.settle();
      });
      return;
    }
    const shares = this.source.shares;
    while (this.room() && (shares === undefined || shares.workerRoom()) && this.startNext(false));
    if (this.idle) this.mainTakes();
  }

  /** Another block may start: fewer than `ahead` wait behind the one being delivered, and the file goes on. */
  private room(): boolean {
    return !this.exhausted && !this.lopts.aborted() && this.blocks.length <= this.last && this.blocks.length - this.head <= this.lopts.ahead;
  }

  /** The merger has nothing of this file to deliver: the main thread reads the next block itself, if it reads none. */
  override ready(): Promise<void> | null {
    const wait = super.ready();
    if (wait !== null) {
      this.idle = true;
      this.mainTakes();
    }
    return wait;
  }

  /** Ctrl-C: no block starts after it, and the file ends after the blocks started. */
  stop(): void {
    this.settle();
  }

  protected override wake(): void {
    this.idle = false;
    super.wake();
  }

  private mainTakes(): void {
    if (this.waitingForOutput || !this.room()) return;
    if (this.source.shares?.mainFree() === true) this.startNext(true);
  }

  /** Cuts the next block and starts it; false past the end of the file. */
  private startNext(onMain: boolean): boolean {
    const range = this.source.next();
    if (range === null) {
      this.exhausted = true;
      return false;
    }
    const block: Block = { ...range, waiting: [], tail: null, endBytes: 0, ended: false, streaming: false, attempt: 0, again: false };
    this.blocks.push(block);
    this.read(block, this.blocks.length - 1, null, onMain);
    return true;
  }

  private read(block: Block, k: number, states: Record<string, object> | null, onMain = false): void {
    const attempt = block.attempt;
    const mine = (): boolean => block.attempt === attempt && !this.ended && k <= this.last;
    const sink: JobSink = {
      open: (info: SourceInfo) => { if (k === 0 && mine()) this.open(info); },
      // A dropped batch is still taken: nothing of it stays in its port.
      batch: (q: Queued) => { if (mine()) this.onBatch(block, q); else q.take(); },
      problem: (p: SourceProblem) => { if (mine()) this.onProblem(k, p); },
      end: (bytes, summary, tail) => { if (mine()) this.onEnd(block, k, bytes, summary, tail); },
      fail: (p: SourceProblem) => { if (mine()) this.fail(p); },
      ownBytes: true,
    };
    this.source.start({ start: block.start, end: block.end, locked: k === 0 ? null : this.lopts.format, states }, sink, onMain);
  }

  private onBatch(block: Block, q: Queued): void {
    if (block.streaming) return this.forward(q);
    block.waiting.push(q);
    // The block being delivered streams as soon as its start state is known to be right (always, for the first).
    if (block === this.blocks[this.head]) this.settle();
  }

  private onProblem(k: number, p: SourceProblem): void {
    this.last = Math.min(this.last, k); // one reader stops at a read error: the blocks after it are not delivered
    if (this.problemsSaid.has(p.message)) return;
    this.problemsSaid.add(p.message);
    this.problem(p);
  }

  private onEnd(block: Block, k: number, bytes: number, summary: Summary | null, tail: BlockTail | null): void {
    block.endBytes = bytes;
    block.ended = true;
    block.tail = tail;
    if (k === 0) this.first = summary;
    if (summary === null || tail === null) this.last = Math.min(this.last, k); // never opened (Ctrl-C)
    this.settle();
  }

  /** Moves on through the blocks whose turn has come: streams the one being delivered, finishes those that ended. */
  private settle(): void {
    for (;;) {
      const block = this.head <= this.last ? this.blocks[this.head] : undefined;
      if (block === undefined) break;
      if (!block.streaming) {
        if (this.statesBefore !== null && !block.ended && !block.again) break; // it may have to be read again: known at its end
        // Its start state was wrong if the blocks before carried a state and it started a stateful parser.
        if (this.statesBefore !== null && block.tail?.stateful === true && !block.again) {
          block.attempt++;
          block.again = true;
          for (const q of block.waiting) q.take(); // thrown away, but out of their port: it closes at the job's end
          block.waiting = [];
          block.ended = false;
          block.tail = null;
          this.read(block, this.head, this.statesBefore);
          break;
        }
        block.streaming = true;
        for (const b of block.waiting) this.forward(b);
        block.waiting = [];
      }
      if (!block.ended) break;
      this.sayBytes(block.endBytes);
      this.endBytes += block.endBytes;
      this.finish(block.tail);
    }
    this.handOut();
    const done = this.exhausted || this.lopts.aborted() || this.last < Infinity;
    if (!this.ended && done && (this.head >= this.blocks.length || this.head > this.last)) this.end(this.endBytes, this.first, null);
  }

  private finish(tail: BlockTail | null): void {
    this.head++;
    if (tail === null) return;
    this.linesBefore += tail.lines;
    if (tail.lastParsedTime !== null) this.timeBefore = tail.lastParsedTime;
    if (tail.stateful) this.statesBefore = Object.keys(tail.states).length > 0 ? tail.states : null;
  }

  /** Bytes of the lines handed on, for progress (those of a reading thrown away are never said). */
  private sayBytes(bytes: number): void {
    if (bytes > 0 && this.info !== null) this.bus.emit('bytes', bytes, this.info.name);
  }

  /**
   * A batch of the block being delivered: line numbers and 404 times as one reader of the whole file has them, from
   * the blocks before this one (the batch itself is taken later, when the merger reaches it).
   */
  private forward(q: Queued): void {
    this.sayBytes(q.bytes);
    if (this.head > 0 && this.first !== null) {
      q.format = this.first.format;
      q.reason = this.first.reason;
    }
    const lines = this.linesBefore;
    const before = this.timeBefore;
    const take = q.take;
    q.take = (): Batch => {
      const b = take();
      b.first += lines;
      if (before !== null) timeBefore(b.marks, before);
      return b;
    };
    this.batch(q);
  }
}

/** 404s without a time before any parsed line of their block take the time of the blocks before it. */
function timeBefore(marks: Float64Array, before: number): void {
  for (let m = 0; m < marks.length; m += MARK_WIDTH) {
    const flags = marks[m + 2]!;
    if ((flags & MARK_TIME_BEFORE) === 0) continue;
    marks[m + 1] = before;
    marks[m + 2] = flags & ~MARK_NO_TIME & ~MARK_TIME_BEFORE;
  }
}
