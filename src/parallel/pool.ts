// The worker threads of a parallel scan: starts them, hands each source to the least busy one, routes their messages
// to the sources' lanes, and takes them down at the end, at Ctrl-C, or when one dies (a problem for its sources).
// With `mainReads`, the main thread is one more reader (main-reader.ts): of blocks, which block-lane.ts gives it only
// when the worker threads have their fill and it has nothing to deliver, so that a light main thread (an access
// log) reads many and a busy one (auth.log: its counter and detectors) few; or of whole files, one at a time (run.ts).
import { setFlagsFromString } from 'node:v8';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Bus, SourceInfo } from '../bus.js';
import type { CompiledRule } from '../rules/compile.js';
import { builtinRules } from '../rules/compose.js';
import { createEngine, type Engine } from '../rules/engine.js';
import type { SigmaRule } from '../sigma/compile.js';
import type { SourceProblem } from '../types.js';
import { MainReader } from './main-reader.js';
import type { Batch, BlockTail, FromWorker, ReadJob, ToWorker, WorkerData } from './protocol.js';

/**
 * A batch as a lane queues it: what is known when it is posted, and `take`, which gives the batch itself, once, in
 * the order the job posted them. Until taken, a batch stays serialized in its job's port (Inbox), a worker's and one
 * the main thread read alike: its events' strings are made on the main thread's heap only when the merger reaches
 * them. Received as they came, the batches of blocks read ahead waited there through the blocks before theirs and
 * were promoted: auth.log 2,000,000 lines with --threads auto, the main thread promoted 54-58 MB instead of 23 MB
 * (21.5 MB on one thread), with 6 full collections instead of 4.
 */
export interface Queued {
  lines: number;
  bytes: number;
  format: string | null;
  reason: string;
  take(): Batch;
}

/** Where a job's messages go: a source's WorkerLane, or one block of a file read in blocks (block-lane.ts). */
export interface JobSink {
  open(info: SourceInfo): void;
  batch(q: Queued): void;
  problem(p: SourceProblem): void;
  /** The job ended; summary null: the source was never opened. */
  end(bytes: number, summary: { format: string | null; reason: string } | null, tail: BlockTail | null): void;
  /** The worker died: a one-line problem. */
  fail(p: SourceProblem): void;
  /** It says the bytes read on the bus itself (a block: only once its lines are handed on, and not twice if read again). */
  readonly ownBytes?: boolean;
}

/** Resolved next to this file: dist/src/parallel/worker.js under npm test and bin/audit.js, or any other build folder. */
const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Blocks a worker holds (reading or queued) before the main thread reads the next one itself: one being read and one
 * queued keep a worker busy without a gap between blocks.
 */
export const WORKER_FILL = 2;

/**
 * How far V8 lets an old space grow past what its last full collection kept, in percent, once threads run: the flag
 * is process-wide and read at every full collection, so it applies to the main thread's heap and each worker's.
 * bin/audit.js sets the same for every scan (twenty-third round); this holds it for a pool started without it. Two
 * heaps and the worker's malloc arena leave less room under the 150 MB bound than one heap: at 100, auth.log with
 * --threads auto peaked at 150-155 MB on 8,000,000 lines (a long scan meets the high points of every heap's cycle),
 * 141-146 MB at 50, for the same time there; on 2,000,000 lines ~2.5 MB lower for ~2.5% more CPU (BENCHMARKS.md,
 * seventeenth round).
 */
export const THREADS_HEAP_GROWING_PERCENT = 50;

/**
 * A worker's young generation, MB (V8 makes each of its two semi-spaces a third of it: 2 MB). The 16 MB of young
 * generation that bin/audit.js's --max-semi-space-size=8 gives every isolate were 16 MB of resident memory per
 * worker; a worker keeps little alive from one line to the next (its batch until posted), so it needs no more.
 */
export const WORKER_YOUNG_MB = 6;

/**
 * The options of a worker thread. V8 lets --max-semi-space-size (a process flag, bin/audit.js) override the young
 * generation asked for in `resourceLimits`; it reads the flag when an isolate is made, so the flag is cleared
 * first: the main thread's heap, made long before, keeps its size, and a worker gets WORKER_YOUNG_MB.
 */
export function workerOptions(workerData: WorkerData): ConstructorParameters<typeof Worker>[1] {
  setFlagsFromString('--max-semi-space-size=0');
  // No inherited Node options: some are refused in a worker (--input-type); V8's (the heap sizes) are per process.
  return { execArgv: [], workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } };
}

interface Slot {
  /** null: the main thread (MainReader). */
  worker: Worker | null;
  /** Ids of the sources it is reading. */
  active: Set<number>;
  dead: boolean;
}

interface Reading {
  lane: JobSink;
  name: string;
  size: number | null;
  slot: Slot;
  /** Where the job's batches wait until taken. */
  inbox: Inbox;
}

/** The main thread's end of a job's port: its batches wait there until taken. Closed once all are taken. */
class Inbox {
  private due = 0;
  private ended = false;

  constructor(readonly port: MessagePort, private readonly closed: (inbox: Inbox) => void) {}

  /** A note of a batch arrived: the batch is in the port (posted before its note). */
  noted(): void {
    this.due++;
  }

  take(): Batch {
    const got = receiveMessageOnPort(this.port);
    if (got === undefined) throw new Error('a batch is missing from its job\'s port');
    if (--this.due === 0 && this.ended) this.close();
    return got.message as Batch;
  }

  /** The job ended: no batch comes after. */
  end(): void {
    this.ended = true;
    if (this.due === 0) this.close();
  }

  /** Batches never taken (a lane that stopped early) are dropped with the port. */
  close(): void {
    this.port.close();
    this.closed(this);
  }
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly readings = new Map<number, Reading>();
  /** The thread whose pool each batch's buffer came from, until it is given back (recycle). */
  private readonly owners = new WeakMap<ArrayBuffer, Slot>();
  private readonly inboxes = new Set<Inbox>();
  private closing = false;
  private readonly main: { slot: Slot; reader: MainReader } | null;

  /**
   * `script`: the worker's entry point (tests give one that fails). `mainReads`: the main thread reads too, what
   * `read` is asked to read there (`onMain`). `rules` and `sigma`: what every reader runs (default: the built-in
   * rules); `mainEngine`: the main thread's engine for them, built when it first reads (default: one of `rules`).
   */
  constructor(
    count: number, private readonly bus: Bus, script: URL = WORKER_URL, mainReads = false,
    rules: readonly CompiledRule[] = builtinRules(), sigma: readonly SigmaRule[] = [], mainEngine: () => Engine = () => createEngine({ rules }),
  ) {
    setFlagsFromString(`--heap-growing-percent=${THREADS_HEAP_GROWING_PERCENT}`);
    // Compiled once per process (the scan has compiled them already): each worker receives a copy.
    const workerData: WorkerData = { rules, sigma: sigma.map((r) => ({ doc: r.doc, file: r.file })) };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, workerOptions(workerData));
      const slot: Slot = { worker, active: new Set(), dead: false };
      worker.on('message', (msg: FromWorker) => this.onMessage(msg));
      worker.on('error', (err) => this.onDeath(slot, err instanceof Error ? err.message : String(err)));
      worker.on('exit', (code) => this.onDeath(slot, `exited with code ${code}`));
      this.slots.push(slot);
    }
    this.main = mainReads ? { slot: { worker: null, active: new Set(), dead: false }, reader: new MainReader(mainEngine, (msg) => this.onMessage(msg)) } : null;
  }

  /**
   * Starts reading a source (id = its lane's index, or a block's) in the worker with the fewest sources, or on the
   * main thread (`onMain`, with mainReads).
   */
  read(id: number, job: ReadJob, size: number | null, lane: JobSink, onMain = false): void {
    let slot: Slot | null = null;
    for (const s of this.slots) if (!s.dead && (slot === null || s.active.size < slot.active.size)) slot = s;
    if (onMain && this.main !== null) slot = this.main.slot;
    if (slot === null) {
      lane.fail(workerProblem(job.name, 'no worker thread is left'));
      return;
    }
    slot.active.add(id);
    const { port1, port2 } = new MessageChannel();
    const inbox = new Inbox(port1, (i) => this.inboxes.delete(i));
    this.inboxes.add(inbox);
    this.readings.set(id, { lane, name: job.name, size, slot, inbox });
    const msg: ToWorker = { t: 'read', id, job, port: port2 };
    if (slot.worker === null) this.main!.reader.take(msg);
    else slot.worker.postMessage(msg, [port2]);
  }

  /** A worker reads fewer than WORKER_FILL blocks (or none is left: a block started now fails as a worker's would). */
  workerRoom(): boolean {
    let alive = false;
    for (const s of this.slots) {
      if (s.dead) continue;
      if (s.active.size < WORKER_FILL) return true;
      alive = true;
    }
    return !alive;
  }

  /** The main thread reads no block (mainReads). */
  mainFree(): boolean {
    return this.main !== null && this.main.slot.active.size === 0;
  }

  /** The merger delivered `lines` of source `id`: its worker may read that much further. */
  consumed(id: number, lines: number): void {
    const r = this.readings.get(id);
    if (r !== undefined) this.send(r.slot, { t: 'consumed', id, lines });
  }

  /** A batch was delivered: its buffer goes back to the thread that wrote it, for its next batches. */
  recycle(buffer: ArrayBuffer): void {
    const slot = this.owners.get(buffer);
    if (slot === undefined || slot.dead || this.closing) return;
    this.owners.delete(buffer);
    if (slot.worker === null) this.main!.reader.take({ t: 'buffer', buffer });
    else slot.worker.postMessage({ t: 'buffer', buffer } satisfies ToWorker, [buffer]);
  }

  /** Ctrl-C: every worker stops reading; each source still ends (with what was read). */
  abort(): void {
    for (const slot of this.slots) if (!slot.dead) this.send(slot, { t: 'abort' });
    if (this.main !== null) this.send(this.main.slot, { t: 'abort' });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const inbox of this.inboxes) inbox.close();
    this.main?.reader.take({ t: 'abort' }); // a block read for a file that ended early (a dead worker) stops here
    await Promise.all(this.slots.map((s) => s.worker!.terminate()));
  }

  private send(slot: Slot, msg: ToWorker): void {
    if (slot.worker === null) this.main!.reader.take(msg);
    else slot.worker.postMessage(msg);
  }

  private onMessage(msg: FromWorker): void {
    const r = this.readings.get(msg.id);
    // Once closing, the lanes are done and the ports closed: a block the main thread was still reading (a file that
    // ended early, e.g. at a dead worker) has nothing to hand on, and its batches are no longer in a port.
    if (r === undefined || this.closing) return;
    switch (msg.t) {
      case 'open':
        r.lane.open({ name: r.name, size: r.size });
        break;
      case 'due': {
        const inbox = r.inbox;
        inbox.noted();
        this.queue(r, msg.lines, msg.bytes, msg.format, msg.reason, () => inbox.take());
        break;
      }
      case 'problem':
        r.lane.problem(msg.problem);
        break;
      case 'end':
        if (msg.bytes > 0 && r.lane.ownBytes !== true) this.bus.emit('bytes', msg.bytes, r.name);
        r.lane.end(msg.bytes, msg.summary, msg.tail ?? null);
        r.inbox.end();
        r.slot.active.delete(msg.id);
        this.readings.delete(msg.id);
        break;
    }
  }

  private queue(r: Reading, lines: number, bytes: number, format: string | null, reason: string, take: () => Batch): void {
    if (bytes > 0 && r.lane.ownBytes !== true) this.bus.emit('bytes', bytes, r.name);
    const slot = r.slot;
    r.lane.batch({
      lines, bytes, format, reason,
      take: () => {
        const b = take();
        this.owners.set(b.keys.buffer as ArrayBuffer, slot);
        return b;
      },
    });
  }

  /** A worker threw or exited while reading: each of its sources ends with a one-line problem. */
  private onDeath(slot: Slot, why: string): void {
    if (slot.dead || this.closing) return;
    slot.dead = true;
    for (const id of slot.active) {
      const r = this.readings.get(id)!;
      r.lane.fail(workerProblem(r.name, `the worker thread reading it failed: ${why.split('\n')[0]!}`));
      this.readings.delete(id);
    }
    slot.active.clear();
  }
}

function workerProblem(name: string, why: string): SourceProblem {
  return { source: name, message: `cannot read ${name}: ${why}`, code: 'EWORKER', level: 'error' };
}
