// A scan of several files on several cores: worker threads read, parse and run the rules (read-job.ts); the main
// thread merges their lines by time exactly as src/merge.ts does for records, and runs the counter, detectors and
// output. The bus sees the same records' accounting, events and alerts in the same order as a single-threaded scan.
import type { Bus } from '../bus.js';
import { mergeLanes } from '../merge.js';
import type { PipelineOptions } from '../pipeline.js';
import { isProblem, type Source } from '../sources/expand.js';
import type { Io, SigmaInfo, SourceProblem } from '../types.js';
import { BlockLane, type BlockSource } from './block-lane.js';
import { BlockCutter, canSplit } from './blocks.js';
import { WORKER_FILL, WorkerPool } from './pool.js';
import type { ReadJob } from './protocol.js';
import { jobReference } from './read-job.js';
import { WorkerLane } from './worker-lane.js';

/** Reads `items` (sources: regular files only, see plan.ts workersFor) with `workers` threads, `width` at once. */
export async function runParallel(
  items: readonly (Source | SourceProblem)[], opts: PipelineOptions, bus: Bus, io: Io, workers: number, width: number,
): Promise<void> {
  // On two CPUs (plan.ts mainReads), the main thread reads one of the files itself, as it reads blocks of one file:
  // one worker thread fewer (its heap, malloc arena and buffers: ~25-30 MB of peak memory), and no packing or posting
  // of that file's lines. It reads one file at a time (MainReader runs its jobs one after another, and the merger
  // waits for every open file: a second file queued behind a paused first one would never start).
  const mainReads = opts.parallel?.mainReads === true && workers >= 2;
  const pool = poolOf(mainReads ? workers - 1 : workers, bus, mainReads, opts);
  const sigma = await sigmaInfos(opts);
  const onAbort = (): void => pool.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // A delivered batch is handed back to its worker, unless stdout is blocked (--json to a slow reader): then only
  // once it drains, so that reading pauses as it does on one thread.
  const consumed = (id: number, lines: number): void => {
    const wait = opts.backpressure?.() ?? null;
    if (wait === null) pool.consumed(id, lines);
    else void wait.then(() => pool.consumed(id, lines));
  };
  const makeLane = (index: number): WorkerLane =>
    new WorkerLane(index, bus, { keepEvent: opts.keepEvent, consumed: (lines) => consumed(index, lines), recycle: (b) => pool.recycle(b), sigma });
  const read = (source: Source, lane: WorkerLane): Promise<void> => {
    pool.read(lane.index, jobOf(source, opts, io), source.size, lane, pool.mainFree());
    return Promise.resolve();
  };
  try {
    await mergeLanes(items, isProblem, makeLane, read, bus, { width, signal: opts.signal });
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}

/** Ids of block jobs in the pool: above any lane's index. */
const FIRST_BLOCK_ID = 1 << 30;

/**
 * Reads one file in blocks on `workers` threads (blocks.ts, block-lane.ts). False, having read nothing, when the
 * file cannot be cut (its head is not plain text, or its format keeps state from line to line): read it whole.
 */
export async function runSplit(source: Source, opts: PipelineOptions, bus: Bus, io: Io, workers: number, blockBytes: number): Promise<boolean> {
  const base = jobOf(source, opts, io);
  const split = await canSplit(source, { forced: opts.forcedFormat, maxLineBytes: opts.maxLineBytes, reference: jobReference(base) });
  if (split === null) return false;
  // The main thread reads blocks too (plan.ts mainReads), when the workers have their fill: more blocks in flight.
  const mainReads = opts.parallel?.mainReads === true;
  const pool = poolOf(workers, bus, mainReads, opts);
  const sigma = await sigmaInfos(opts);
  const cutter = new BlockCutter(source.path!, source.size!, blockBytes, split.firstEnd);
  let id = FIRST_BLOCK_ID;
  const blocks: BlockSource = {
    next: () => cutter.next(),
    start: (block, sink, onMain) => pool.read(id++, { ...base, block }, source.size, sink, onMain),
    shares: mainReads ? { workerRoom: () => pool.workerRoom(), mainFree: () => pool.mainFree() } : undefined,
  };
  const signal = opts.signal;
  const lane = new BlockLane(1, bus, blocks, {
    keepEvent: opts.keepEvent, ahead: mainReads ? workers * WORKER_FILL + 1 : workers + 1, format: split.format, aborted: () => signal?.aborted === true,
    backpressure: opts.backpressure, recycle: (b) => pool.recycle(b), sigma,
  });
  const onAbort = (): void => {
    pool.abort();
    lane.stop();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const begin = (_s: Source, l: BlockLane): Promise<void> => Promise.resolve(l.begin());
    await mergeLanes([source], isProblem, () => lane, begin, bus, { width: 1, signal });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    cutter.close();
    await pool.close();
  }
  return true;
}

/** The pool for the plan's rules; the main thread, when it reads, runs the scan's own engine (the same rules). */
function poolOf(workers: number, bus: Bus, mainReads: boolean, opts: PipelineOptions): WorkerPool {
  return new WorkerPool(workers, bus, undefined, mainReads, opts.parallel?.rules, opts.parallel?.sigma, () => opts.engine);
}

/** The `sigma` key of each Sigma rule's events, by rule, for the lanes' unpackers; null without Sigma rules. */
async function sigmaInfos(opts: PipelineOptions): Promise<ReadonlyMap<string, Readonly<SigmaInfo>> | null> {
  const rules = opts.parallel?.sigma ?? [];
  if (rules.length === 0) return null;
  const { sigmaInfoOf } = await import('../sigma/engine.js');
  return new Map(rules.map((r) => [`sigma:${r.id}`, sigmaInfoOf(r)]));
}

function jobOf(source: Source, opts: PipelineOptions, io: Io): ReadJob {
  return {
    name: source.name, path: source.path!, mtime: source.mtime?.getTime() ?? null, now: io.now.getTime(),
    forced: opts.forcedFormat?.name ?? null, maxLineBytes: opts.maxLineBytes, since: opts.since, until: opts.until,
    block: null,
  };
}
