// One scan, source after source: sources -> lines -> records (format detection) -> events (rules) -> the bus.
// Used by every command that reads logs; what listens on the bus (counter, reporters, detectors) is the caller's.
import type { Bus } from './bus.js';
import { createRecordStage } from './formats/stage.js';
import type { Engine } from './rules/engine.js';
import { expandInputs, isProblem, type Source } from './sources/expand.js';
import { readLines } from './sources/lines.js';
import { problemFromError } from './sources/problem.js';
import type { Io, LineOutcome, LogFormat, LogRecord, SecurityEvent, SourceProblem } from './types.js';

export interface PipelineOptions {
  engine: Engine;
  forcedFormat: LogFormat | null;
  maxLineBytes: number;
  /** Records whose time is outside [since, until] are counted as skipped. ms since the epoch. */
  since: number | null;
  until: number | null;
  /** Called for each event before it goes on the bus; returns false to drop it (e.g. --min-severity). */
  keepEvent: (e: SecurityEvent) => boolean;
  signal?: AbortSignal;
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

/** Reads every source and puts what it finds on the bus. Problems with inputs are reported on the bus, not thrown. */
export async function runPipeline(items: readonly (Source | SourceProblem)[], opts: PipelineOptions, bus: Bus, io: Io): Promise<void> {
  for (const item of items) {
    if (opts.signal?.aborted) break;
    if (isProblem(item)) {
      bus.emit('problem', item);
      continue;
    }
    await scanSource(item, opts, bus, io);
  }
  bus.emit('end');
}

async function scanSource(source: Source, opts: PipelineOptions, bus: Bus, io: Io): Promise<void> {
  let bytes = 0;
  let input;
  try {
    input = await source.open((n) => {
      bytes += n;
      bus.emit('bytes', n);
    });
  } catch (err) {
    bus.emit('problem', problemFromError(source.name, err));
    return;
  }
  bus.emit('sourceStart', { name: source.name, size: source.size });
  const emitEvent = (e: SecurityEvent): void => {
    if (opts.keepEvent(e)) bus.emit('event', e);
  };
  const onRecord = (record: LogRecord, outcome: LineOutcome): void => {
    if (outcome !== 'skipped' && record.time !== null && outOfRange(record.time, opts)) outcome = 'skipped';
    bus.emit('record', record, outcome);
    if (outcome !== 'skipped') opts.engine(record, emitEvent);
  };
  // A year-less timestamp is placed at or before the file's mtime; never after the clock the caller fixed.
  const mtime = source.mtime;
  const reference = mtime !== null && mtime.getTime() < io.now.getTime() ? mtime : io.now;
  const stage = createRecordStage({ file: source.name, ctx: { reference }, forced: opts.forcedFormat, onRecord });
  const abort = (): void => {
    input.destroy();
  };
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    await readLines(input, { maxLineBytes: opts.maxLineBytes }, (line, truncated) => stage.line(line, truncated));
  } catch (err) {
    if (!opts.signal?.aborted) bus.emit('problem', problemFromError(source.name, err));
  } finally {
    opts.signal?.removeEventListener('abort', abort);
    stage.end();
    bus.emit('sourceEnd', {
      name: source.name, format: stage.format, bytes, detection: stage.reason,
      lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0, // the counter counts these itself
    });
  }
}

function outOfRange(t: number, opts: PipelineOptions): boolean {
  return (opts.since !== null && t < opts.since) || (opts.until !== null && t > opts.until);
}
