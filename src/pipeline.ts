// One scan: sources -> lines -> records (format detection) -> merged by time -> events (rules) -> the bus.
// Used by every command that reads logs; what listens on the bus (counter, reporters, detectors) is the caller's.
import { setMaxListeners } from 'node:events';
import type { Bus } from './bus.js';
import { createRecordStage } from './formats/stage.js';
import { Lane, MERGE_WIDTH, mergeSources, type Deliver } from './merge.js';
import { BLOCK_BYTES, splitWorkers, workersFor, type ParallelPlan } from './parallel/plan.js';
import type { Engine } from './rules/engine.js';
import { expandInputs, isProblem, type Source } from './sources/expand.js';
import { readLines } from './sources/lines.js';
import { problemFromError } from './sources/problem.js';
import type { Io, LineOutcome, LogFormat, LogRecord, SecurityEvent, SourceProblem } from './types.js';

export interface PipelineOptions {
  /** Read only when a source is read on this thread (not when worker threads read them all): it may be a getter. */
  engine: Engine;
  forcedFormat: LogFormat | null;
  maxLineBytes: number;
  /** Records whose time is outside [since, until] are counted as skipped. ms since the epoch. */
  since: number | null;
  until: number | null;
  /** Called for each event before it goes on the bus; returns false to drop it (e.g. --min-severity). */
  keepEvent: (e: SecurityEvent) => boolean;
  signal?: AbortSignal;
  /** With --db: follows each source's lines and byte offsets (src/store/). Absent: the hot path does nothing more. */
  track?: (source: Source) => LineTracker | null;
  /** Asked between chunks: a promise pauses reading until it settles (stdout blocked, e.g. --json to a slow pipe). */
  backpressure?: () => Promise<void> | null;
  /** Sources read at once and merged by time (default MERGE_WIDTH); 1 reads them one after another. */
  mergeWidth?: number;
  /**
   * Worker threads that read, parse and run the rules (src/parallel/), when two or more regular files are read at
   * once; null or absent: none. Only when `engine` runs exactly the plan's rules and there is no `track`: a worker
   * builds that engine itself. The bus then gets folded 'lines' for event-less lines (see src/bus.ts).
   */
  parallel?: ParallelPlan | null;
}

/** Follows one source's lines as they are read and done; the event store commits events with offsets through it. */
export interface LineTracker {
  /** Lines before the first one read (reading resumed after them): records are numbered after them. */
  readonly linesBefore: number;
  /** Every chunk of (decoded) bytes, before it is split into lines. */
  onChunk(chunk: Buffer): void;
  /** The record of line `line` went through the rules: its events are on the bus. */
  lineDone(line: number): void;
  /** The source ended; complete: it was read to its end (not stopped by an error or Ctrl-C). */
  end(complete: boolean, format: string | null): void;
}

/** How a reading command stops early: the reader of stdout went away ('epipe'), or Ctrl-C / SIGTERM ('interrupt'). */
export interface Stops {
  readonly signal: AbortSignal;
  abort(reason: string): void;
  /** Why the command stopped early, or null. */
  reason(): string | null;
  /** Stops listening (the signal keeps its state). */
  dispose(): void;
}

export function watchStops(io: Io): Stops {
  const ac = new AbortController();
  const outClosed = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') ac.abort('epipe');
  };
  const interrupted = (): void => ac.abort('interrupt');
  io.out.on('error', outClosed);
  io.signals?.once('SIGINT', interrupted); // once: a second Ctrl-C kills at once
  io.signals?.once('SIGTERM', interrupted);
  return {
    signal: ac.signal,
    abort: (reason) => ac.abort(reason),
    reason: () => (ac.signal.aborted ? String(ac.signal.reason) : null),
    dispose: () => {
      io.out.off('error', outClosed);
      io.signals?.off('SIGINT', interrupted);
      io.signals?.off('SIGTERM', interrupted);
    },
  };
}

/** Finds every source the inputs name (a directory walk is cheap next to reading), so that progress knows the total. */
export async function collectSources(inputs: readonly string[], io: Io): Promise<{ items: (Source | SourceProblem)[]; totalBytes: number | null }> {
  const items: (Source | SourceProblem)[] = [];
  let totalBytes: number | null = 0;
  for await (const item of expandInputs(inputs, io)) {
    items.push(item);
    if (!isProblem(item)) totalBytes = item.size === null || totalBytes === null ? null : totalBytes + item.size;
  }
  return { items, totalBytes };
}

/**
 * Reads every source and puts what it finds on the bus. Several sources are read at once and their records merged by
 * time (src/merge.ts); one source goes straight through. Problems with inputs are reported on the bus, not thrown.
 */
export async function runPipeline(items: readonly (Source | SourceProblem)[], opts: PipelineOptions, bus: Bus, io: Io): Promise<void> {
  const width = opts.mergeWidth ?? MERGE_WIDTH;
  // each source being read listens for Ctrl-C on the one signal: no "possible leak" warning past ten of them
  if (opts.signal !== undefined) setMaxListeners(width + 16, opts.signal);
  const workers = opts.track === undefined ? workersFor(items, opts.parallel, width) : 0;
  const blockBytes = opts.parallel?.blockBytes ?? BLOCK_BYTES;
  const splitting = opts.track === undefined ? splitWorkers(items, opts.parallel, blockBytes) : 0;
  // One large file is read in blocks on the workers, unless it cannot be cut: then it is read below, whole.
  if (splitting > 0 && await (await import('./parallel/run.js')).runSplit(items[0] as Source, opts, bus, io, splitting, blockBytes)) {
    bus.emit('end');
    return;
  }
  if (workers > 0) {
    await (await import('./parallel/run.js')).runParallel(items, opts, bus, io, workers, width);
  } else if (width > 1 && items.filter((item) => !isProblem(item)).length > 1) {
    await mergeSources(items, isProblem, (source, lane) => readSource(source, opts, bus, io, lane), bus, { width, signal: opts.signal });
  } else {
    let index = 0;
    for (const item of items) {
      if (opts.signal?.aborted) break;
      if (isProblem(item)) bus.emit('problem', item);
      else await readSource(item, opts, bus, io, new Lane(++index, bus, false));
    }
  }
  bus.emit('end');
}

/** Reads one source into its lane: records in line order, then problems and the summary. Never throws. */
async function readSource(source: Source, opts: PipelineOptions, bus: Bus, io: Io, lane: Lane): Promise<void> {
  let bytes = 0;
  let input;
  const opening = source.open((n) => {
    bytes += n;
    bus.emit('bytes', n, source.name);
  }, lane.readBytes);
  try {
    input = await untilAborted(opening, opts.signal);
  } catch (err) {
    lane.problem(problemFromError(source.name, err));
    lane.close(() => {});
    return;
  }
  if (input === null) {
    // Ctrl-C while open() still waits for the first bytes of a quiet pipe: let go of it, or the process cannot end.
    opening.then((s) => s.destroy(), () => {});
    if (source.path === null) releaseStdin(io);
    lane.close(() => {});
    return;
  }
  const tracker = opts.track?.(source) ?? null;
  const linesBefore = tracker?.linesBefore ?? 0;
  lane.open({ name: source.name, size: source.size }, deliverer(opts, bus, tracker));
  const ranged = opts.since !== null || opts.until !== null; // most scans have no --since/--until: no check per record
  const onRecord = (record: LogRecord, outcome: LineOutcome): void => {
    if (ranged && outcome !== 'skipped' && record.time !== null && outOfRange(record.time, opts)) outcome = 'skipped';
    if (linesBefore > 0) record.line += linesBefore;
    lane.push(record, outcome);
  };
  // A year-less timestamp is placed at or before the file's mtime; never after the clock the caller fixed.
  const mtime = source.mtime;
  const reference = mtime !== null && mtime.getTime() < io.now.getTime() ? mtime : io.now;
  const stage = createRecordStage({ file: source.name, ctx: { reference }, forced: opts.forcedFormat, onRecord });
  const abort = (): void => {
    input.destroy();
    // A read pending on a quiet pipe blocks that destroy (an async generator closes only after its pending next()).
    if (source.path === null) releaseStdin(io);
  };
  opts.signal?.addEventListener('abort', abort, { once: true });
  let complete = false;
  try {
    const onChunk = tracker === null ? undefined : (chunk: Buffer): void => tracker.onChunk(chunk);
    const beforeChunk = pauseWhile(lane, opts.backpressure, opts.signal);
    await readLines(input, { maxLineBytes: opts.maxLineBytes, onChunk, beforeChunk }, (line, truncated) => stage.line(line, truncated));
    complete = !opts.signal?.aborted;
  } catch (err) {
    if (!opts.signal?.aborted) lane.problem(problemFromError(source.name, err));
  } finally {
    opts.signal?.removeEventListener('abort', abort);
    stage.end();
    lane.close(() => {
      bus.emit('sourceEnd', {
        name: source.name, format: stage.format, bytes, detection: stage.reason,
        lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0, // the counter counts these itself
      });
      // merged, the source may have been read to its end while its last lines were never delivered (Ctrl-C)
      tracker?.end(complete && opts.signal?.aborted !== true, stage.format);
    });
  }
}

/** What a record's turn does: the record on the bus, its events (the rules, then --min-severity), the store's line. */
function deliverer(opts: PipelineOptions, bus: Bus, tracker: LineTracker | null): Deliver {
  const emitEvent = (e: SecurityEvent): void => {
    if (opts.keepEvent(e)) bus.emit('event', e);
  };
  const engine = opts.engine; // read once a source, when this thread reads one (scan builds it on first read)
  return (record, outcome) => {
    bus.emit('record', record, outcome);
    if (outcome !== 'skipped') engine(record, emitEvent);
    if (tracker !== null) tracker.lineDone(record.line);
  };
}

/**
 * The pause hook for readLines: while the merger holds enough of this source's lines, or stdout is blocked. A wait
 * ends at Ctrl-C too (the input is destroyed then).
 */
function pauseWhile(lane: Lane, backpressure: PipelineOptions['backpressure'], signal: AbortSignal | undefined): () => Promise<void> | null {
  return () => {
    const wait = lane.room() ?? backpressure?.() ?? null;
    return wait === null ? null : untilAborted(wait, signal).then(() => undefined);
  };
}

/** Ends standard input, so that a read pending on a pipe that stays open settles and the process can exit. */
function releaseStdin(io: Io): void {
  const stdin = io.in as NodeJS.ReadableStream & { destroy?: () => void };
  if (typeof stdin.destroy === 'function') stdin.destroy();
}

/** The promise's value, or null as soon as the signal aborts (the promise is then left to settle on its own). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T | null> {
  if (signal === undefined) return p;
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = (): void => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

function outOfRange(t: number, opts: PipelineOptions): boolean {
  return (opts.since !== null && t < opts.since) || (opts.until !== null && t > opts.until);
}
