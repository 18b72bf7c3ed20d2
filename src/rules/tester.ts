// `audit rules test`: runs a rule set over sample logs the way fail2ban-regex does and gathers, per rule, how many
// lines it matched with a few samples and their captured values, and the first lines no rule matched. Data only;
// commands/rules.ts renders it as text or JSON.
import { Bus } from '../bus.js';
import { collectSources, runPipeline } from '../pipeline.js';
import type { Io, LineOutcome, SecurityEvent } from '../types.js';
import { copyString } from '../formats/intern.js';
import type { Engine } from './engine.js';

export interface RuleRow {
  id: string;
  type: string;
  severity: string;
  source: string;
}

export interface Sample {
  file: string;
  line: number;
  ip: string | null;
  port: number | null;
  user: string | null;
  phone: string | null;
  message: string;
}

export interface RuleResult extends RuleRow {
  matches: number;
  samples: Sample[];
}

export interface TestReport {
  lines: Record<LineOutcome, number> & { total: number };
  formats: { source: string; format: string | null }[];
  rules: RuleResult[];
  unmatched: { count: number; first: { file: string; line: number; text: string }[] };
  problems: string[];
  ms: number;
}

export interface TestOptions {
  samples: number;
  unmatched: number;
  /** A monotonic clock in ms (performance.now), injected: the time taken is reported, not asserted. */
  clock: () => number;
}

export async function testRules(rows: readonly RuleRow[], engine: Engine, logs: readonly string[], opts: TestOptions, io: Io): Promise<TestReport> {
  const started = opts.clock();
  const results = new Map<string, RuleResult>(rows.map((r) => [r.id, { ...r, matches: 0, samples: [] }]));
  const report: TestReport = {
    lines: { total: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0 },
    formats: [],
    rules: [...results.values()],
    unmatched: { count: 0, first: [] },
    problems: [],
    ms: 0,
  };
  const bus = new Bus();
  bus.on('record', (_r, outcome) => {
    report.lines.total++;
    report.lines[outcome]++;
  });
  bus.on('sourceEnd', (s) => report.formats.push({ source: s.name, format: s.format }));
  bus.on('problem', (p) => report.problems.push(p.message));
  const onEvent = (e: SecurityEvent): void => {
    const r = results.get(e.rule);
    if (r === undefined) return;
    r.matches++;
    if (r.samples.length < opts.samples) {
      r.samples.push({ file: e.file, line: e.line, ip: e.source.ip, port: e.source.port, user: e.user, phone: e.phone, message: e.message });
    }
  };
  // Wraps the engine: a record that yields no event is an unmatched line.
  const counting: Engine = (record, emit) => {
    let n = 0;
    engine(record, (e) => {
      n++;
      emit(e);
    });
    if (n > 0) return;
    report.unmatched.count++;
    if (report.unmatched.first.length < opts.unmatched) {
      report.unmatched.first.push({ file: record.file, line: record.line, text: copyString(record.raw) });
    }
  };
  const { items } = await collectSources(logs, io);
  await runPipeline(items, {
    engine: counting, forcedFormat: null, maxLineBytes: 1024 * 1024, since: null, until: null,
    keepEvent: (e) => {
      onEvent(e);
      return true;
    },
  }, bus, io);
  report.ms = Math.max(0, Math.round(opts.clock() - started));
  return report;
}
