// Whether a scan reads its sources in worker threads, and with how many: decided from the flags and the machine
// (scan) and from the sources found (pipeline). Cheap to import: the threads themselves live in run.ts and pool.ts.
import { availableParallelism } from 'node:os';
import type { CompiledRule } from '../rules/compile.js';
import type { SigmaRule } from '../sigma/compile.js';
import type { Source } from '../sources/expand.js';
import type { SourceProblem } from '../types.js';

export interface ThreadRequest {
  /**
   * --threads: worker threads that read, parse and run the rules, besides the main thread (which merges, counts,
   * runs the detectors and writes). null = auto, 1 = none: everything on the main thread.
   */
  threads: number | null;
  /**
   * The compiled rules the scan runs (a user's --rules first, then the built-ins unless --no-builtin): each worker
   * gets a copy.
   */
  rules: readonly CompiledRule[];
  /** The Sigma rules it runs: each worker compiles them again from their documents (their tests are functions). */
  sigma: readonly SigmaRule[];
  /** No --db: the event store follows every line's offset on the main thread. */
  noStore: boolean;
}

/** How a scan uses worker threads. */
export interface ParallelPlan {
  workers: number;
  /** The rules every reader runs, the main thread's engine's (default: the built-in rules). */
  rules?: readonly CompiledRule[];
  /** The Sigma rules every reader runs after them (default: none). */
  sigma?: readonly SigmaRule[];
  /** Fewer bytes than this in all: read on the main thread (auto mode; starting a worker costs ~0.25 s of CPU). */
  minBytes: number;
  /** Bytes per block of one file read in blocks (BLOCK_BYTES below, unless a test asks for small ones). */
  blockBytes?: number;
  /**
   * One file in blocks: the main thread is one of the `workers` readers (one worker thread fewer), and reads a block
   * when the worker threads have their fill (pool.ts). Several files: no effect.
   */
  mainReads?: boolean;
}

/**
 * Bytes per block of a file read in blocks (blocks.ts): large enough that a block's start (a message, a new record
 * stage) costs nothing next to its lines, small enough that the blocks waiting on the main thread stay a few MB.
 * The blocks read ahead are live on the main thread, and V8 lets its old space grow to twice what is live: on a
 * loaded host (main thread behind) auth.log 2,000,000 lines with --threads 2 peaked at 153-155 MiB with 4 MB blocks,
 * 141-142 MiB with 2 MB (/work/notes/s11-s11thr.md).
 */
export const BLOCK_BYTES = 2 * 1024 * 1024;

/** In auto mode, files smaller than this together are read on the main thread: a worker would not pay for itself. */
export const AUTO_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Worker threads for a scan; null = read on the main thread. Auto: one per CPU (on 2 cores, 2 workers beat 1 for
 * two files when the cores are free: /work/notes/bench-workers.md). --threads N >= 2: N, at most one per CPU but at
 * least one. On two CPUs both taken, one file in blocks is read by one worker and the main thread (mainReads): on a
 * quiet host that beat two workers in each of six alternated runs (access log 1,000,000 lines 2.26-2.52 s against
 * 2.57-2.69 s, auth.log 2,000,000 lines 3.76-3.97 s against 3.97-4.24 s; peak RSS 30-45 MB lower), since one
 * worker's start and the packing of the main thread's share go away. Several files are read the same way (run.ts
 * runParallel: the main thread reads one file at a time): two 2,000,000-line auth.logs peak at 140-145 MB instead of
 * 159-166 MB, for 0.5-1 s more (the main thread then parses a whole file besides merging, counting and running the
 * detectors; BENCHMARKS.md, fourteenth round). More CPUs: the main thread stays a reader only of what it merges.
 */
export function scanWorkers(req: ThreadRequest, cpus: number = availableParallelism()): ParallelPlan | null {
  if (!req.noStore || req.threads === 1) return null;
  const workers = req.threads === null ? cpus : Math.max(1, Math.min(req.threads, cpus));
  if (req.threads === null && cpus < 2) return null;
  return { workers, rules: req.rules, sigma: req.sigma, minBytes: req.threads === null ? AUTO_MIN_BYTES : 0, mainReads: cpus === 2 && workers === 2 };
}

/**
 * Workers for these inputs: none unless two or more sources are read at once and all are regular files (a worker
 * opens them again by path; standard input and pipes stay on the main thread). Never more than the sources.
 */
export function workersFor(items: readonly (Source | SourceProblem)[], plan: ParallelPlan | null | undefined, width: number): number {
  if (plan == null || plan.workers < 1 || width < 2) return 0;
  let sources = 0;
  let bytes = 0;
  for (const item of items) {
    if ((item as Partial<Source>).open === undefined) continue;
    const s = item as Source;
    if (s.path === null || s.size === null) return 0;
    sources++;
    bytes += s.size;
  }
  return sources < 2 || bytes < plan.minBytes ? 0 : Math.min(plan.workers, sources, width);
}

/**
 * Workers for reading the inputs as one file cut into blocks (blocks.ts): only when they are exactly one regular
 * file of at least two blocks (and plan.minBytes). 0: not.
 */
export function splitWorkers(items: readonly (Source | SourceProblem)[], plan: ParallelPlan | null | undefined, blockBytes: number): number {
  if (plan == null || plan.workers < 1 || items.length !== 1) return 0;
  const s = items[0] as Partial<Source>;
  if (s.open === undefined || s.path == null || s.size == null) return 0;
  if (s.size < Math.max(plan.minBytes, 2 * blockBytes)) return 0;
  return plan.mainReads === true ? Math.max(1, plan.workers - 1) : plan.workers;
}
