// A one-line progress display on stderr for long scans: bytes, lines, rates and time left, redrawn in place.
// Only on a terminal (the caller decides), only after the first second, and never in the way of other output.
import type { Bus } from '../bus.js';
import type { Io, LineOutcome, SecurityEvent } from '../types.js';
import { formatBytes, formatCompact, formatCount, formatDuration } from './format.js';

export interface ProgressOptions {
  /** Sum of the sources' sizes; null when unknown (stdin). */
  totalBytes: number | null;
  enabled: boolean;
  /** Milliseconds, monotonic. Injected for tests. */
  clock?: () => number;
  /** Redraw period in ms. */
  interval?: number;
}

/** A quick scan finishes without ever drawing: nothing flickers for a small file. */
export const QUIET_START_MS = 1000;
const DEFAULT_INTERVAL_MS = 100; // ~10 redraws a second: smooth enough, and cheap
/** Carriage return, then erase the whole line: the cursor stays at column 1. */
export const CLEAR_LINE = '\r\x1b[2K';

export function startProgress(bus: Bus, io: Io, opts: ProgressOptions): { stop(): void } {
  if (!opts.enabled) return { stop: () => {} };
  const progress = new Progress(bus, io, opts);
  return { stop: progress.stop };
}

class Progress {
  private readonly clock: () => number;
  private readonly started: number;
  private readonly timer: NodeJS.Timeout;
  private bytes = 0;
  private lines = 0;
  private drawn = false;
  private stopped = false;

  constructor(private readonly bus: Bus, private readonly io: Io, private readonly opts: ProgressOptions) {
    this.clock = opts.clock ?? (() => performance.now());
    this.started = this.clock();
    bus.on('bytes', this.onBytes);
    bus.on('record', this.onRecord);
    bus.on('lines', this.onLines);
    // The live reporter prints fatal events and alerts on stdout, often the same terminal: get out of its way first
    // (prepended, so this runs before it); the next tick draws again below what it printed.
    bus.prependListener('event', this.onEvent);
    bus.prependListener('alert', this.clear);
    bus.prependListener('end', this.stop); // before the summary is printed
    this.timer = setInterval(this.draw, opts.interval ?? DEFAULT_INTERVAL_MS);
    this.timer.unref(); // never keeps the process alive on its own
  }

  private readonly onBytes = (n: number): void => {
    this.bytes += n;
  };

  private readonly onRecord = (): void => {
    this.lines++;
  };

  /** Lines a parallel scan folded (src/parallel/): as many as that many records. */
  private readonly onLines = (_file: string, _outcome: LineOutcome, count: number): void => {
    this.lines += count;
  };

  private readonly onEvent = (e: SecurityEvent): void => {
    if (e.severity === 'critical') this.clear();
  };

  private readonly draw = (): void => {
    const elapsed = this.clock() - this.started;
    if (elapsed < QUIET_START_MS) return;
    const columns = (this.io.err as { columns?: unknown }).columns;
    const width = typeof columns === 'number' && columns > 1 ? columns - 1 : 79;
    const text = progressLine({ bytes: this.bytes, totalBytes: this.opts.totalBytes, lines: this.lines, elapsedMs: elapsed });
    this.io.err.write(CLEAR_LINE + (text.length > width ? text.slice(0, width) : text));
    this.drawn = true;
  };

  private readonly clear = (): void => {
    if (!this.drawn) return;
    this.io.err.write(CLEAR_LINE);
    this.drawn = false;
  };

  readonly stop = (): void => {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.bus.off('bytes', this.onBytes);
    this.bus.off('record', this.onRecord);
    this.bus.off('lines', this.onLines);
    this.bus.off('event', this.onEvent);
    this.bus.off('alert', this.clear);
    this.bus.off('end', this.stop);
    this.clear();
  };
}

/**
 * `12.3 MB / 45.6 MB (27%)  1,234,567 lines  456k lines/s  12.3 MB/s  3m 05s left`; without a total, the bytes read
 * and no time left. Rates are averages since the start: steadier than instant rates, and good enough for an estimate.
 */
export function progressLine(p: { bytes: number; totalBytes: number | null; lines: number; elapsedMs: number }): string {
  const seconds = p.elapsedMs / 1000;
  const byteRate = seconds > 0 ? p.bytes / seconds : 0;
  const lineRate = seconds > 0 ? p.lines / seconds : 0;
  const parts: string[] = [];
  if (p.totalBytes !== null && p.totalBytes > 0) {
    // A growing file can outrun its size at the start: never claim 100% before the end.
    const pct = Math.min(99, Math.floor((p.bytes / p.totalBytes) * 100));
    parts.push(`${formatBytes(p.bytes)} / ${formatBytes(p.totalBytes)} (${pct}%)`);
  } else {
    parts.push(`${formatBytes(p.bytes)} read`);
  }
  parts.push(`${formatCount(p.lines)} lines`, `${formatCompact(lineRate)} lines/s`, `${formatBytes(byteRate)}/s`);
  if (p.totalBytes !== null && byteRate > 0 && p.bytes < p.totalBytes) {
    parts.push(`${formatDuration(((p.totalBytes - p.bytes) / byteRate) * 1000)} left`);
  }
  return parts.join('  ');
}
