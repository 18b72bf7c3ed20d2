// A scan of several files on several cores: worker threads read, parse and run the rules (read-job.ts); the main
// thread merges their lines by time exactly as src/merge.ts does for records, and runs the counter, detectors and
// output. The bus sees the same records' accounting, events and alerts in the same order as a single-threaded scan.
import type { Bus } from '../bus.js';
import { mergeLanes } from '../merge.js';
import type { PipelineOptions } from '../pipeline.js';
import { isProblem, type Source } from '../sources/expand.js';
import type { Io, SourceProblem } from '../types.js';
import { WorkerPool } from './pool.js';
import type { ReadJob } from './protocol.js';
import { WorkerLane } from './worker-lane.js';

/** Reads `items` (sources: regular files only, see plan.ts workersFor) with `workers` threads, `width` at once. */
export async function runParallel(
  items: readonly (Source | SourceProblem)[], opts: PipelineOptions, bus: Bus, io: Io, workers: number, width: number,
): Promise<void> {
  const pool = new WorkerPool(workers, bus);
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
    new WorkerLane(index, bus, { keepEvent: opts.keepEvent, consumed: (lines) => consumed(index, lines) });
  const read = (source: Source, lane: WorkerLane): Promise<void> => {
    pool.read(lane.index, jobOf(source, opts, io), source.size, lane);
    return Promise.resolve();
  };
  try {
    await mergeLanes(items, isProblem, makeLane, read, bus, { width, signal: opts.signal });
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}

function jobOf(source: Source, opts: PipelineOptions, io: Io): ReadJob {
  return {
    name: source.name, path: source.path!, mtime: source.mtime?.getTime() ?? null, now: io.now.getTime(),
    forced: opts.forcedFormat?.name ?? null, maxLineBytes: opts.maxLineBytes, since: opts.since, until: opts.until,
  };
}
