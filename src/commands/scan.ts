// `audit scan`: read logs, turn lines into security events, print fatal events as they come and tables at the end.
import { Command, Option } from 'commander';
import { Bus } from '../bus.js';
import type { ExitHolder } from '../cli.js';
import { Counter } from '../counter/counter.js';
import { EXIT, UsageError } from '../errors.js';
import { attachAlerting, parseAlertingOptions, withAlertingOptions, type AlertingOptions, type RawAlertingOptions } from '../detectors/alerting.js';
import { findFormat, formatNames } from '../formats/registry.js';
import { scanWorkers } from '../parallel/plan.js';
import { collectSources, runPipeline, watchStops } from '../pipeline.js';
import { attachLive } from '../reporters/live.js';
import { attachNdjson } from '../reporters/ndjson.js';
import { startProgress } from '../reporters/progress.js';
import { buildRuleSet } from '../rules/compose.js';
import { sanitize } from '../text/sanitize.js';
import { createStyle, wantColor } from '../text/style.js';
import type { RedactOptions } from '../text/redact.js';
import { severityRank, type Io, type LogFormat, type Severity, type Summary } from '../types.js';
import {
  parseCount, parseRedactOptions, parseRuleOptions, parseSeverity, parseSize, parseTimeBound, startRedaction, withRedactOptions, withRuleOptions,
  type RawRedactOptions, type RawRuleOptions,
} from './options.js';

export interface ScanOptions {
  inputs: readonly string[];
  json: boolean;
  quiet: boolean;
  color: boolean;
  verbose: boolean;
  top: number;
  minSeverity: Severity;
  failOn: Severity | null;
  since: number | null;
  until: number | null;
  format: LogFormat | null;
  maxLineBytes: number;
  alerting: AlertingOptions;
  /** --rules and --sigma paths, and false with --no-builtin (rules/compose.ts builds the engine). */
  rules: readonly string[];
  sigma: readonly string[];
  builtin: boolean;
  /** --redact / --redact-ip: what every output masks; null when nothing is masked. */
  redact: RedactOptions | null;
  /** --db: the event store file (incremental reading); --store-lines keeps each event's raw line there too. */
  db: string | null;
  storeLines: boolean;
  /** --threads: worker threads for two or more files, or one large file in blocks; 1 = none (the default); null = auto (src/parallel/plan.ts). */
  threads: number | null;
}

interface RawScanOptions extends RawAlertingOptions, RawRuleOptions, RawRedactOptions {
  json?: boolean; quiet?: boolean; color?: boolean; verbose?: boolean; top: string; minSeverity: string;
  failOn?: string; since?: string; until?: string; inputFormat?: string; maxLineBytes: string; db?: string; storeLines?: boolean;
  threads?: string;
}

export function scanCommand(io: Io, exit: ExitHolder): Command {
  return withAlertingOptions(withRedactOptions(withRuleOptions(new Command('scan')
    .description('scan log files, directories (recursively, .gz too) or standard input for security events')
    .argument('[paths...]', "files or directories to read; '-' (or nothing, when input is piped) reads standard input")
    .option('--json', 'write NDJSON to stdout: one line per event and alert, then a summary line')
    .option('-q, --quiet', 'print only the summary (no fatal events as they come, no progress)')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .option('-v, --verbose', 'say which format was detected for each source and why')
    .option('--top <n>', 'rows in the top addresses and users tables', '10')
    .addOption(new Option('--min-severity <level>', 'ignore events below this severity').default('info'))
    .option('--fail-on <level>', 'exit with code 1 when an event or alert at or above this severity is found')
    .option('--since <time>', 'only lines at or after this time: ISO date/time or a duration ago (24h, 7d)')
    .option('--until <time>', 'only lines at or before this time: ISO date/time or a duration ago')
    .option('--input-format <name>', 'do not detect: read every source as this format (see `audit formats`)')
    .option('--max-line-bytes <size>', 'cut longer lines (counted as truncated)', '1m'))
    .option('--db <file>', 'store events and alerts in this SQLite file and read only what is new since the last run')
    .option('--store-lines', 'with --db: store the raw line of each event too')
    .option('--threads <n>', "read on n threads, at most one per CPU: two or more files, or one file of 8 MB or more in blocks (on 2 CPUs, either way one worker thread and the main thread); 'auto': one per CPU from 32 MB on (not with --db, --rules, --sigma)", '1')))
    .action(async (paths: string[], raw: RawScanOptions) => {
      exit.code = await runScan(parseScanOptions(paths, raw, io), io);
    });
}

export function parseScanOptions(paths: readonly string[], raw: RawScanOptions, io: Io): ScanOptions {
  let inputs = paths;
  if (inputs.length === 0) {
    if (io.in.isTTY) {
      throw new UsageError('no input given', { hint: "name files or directories, or pipe logs in and use '-' (e.g. journalctl -o json | audit scan -)" });
    }
    inputs = ['-'];
  }
  let format: LogFormat | null = null;
  if (raw.inputFormat !== undefined) {
    format = findFormat(raw.inputFormat) ?? null;
    if (format === null) throw new UsageError(`--input-format: unknown format '${raw.inputFormat}'`, { hint: `use one of: ${formatNames().join(', ')}` });
  }
  const since = raw.since === undefined ? null : parseTimeBound('--since', raw.since, io.now);
  const until = raw.until === undefined ? null : parseTimeBound('--until', raw.until, io.now);
  if (since !== null && until !== null && since > until) throw new UsageError('--since is later than --until');
  return Object.freeze({
    inputs,
    json: raw.json === true,
    quiet: raw.quiet === true,
    color: wantColor({ flag: raw.color, tty: io.tty, env: io.env }),
    verbose: raw.verbose === true,
    top: parseCount('--top', raw.top, 1, 1000),
    minSeverity: parseSeverity('--min-severity', raw.minSeverity),
    failOn: raw.failOn === undefined ? null : parseSeverity('--fail-on', raw.failOn),
    since,
    until,
    format,
    maxLineBytes: parseSize('--max-line-bytes', raw.maxLineBytes, 256, 256 * 1024 * 1024),
    alerting: parseAlertingOptions(raw, io),
    ...parseRuleOptions(raw),
    redact: parseRedactOptions(raw),
    db: raw.db ?? null,
    storeLines: raw.storeLines === true && raw.db !== undefined ? true : usageIf(raw.storeLines === true, '--store-lines needs --db <file>'),
    // one thread unless asked: threads cost ~20% more CPU and ~110 MB more memory, and pay only on a free core
    threads: raw.threads === 'auto' ? null : parseThreads(raw.threads ?? '1'),
  });
}

function parseThreads(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--threads: '${value}' is neither a whole number nor 'auto'`);
  return parseCount('--threads', value, 1, 64);
}

export async function runScan(opts: ScanOptions, io: Io): Promise<number> {
  // before anything can write. --json masks values itself, on the plain stdout (masking JSON text can break escapes).
  const plain = io;
  const redaction = opts.redact === null ? null : await startRedaction(io, opts.redact);
  if (redaction !== null) io = redaction.io;
  const redact = redaction?.redact ?? null;
  // Rule files are validated before any line is read (diagnostics on stderr, exit 2).
  // A scan asked to use threads interns no event values (rules/event.ts): its main thread's engine reads only some
  // blocks, and the recent values an interner holds (~3 MB on 8,000,000 auth lines) would raise the peak of the scans
  // that have the least room under the memory bound: 139 -> 144 MiB there.
  const internValues = opts.threads === 1;
  const ruleSet = await buildRuleSet({ rules: opts.rules, sigma: opts.sigma, builtin: opts.builtin, warnSkipped: !opts.quiet && !opts.json, internValues }, io);
  // before any line; better-sqlite3 is loaded only with --db
  const store = opts.db === null ? null : (await import('../store/scan-store.js')).openScanStore(opts.db, { storeLines: opts.storeLines }, io);
  const bus = new Bus();
  const counter = new Counter(bus, { top: opts.top });
  const style = await createStyle(opts.color);
  const ndjson = opts.json ? attachNdjson(bus, plain, redact) : null;
  if (!opts.json && !opts.quiet) attachLive(bus, io, style);
  // after the reporters: an alert raised by an event is then written after that event
  const alerting = await attachAlerting(bus, io, opts.alerting, redact); // detectors, --alerts, --webhook
  const minRank = severityRank(opts.minSeverity);
  let found = false;
  // Per event, so only when asked: without --fail-on nothing is looked at, and at the lowest --min-severity every
  // event is kept without a rank look-up (two per event were ~1% of an auth.log scan).
  if (opts.failOn !== null) {
    const failRank = severityRank(opts.failOn);
    bus.on('event', (e) => { if (!found && severityRank(e.severity) >= failRank) found = true; });
    bus.on('alert', (a) => { if (severityRank(a.severity) >= failRank) found = true; });
  }
  if (opts.verbose) bus.on('sourceEnd', (s) => io.err.write(`audit: ${sanitize(s.name)}: ${sanitize(s.detection ?? 'no format')}\n`));
  // An input that cannot be read is said at once on stderr (and again in the summary); the scan goes on.
  bus.on('problem', (p) => {
    if (p.level === 'error') io.err.write(`audit: ${sanitize(p.message)}\n`);
    else if (!opts.quiet) io.err.write(`audit: warning: ${sanitize(p.message)}\n`);
  });

  // Two ways to stop early: the reader of stdout went away (EPIPE: end quietly), or Ctrl-C (partial summary, 130).
  const stops = watchStops(io);
  const { items: named, totalBytes } = await collectSources(opts.inputs, io);
  const items = store === null ? named : await store.plan(named, bus, () => stops.abort('store'));
  // the detectors continue where the stored history leaves them: an attack spanning two cron runs adds up, no alert twice
  const warm = store?.warm(alerting.detectors, opts.alerting.detectors);
  if (opts.verbose && warm?.latest) {
    const notFound = warm.notFound === 0 ? '' : ` and ${warm.notFound} request${warm.notFound === 1 ? '' : 's'} answered 404`;
    io.err.write(`audit: detectors warmed up from the store: ${warm.events} events${notFound} replayed, ${warm.alerts} recent alert${warm.alerts === 1 ? '' : 's'} (latest stored time ${warm.latest})\n`);
  }
  const progress = startProgress(bus, io, { totalBytes, enabled: io.errTty && !opts.json && !opts.quiet });
  try {
    await runPipeline(items, {
      get engine() { return ruleSet.engine; }, // built only if this thread reads lines (not when workers read them all)
      forcedFormat: opts.format,
      maxLineBytes: opts.maxLineBytes,
      parallel: scanWorkers({ threads: opts.threads, rules: ruleSet.rules, sigma: ruleSet.sigma.rules, noStore: store === null }),
      since: opts.since,
      until: opts.until,
      keepEvent: minRank <= 0 ? keepAll : (e) => severityRank(e.severity) >= minRank,
      signal: stops.signal,
      track: store?.track,
      backpressure: ndjson?.blocked,
    }, bus, io);
  } finally {
    progress.stop();
    stops.dispose();
  }
  await alerting.finish(); // the webhook queue drains (bounded) or spools, even after Ctrl-C
  store?.finish(); // the last alerts; throws (exit 2) when storing failed
  if (stops.reason() === 'epipe') return EXIT.ok; // stdout went away: nothing more to say
  const summary = counter.summary();
  if (ndjson) await ndjson.finish(summary); // settles once stdout drained: nothing is lost on a slow pipe
  // cli-table3 (~20 ms to load) only for the tables: not with --json
  else io.out.write((await import('../reporters/table.js')).renderSummary(summary, style, { top: opts.top, verbose: opts.verbose }));
  if (stops.reason() === 'interrupt') {
    io.err.write('audit: interrupted; the summary above covers what was read until then\n');
    return EXIT.interrupted;
  }
  return exitCode(summary, found);
}

function keepAll(): boolean {
  return true;
}

function usageIf(bad: boolean, message: string): false {
  if (bad) throw new UsageError(message);
  return false;
}

function exitCode(summary: Summary, found: boolean): number {
  if (summary.problems.some((p) => p.level === 'error')) return EXIT.input;
  return found ? EXIT.found : EXIT.ok;
}
