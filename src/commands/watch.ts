// `audit watch`: follows files and directories (tail -F) or a pipe (`journalctl -f -o json | audit watch -`), prints
// fatal events and alerts as they happen, a status line on SIGUSR1 and every --status-every, and on Ctrl-C or
// SIGTERM the summary (exit 0). Starts at the end of existing files unless --from-start.
import { Command, Option } from 'commander';
import { Bus } from '../bus.js';
import type { ExitHolder } from '../cli.js';
import { Counter } from '../counter/counter.js';
import { attachAlerting, parseAlertingOptions, withAlertingOptions, type AlertingOptions, type RawAlertingOptions } from '../detectors/alerting.js';
import { parseDuration } from '../detectors/config.js';
import { EXIT, UsageError } from '../errors.js';
import { createRecordStage, type RecordStage } from '../formats/stage.js';
import { findFormat, formatNames } from '../formats/registry.js';
import { attachLive } from '../reporters/live.js';
import { attachNdjson } from '../reporters/ndjson.js';
import { renderSummary } from '../reporters/table.js';
import { buildRuleSet } from '../rules/compose.js';
import type { Engine } from '../rules/engine.js';
import { followPaths, type LineSink } from '../sources/follow.js';
import { readLines } from '../sources/lines.js';
import type { RedactOptions } from '../text/redact.js';
import { sanitize } from '../text/sanitize.js';
import { createStyle, wantColor } from '../text/style.js';
import { severityRank, type Io, type LogFormat, type SecurityEvent, type Severity } from '../types.js';
import {
  parseRedactOptions, parseRuleOptions, parseSeverity, parseSize, startRedaction, withRedactOptions, withRuleOptions,
  type RawRedactOptions, type RawRuleOptions, type RuleOptions,
} from './options.js';

export interface WatchOptions extends RuleOptions {
  inputs: readonly string[];
  json: boolean;
  color: boolean;
  fromStart: boolean;
  pollMs: number;
  statusEveryMs: number | null;
  minSeverity: Severity;
  format: LogFormat | null;
  maxLineBytes: number;
  alerting: AlertingOptions;
  /** --redact / --redact-ip, as in scan; null when nothing is masked. */
  redact: RedactOptions | null;
}

interface RawWatchOptions extends RawAlertingOptions, RawRuleOptions, RawRedactOptions {
  json?: boolean; color?: boolean; fromStart?: boolean; poll: string; statusEvery?: string; minSeverity: string;
  inputFormat?: string; maxLineBytes: string;
}

/** Lines held for format detection in a followed file: few, and flushed whenever a poll finds nothing new. */
const FOLLOW_DETECT_LINES = 4;
const EXPIRE_EVERY_MS = 60_000;
const DAY_MS = 86_400_000;

export function watchCommand(io: Io, exit: ExitHolder): Command {
  return withAlertingOptions(withRedactOptions(withRuleOptions(new Command('watch')
    .description('follow log files, directories or a pipe and raise alerts as attacks happen (Ctrl-C prints the summary)')
    .argument('<paths...>', "files or directories to follow (rotation and new files are picked up); '-' reads a pipe, e.g. journalctl -f -o json")
    .option('--json', 'write NDJSON to stdout: one line per event and alert, then a summary line')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .option('--from-start', 'read existing files from their start instead of their end')
    .option('--poll <duration>', 'how often files are checked for new lines', '1s')
    .option('--status-every <duration>', 'print a status line on stderr this often (also on SIGUSR1)')
    .addOption(new Option('--min-severity <level>', 'ignore events below this severity').default('info'))
    .option('--input-format <name>', 'do not detect: read every source as this format')
    .option('--max-line-bytes <size>', 'cut longer lines (counted as truncated)', '1m'))))
    .action(async (paths: string[], raw: RawWatchOptions) => {
      exit.code = await runWatch(parseWatchOptions(paths, raw, io), io);
    });
}

export function parseWatchOptions(paths: readonly string[], raw: RawWatchOptions, io: Io): WatchOptions {
  let format: LogFormat | null = null;
  if (raw.inputFormat !== undefined) {
    format = findFormat(raw.inputFormat) ?? null;
    if (format === null) throw new UsageError(`--input-format: unknown format '${raw.inputFormat}'`, { hint: `use one of: ${formatNames().join(', ')}` });
  }
  if (paths.includes('-') && paths.length > 1) throw new UsageError("watch: '-' (a pipe) cannot be mixed with files", { hint: 'run one audit watch per pipe' });
  const pollMs = parseDuration(raw.poll, '--poll');
  if (pollMs < 10 || pollMs > 60_000) throw new UsageError('--poll: from 10ms to 60s');
  const statusEveryMs = raw.statusEvery === undefined ? null : parseDuration(raw.statusEvery, '--status-every');
  if (statusEveryMs !== null && statusEveryMs < 1000) throw new UsageError('--status-every: at least 1s');
  return Object.freeze({
    inputs: paths, json: raw.json === true, color: wantColor({ flag: raw.color, tty: io.tty, env: io.env }), fromStart: raw.fromStart === true,
    pollMs, statusEveryMs, minSeverity: parseSeverity('--min-severity', raw.minSeverity), format,
    maxLineBytes: parseSize('--max-line-bytes', raw.maxLineBytes, 256, 256 * 1024 * 1024), alerting: parseAlertingOptions(raw, io),
    ...parseRuleOptions(raw), redact: parseRedactOptions(raw),
  });
}

export async function runWatch(opts: WatchOptions, io: Io): Promise<number> {
  // as in scan: masking before anything writes; --json masks values itself, on the plain stdout
  const plain = io;
  const redaction = opts.redact === null ? null : await startRedaction(io, opts.redact);
  if (redaction !== null) io = redaction.io;
  const redact = redaction?.redact ?? null;
  // Rule files are validated before anything is followed (diagnostics on stderr, exit 2), as in scan.
  const { engine } = await buildRuleSet({ rules: opts.rules, sigma: opts.sigma, builtin: opts.builtin, warnSkipped: !opts.json }, io);
  const bus = new Bus();
  const counter = new Counter(bus, { top: 10 });
  const style = await createStyle(opts.color);
  const ndjson = opts.json ? attachNdjson(bus, plain, redact) : null;
  if (!opts.json) attachLive(bus, io, style);
  const alerting = await attachAlerting(bus, io, opts.alerting, redact);
  bus.on('problem', (p) => io.err.write(`audit: ${p.level === 'warning' ? 'warning: ' : ''}${sanitize(p.message)}\n`));
  const stats = { files: 0, lines: 0, events: 0, alerts: 0, lastEvent: null as string | null };
  bus.on('record', () => stats.lines++);
  bus.on('event', (e) => { stats.events++; if (e.time !== null) stats.lastEvent = e.time; });
  bus.on('alert', () => stats.alerts++);

  const ac = new AbortController();
  const stop = (): void => ac.abort();
  const status = (): void => {
    io.err.write(`audit: watching ${stats.files} file${stats.files === 1 ? '' : 's'}: ${stats.lines} lines, ${stats.events} events, ${stats.alerts} alerts` +
      `${stats.lastEvent === null ? '' : `; last event ${sanitize(stats.lastEvent)}`} (${new Date().toISOString()})\n`);
  };
  io.signals?.on('SIGINT', stop);
  io.signals?.on('SIGTERM', stop);
  io.signals?.on('SIGUSR1', status);
  const timers = [setInterval(() => alerting.detectors.expireIdle(), EXPIRE_EVERY_MS)];
  if (opts.statusEveryMs !== null) timers.push(setInterval(status, opts.statusEveryMs));
  const minRank = severityRank(opts.minSeverity);
  const started = new Set<string>();
  const open = (name: string, firstLine: number): LineSink => {
    const sink = lineSink(name, firstLine, { bus, engine, format: opts.format, minRank, now: io.now, started });
    stats.files = started.size; // by name: a new generation after rotation is the same file
    return sink;
  };
  try {
    if (opts.inputs.length === 1 && opts.inputs[0] === '-') await followPipe(io, opts, ac.signal, open);
    else await followPaths(opts.inputs, { pollMs: opts.pollMs, fromStart: opts.fromStart, maxLineBytes: opts.maxLineBytes, signal: ac.signal, cwd: io.cwd }, { open, problem: (p) => bus.emit('problem', p) });
  } finally {
    for (const t of timers) clearInterval(t);
    io.signals?.off('SIGINT', stop);
    io.signals?.off('SIGTERM', stop);
    io.signals?.off('SIGUSR1', status);
  }
  bus.emit('end');
  await alerting.finish();
  const summary = counter.summary();
  if (ndjson) await ndjson.finish(summary);
  else io.out.write(renderSummary(summary, style, { top: 10, verbose: false }));
  return EXIT.ok;
}

/** Standard input (a pipe) until it ends or we are stopped. */
async function followPipe(io: Io, opts: WatchOptions, signal: AbortSignal, open: (name: string, first: number) => LineSink): Promise<void> {
  const sink = open('(stdin)', 1);
  const input = io.in as NodeJS.ReadableStream & { destroy?: () => void };
  const onAbort = (): void => input.destroy?.();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await readLines(io.in as import('node:stream').Readable, { maxLineBytes: opts.maxLineBytes }, (line, truncated) => sink.line(line, truncated));
  } catch {
    // destroyed by Ctrl-C: what was read is in the summary
  } finally {
    signal.removeEventListener('abort', onAbort);
    sink.end();
  }
}

interface SinkContext {
  bus: Bus;
  engine: Engine;
  format: LogFormat | null;
  minRank: number;
  now: Date;
  started: Set<string>;
}

/** One generation of one followed file: its own record stage (format detection), line numbers from firstLine. */
function lineSink(name: string, firstLine: number, ctx: SinkContext): LineSink {
  const offset = firstLine - 1;
  const emitEvent = (e: SecurityEvent): void => {
    if (severityRank(e.severity) >= ctx.minRank) ctx.bus.emit('event', e);
  };
  const stage: RecordStage = createRecordStage({
    // year-less timestamps are placed at or before the reference: allow lines written up to a day after this one opened
    file: name, ctx: { reference: new Date(Math.max(ctx.now.getTime(), Date.now()) + DAY_MS) }, forced: ctx.format, detectLines: FOLLOW_DETECT_LINES,
    onRecord: (record, outcome) => {
      record.line += offset;
      ctx.bus.emit('record', record, outcome);
      if (outcome !== 'skipped') ctx.engine(record, emitEvent);
    },
  });
  if (!ctx.started.has(name)) ctx.bus.emit('sourceStart', { name, size: null }); // a rotated file stays one row
  ctx.started.add(name);
  return {
    line: (text, truncated) => stage.line(text, truncated),
    idle: () => stage.end(), // detection flushes what it holds: a quiet file's last lines are not held back
    end: () => {
      stage.end();
      ctx.bus.emit('sourceEnd', { name, format: stage.format, bytes: 0, lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0 });
    },
  };
}
