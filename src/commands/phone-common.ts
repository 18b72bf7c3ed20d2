// What `audit phone` and `audit phones` share: their options (region, thresholds from flags and --config, --fail-on,
// the scan's input options) parsed once into a frozen object, and one read of the logs through the scan pipeline
// that hands every line over together with the events the rules found in it.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { Bus } from '../bus.js';
import { EXIT, InputError, UsageError, describeSystemError } from '../errors.js';
import { findFormat, formatNames } from '../formats/registry.js';
import { collectSources, runPipeline, watchStops } from '../pipeline.js';
import {
  DEFAULT_THRESHOLDS, RISKS, parseWindow, riskRank, thresholdsFromConfig, type Risk, type Thresholds,
} from '../phone/verdict.js';
import { startProgress } from '../reporters/progress.js';
import { builtinRules } from '../rules/compose.js';
import { createEngine } from '../rules/engine.js';
import { sanitize } from '../text/sanitize.js';
import { wantColor } from '../text/style.js';
import type { Io, LogFormat, LogRecord, SecurityEvent } from '../types.js';
import { parseCount, parseSize, parseTimeBound } from './options.js';

export interface RiskOptions {
  inputs: readonly string[];
  /** ISO 3166 region national numbers are read in, upper case. */
  region: string;
  json: boolean;
  color: boolean;
  thresholds: Readonly<Thresholds>;
  failOn: Risk | null;
  format: LogFormat | null;
  since: number | null;
  until: number | null;
  maxLineBytes: number;
}

export interface RawRiskOptions {
  json?: boolean; color?: boolean; region: string; config?: string; window?: string; maxAccounts?: string;
  maxSignups?: string; maxSms?: string; failOn?: string; inputFormat?: string; since?: string; until?: string;
  maxLineBytes: string;
}

/** The options both commands take, in the order `--help` shows them. */
export function addRiskOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'write NDJSON to stdout instead of tables')
    .option('--region <code>', 'read numbers written without a country code as numbers of this country', 'CN')
    .option('--window <duration>', `time window for bursts (default ${DEFAULT_THRESHOLDS.window / 60_000}m)`)
    .option('--max-accounts <n>', `accounts behind one number before it is suspicious (default ${DEFAULT_THRESHOLDS.maxAccounts})`)
    .option('--max-signups <n>', `sign-ups within the window before it is suspicious (default ${DEFAULT_THRESHOLDS.maxSignups})`)
    .option('--max-sms <n>', `SMS-code requests within the window before it is suspicious (default ${DEFAULT_THRESHOLDS.maxSms})`)
    .option('--config <file>', 'read thresholds from the "phone" object of this JSON file (no file is read unless named)')
    .option('--fail-on <risk>', 'exit with code 1 when a risk at or above this level is found (low, medium, high)')
    .option('--since <time>', 'only lines at or after this time: ISO date/time or a duration ago (24h, 7d)')
    .option('--until <time>', 'only lines at or before this time: ISO date/time or a duration ago')
    .option('--input-format <name>', 'do not detect: read every source as this format (see `audit formats`)')
    .option('--max-line-bytes <size>', 'cut longer lines', '1m')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)');
}

/** Flags over the config file over the defaults. Throws UsageError (or InputError for an unreadable --config). */
export async function parseRiskOptions(paths: readonly string[], raw: RawRiskOptions, io: Io): Promise<RiskOptions> {
  const { requireDialingPlan } = await import('../phone/plan.js');
  const region = requireDialingPlan(raw.region).region;
  let inputs = paths;
  if (inputs.length === 0) {
    if (io.in.isTTY) throw new UsageError('no input given', { hint: "name files or directories, or pipe logs in and use '-'" });
    inputs = ['-'];
  }
  const fromFile = raw.config === undefined ? {} : thresholdsFromConfig(await readConfig(raw.config, io), raw.config);
  const flags: Partial<Thresholds> = {};
  if (raw.window !== undefined) flags.window = windowFlag(raw.window);
  if (raw.maxAccounts !== undefined) flags.maxAccounts = parseCount('--max-accounts', raw.maxAccounts, 0);
  if (raw.maxSignups !== undefined) flags.maxSignups = parseCount('--max-signups', raw.maxSignups, 0);
  if (raw.maxSms !== undefined) flags.maxSms = parseCount('--max-sms', raw.maxSms, 0);
  const since = raw.since === undefined ? null : parseTimeBound('--since', raw.since, io.now);
  const until = raw.until === undefined ? null : parseTimeBound('--until', raw.until, io.now);
  if (since !== null && until !== null && since > until) throw new UsageError('--since is later than --until');
  return Object.freeze({
    inputs,
    region,
    json: raw.json === true,
    color: wantColor({ flag: raw.color, tty: io.tty, env: io.env }),
    thresholds: Object.freeze({ ...DEFAULT_THRESHOLDS, ...fromFile, ...flags }),
    failOn: raw.failOn === undefined ? null : riskFlag(raw.failOn),
    format: raw.inputFormat === undefined ? null : formatFlag(raw.inputFormat),
    since,
    until,
    maxLineBytes: parseSize('--max-line-bytes', raw.maxLineBytes, 256, 256 * 1024 * 1024),
  });
}

function windowFlag(value: string): number {
  const ms = parseWindow(value);
  if (ms !== null) return ms;
  throw new UsageError(`--window: '${value}' is not a duration from 1s to 30d`, { hint: 'for example 90s, 10m, 1h or 1d' });
}

function riskFlag(value: string): Risk {
  const v = value.toLowerCase();
  if (v !== 'none' && (RISKS as readonly string[]).includes(v)) return v as Risk;
  throw new UsageError(`--fail-on: unknown risk level '${value}'`, { hint: 'use one of: low, medium, high' });
}

function formatFlag(value: string): LogFormat {
  const format = findFormat(value);
  if (format !== undefined) return format;
  throw new UsageError(`--input-format: unknown format '${value}'`, { hint: `use one of: ${formatNames().join(', ')}` });
}

async function readConfig(file: string, io: Io): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new InputError(`cannot read config ${file}: ${describeSystemError(err).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
}

/** A line with the events the rules found in it (in emission order). The record is not to be kept. */
export type LineHandler = (record: LogRecord, events: readonly SecurityEvent[]) => void;

export interface ReadResult {
  /** Why the read stopped early: stdout went away, or Ctrl-C; null when every source was read. */
  stopped: 'epipe' | 'interrupt' | null;
  /** An input could not be read (said on stderr): exit code 2. */
  failed: boolean;
  linesRead: number;
  sources: number;
}

/** Reads every input through the scan pipeline and calls `onLine` once per line (lines outside --since/--until: no). */
export async function readLogs(opts: RiskOptions, io: Io, onLine: LineHandler): Promise<ReadResult> {
  const bus = new Bus();
  const result: ReadResult = { stopped: null, failed: false, linesRead: 0, sources: 0 };
  bus.on('sourceStart', () => result.sources++);
  bus.on('problem', (p) => {
    if (p.level === 'error') result.failed = true;
    io.err.write(`audit: ${p.level === 'error' ? '' : 'warning: '}${sanitize(p.message)}\n`);
  });
  pairEvents(bus, (record, events) => {
    result.linesRead++;
    onLine(record, events);
  });
  const stops = watchStops(io);
  const { items, totalBytes } = await collectSources(opts.inputs, io);
  const progress = startProgress(bus, io, { totalBytes, enabled: io.errTty && !opts.json });
  try {
    await runPipeline(items, {
      engine: createEngine({ rules: builtinRules() }),
      forcedFormat: opts.format,
      maxLineBytes: opts.maxLineBytes,
      since: opts.since,
      until: opts.until,
      keepEvent: () => true,
      signal: stops.signal,
    }, bus, io);
  } finally {
    progress.stop();
    stops.dispose();
  }
  const reason = stops.reason();
  if (reason === 'epipe' || reason === 'interrupt') result.stopped = reason;
  return result;
}

/**
 * Calls `onLine` with each record and its events. The rules emit a record's events synchronously right after the
 * record, so a record is complete when the next one (or the end of its source) arrives.
 */
function pairEvents(bus: Bus, onLine: LineHandler): void {
  let current: LogRecord | null = null;
  const events: SecurityEvent[] = [];
  const flush = (): void => {
    if (current === null) return;
    const record = current;
    current = null;
    onLine(record, events);
    events.length = 0;
  };
  bus.on('record', (record, outcome) => {
    flush();
    if (outcome !== 'skipped') current = record;
  });
  bus.on('event', (e) => {
    if (current !== null) events.push(e);
  });
  bus.on('sourceEnd', flush);
  bus.on('end', flush);
}

/** 2 when an input could not be read, 1 when --fail-on is met, else 0; 130 after Ctrl-C. */
export function exitCode(read: ReadResult, worst: Risk, failOn: Risk | null): number {
  if (read.stopped === 'interrupt') return EXIT.interrupted;
  if (read.failed) return EXIT.input;
  return failOn !== null && riskRank(worst) >= riskRank(failOn) ? EXIT.found : EXIT.ok;
}
