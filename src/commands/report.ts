// `audit report --db FILE`: the summary tables of `audit scan`, computed from the event store instead of the logs.
import { Command } from 'commander';
import { Bus } from '../bus.js';
import type { ExitHolder } from '../cli.js';
import { Counter } from '../counter/counter.js';
import { EXIT, UsageError } from '../errors.js';
import { attachNdjson } from '../reporters/ndjson.js';
import { renderSummary } from '../reporters/table.js';
import { openStore } from '../store/db.js';
import { countedEvents, fileCounts, storedAlerts, type TimeWindow } from '../store/read.js';
import { createStyle, wantColor } from '../text/style.js';
import type { Io, SourceSummary, Summary } from '../types.js';
import { parseCount, parseTimeBound } from './options.js';

interface RawReportOptions { db?: string; since?: string; until?: string; top: string; json?: boolean; color?: boolean; verbose?: boolean }

export interface ReportOptions {
  db: string;
  window: TimeWindow;
  top: number;
  json: boolean;
  color: boolean;
  verbose: boolean;
}

export function reportCommand(io: Io, exit: ExitHolder): Command {
  return new Command('report')
    .description('the summary tables of `audit scan`, from an event store made by `audit scan --db`')
    .requiredOption('--db <file>', 'the event store')
    .option('--since <time>', 'only events at or after this time: ISO date/time or a duration ago (24h, 7d)')
    .option('--until <time>', 'only events at or before this time')
    .option('--top <n>', 'rows in the top addresses and users tables', '10')
    .option('--json', 'write the summary as one NDJSON line')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .option('-v, --verbose', 'every alert and every column')
    .action(async (raw: RawReportOptions) => {
      exit.code = await runReport(parseReportOptions(raw, io), io);
    });
}

export function parseReportOptions(raw: RawReportOptions, io: Io): ReportOptions {
  const since = raw.since === undefined ? null : parseTimeBound('--since', raw.since, io.now);
  const until = raw.until === undefined ? null : parseTimeBound('--until', raw.until, io.now);
  if (since !== null && until !== null && since > until) throw new UsageError('--since is later than --until');
  const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
  return {
    db: raw.db!, window: { since: iso(since), until: iso(until) }, top: parseCount('--top', raw.top, 1, 1000),
    json: raw.json === true, color: wantColor({ flag: raw.color, tty: io.tty, env: io.env }), verbose: raw.verbose === true,
  };
}

export async function runReport(opts: ReportOptions, io: Io): Promise<number> {
  const store = openStore(opts.db, { mode: 'read', cwd: io.cwd });
  let summary: Summary;
  try {
    summary = summarize(store.db, opts);
  } finally {
    store.close();
  }
  if (opts.json) {
    attachNdjson(new Bus(), io).finish(summary);
  } else {
    io.out.write(renderSummary(summary, await createStyle(opts.color), { top: opts.top, verbose: opts.verbose }));
  }
  return EXIT.ok;
}

/**
 * The same fold as a scan (the Counter), fed with stored events. The sources table gives the lines read to date per
 * file and how they were accounted for (the store keeps no per-line times): every file read, or with --since/--until
 * the files with events in the window.
 */
function summarize(db: Parameters<typeof countedEvents>[0], opts: ReportOptions): Summary {
  const bus = new Bus();
  const counter = new Counter(bus, { top: opts.top });
  for (const e of countedEvents(db, opts.window)) bus.emit('event', e);
  for (const a of storedAlerts(db, opts.window)) bus.emit('alert', a);
  const summary = counter.summary();
  const files = new Map(fileCounts(db).map((f) => [f.file, f]));
  if (opts.window.since === null && opts.window.until === null) {
    const shown = new Set(summary.sources.map((s) => s.name));
    for (const f of files.values()) if (!shown.has(f.file)) summary.sources.push({ ...zeroSource(), name: f.file });
  }
  for (const s of summary.sources) {
    const f = files.get(s.name);
    if (f === undefined) continue;
    Object.assign(s, { lines: f.lines, parsed: f.parsed, unparsed: f.unparsed, skipped: f.skipped, truncated: f.truncated, format: f.format });
  }
  const t = summary.totals;
  t.lines = t.parsed = t.unparsed = t.skipped = t.truncated = 0;
  for (const s of summary.sources) {
    t.lines += s.lines;
    t.parsed += s.parsed;
    t.unparsed += s.unparsed;
    t.skipped += s.skipped;
    t.truncated += s.truncated;
  }
  return summary;
}

function zeroSource(): SourceSummary {
  return { name: '', format: null, bytes: 0, lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0, sanitized: 0 };
}
