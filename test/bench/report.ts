// Turns benchmark samples into rows (median wall time, highest peak RSS, ratio to grep within each run) and renders
// them as a terminal table, as markdown for BENCHMARKS.md, and as a verdict on the targets of issue 6.
import type { Corpus } from './generate.js';
import type { Measurement } from './measure.js';

export interface Sample {
  corpus: Corpus;
  tool: string;
  command: string;
  run: number;
  m: Measurement;
}

export interface Row {
  corpus: Corpus;
  tool: string;
  command: string;
  runs: number;
  seconds: number; // median
  peakRss: number | null; // highest of the runs, bytes
  /** Median over runs of this command's wall time / grep's wall time in the same run; null without grep. */
  ratio: number | null;
}

export interface Target {
  what: string;
  measured: string;
  /** null: the corpus is too small for the target to mean anything (process start-up dominates). */
  pass: boolean | null;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The row a sample belongs to: its corpus and command. */
function rowKey(s: Sample): string {
  return `${s.corpus.path}\0${s.tool}`;
}

export function aggregate(samples: readonly Sample[]): Row[] {
  const rows: Row[] = [];
  const keys = [...new Set(samples.map(rowKey))];
  for (const key of keys) {
    const mine = samples.filter((s) => rowKey(s) === key);
    const first = mine[0]!;
    const ratios = mine.flatMap((s) => {
      const grep = samples.find((g) => g.corpus.path === s.corpus.path && g.tool === 'grep' && g.run === s.run);
      return grep === undefined || grep.m.seconds === 0 ? [] : [s.m.seconds / grep.m.seconds];
    });
    const rss = mine.map((s) => s.m.peakRss).filter((r): r is number => r !== null);
    rows.push({
      corpus: first.corpus,
      tool: first.tool,
      command: first.command,
      runs: mine.length,
      seconds: median(mine.map((s) => s.m.seconds)),
      peakRss: rss.length === 0 ? null : Math.max(...rss),
      ratio: ratios.length === 0 ? null : median(ratios),
    });
  }
  return rows;
}

const MB = 1e6;

function rate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return n.toFixed(0);
}

function cells(r: Row): string[] {
  return [
    r.corpus.label,
    r.corpus.lines.toLocaleString('en-US'),
    (r.corpus.bytes / MB).toFixed(1),
    r.command,
    r.seconds.toFixed(3),
    rate(r.corpus.lines / r.seconds),
    (r.corpus.bytes / MB / r.seconds).toFixed(1),
    r.peakRss === null ? '?' : (r.peakRss / MB).toFixed(1),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
  ];
}

/** A `|` in a cell would end it in markdown. */
const PIPE = /\|/g;
const HEADER = ['corpus', 'lines', 'MB', 'command', 'wall s', 'lines/s', 'MB/s', 'peak RSS MB', 'vs grep'];
const RIGHT = [false, true, true, false, true, true, true, true, true];

export function renderTable(rows: readonly Row[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table
    .map((row) => row.map((c, i) => (RIGHT[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n') + '\n';
}

export function renderMarkdown(rows: readonly Row[]): string {
  const line = (cs: readonly string[]): string => `| ${cs.join(' | ')} |`;
  const align = RIGHT.map((r) => (r ? '---:' : '---'));
  return [line(HEADER), line(align), ...rows.map((r) => line(cells(r).map((c) => c.replace(PIPE, '\\|'))))].join('\n') + '\n';
}

/** The targets of issue 6 that these rows can speak to, and issue 7's limit on --db when it was run (--outputs). */
export function checkTargets(rows: readonly Row[]): Target[] {
  const out: Target[] = [];
  for (const r of rows.filter((x) => x.tool === 'audit-db')) {
    const plain = rows.find((x) => x.corpus.path === r.corpus.path && x.tool === 'audit');
    if (plain === undefined || plain.seconds === 0) continue;
    const k = r.seconds / plain.seconds;
    // start-up (the store's creation, the native module) is most of a small scan: judged from 1,000,000 lines
    out.push({
      what: `audit scan --db at most 2x audit scan --quiet (issue 7; ${r.corpus.label}, ${r.corpus.lines.toLocaleString('en-US')} lines)`,
      measured: `${k.toFixed(2)}x`, pass: r.corpus.lines < 1e6 ? null : k <= 2,
    });
  }
  for (const r of rows.filter((x) => x.tool === 'audit' || x.tool === 'audit-threads')) {
    const lines = r.corpus.lines.toLocaleString('en-US');
    const threads = r.tool === 'audit-threads';
    // Memory is judged on one thread, the default: worker threads have heaps of their own (shown, not judged).
    const mb = r.peakRss === null || threads ? null : r.peakRss / MB;
    const how = threads ? 'with --threads auto' : 'on one thread';
    if (r.corpus.kind === 'auth' && r.ratio !== null) {
      out.push({ what: `audit wall time at most 10x grep -cE, ${how} (auth.log, ${lines} lines; target set on 2,000,000)`, measured: `${r.ratio.toFixed(2)}x`, pass: r.ratio <= 10 });
    }
    if (r.corpus.kind === 'pair' && r.ratio !== null) {
      out.push({ what: `audit wall time at most 10x grep -cE on two files at once, ${how} (${r.corpus.label}, ${lines} lines)`, measured: `${r.ratio.toFixed(2)}x`, pass: r.ratio <= 10 });
    }
    // The memory targets speak of one file ("whatever the file size"); two files at once are shown, not judged.
    if (mb !== null && r.corpus.kind !== 'distinct' && r.corpus.kind !== 'pair') {
      out.push({ what: `peak RSS under 150 MB (${r.corpus.label}, ${lines} lines)`, measured: `${mb.toFixed(1)} MB`, pass: mb < 150 });
    }
    if (mb !== null && r.corpus.kind === 'distinct') {
      out.push({ what: `peak RSS under 300 MB (${r.corpus.label}, ${lines} lines)`, measured: `${mb.toFixed(1)} MB`, pass: mb < 300 });
    }
    if (r.corpus.kind === 'nginx') {
      // The target is for 1,000,000 lines; other sizes are scaled linearly to it.
      const per = r.seconds * (1e6 / r.corpus.lines);
      const scaled = r.corpus.lines === 1e6 ? '' : ` (scaled from ${lines} lines)`;
      out.push({ what: `nginx access log of 1,000,000 lines in under 2 s, ${how}`, measured: `${per.toFixed(2)} s${scaled}`, pass: r.corpus.lines < 1e6 ? null : per < 2 });
    }
  }
  return out;
}

export function renderTargets(targets: readonly Target[], markdown: boolean): string {
  const verdict = (t: Target): string => {
    if (t.pass === null) return markdown ? 'not judged (needs 1,000,000 lines)' : 'n/a   ';
    if (markdown) return t.pass ? 'met' : '**missed**';
    return t.pass ? 'ok    ' : 'MISSED';
  };
  if (markdown) return targets.map((t) => `- ${verdict(t)}: ${t.what}: ${t.measured}`).join('\n') + '\n';
  return targets.map((t) => `  ${verdict(t)}  ${t.what}: ${t.measured}`).join('\n') + '\n';
}

/** `main 2.44, then 2.27, 0.97`: a measurement's CPU seconds by thread (Measurement.threadCpu). */
export function threadCpuText(cpu: readonly number[]): string {
  const [main, ...others] = cpu;
  return `main ${main!.toFixed(2)}${others.length === 0 ? '' : `, then ${others.map((s) => s.toFixed(2)).join(', ')}`}`;
}

/**
 * Where each command's CPU went, thread by thread, in its run of median wall time (the same run the table's time
 * comes from when the runs are odd): one line per corpus and command that was followed (bench.ts follows audit's).
 * With threads, the main thread (merging, counting, the detectors) against the worker thread and V8's own threads
 * (its optimizing compiler and the collector's helpers) tells which side a scan waited on. Empty without any.
 */
export function renderThreadCpu(samples: readonly Sample[]): string {
  const out: string[] = [];
  const followed = samples.filter((s) => s.m.threadCpu != null);
  for (const key of new Set(followed.map(rowKey))) {
    const mine = followed.filter((s) => rowKey(s) === key);
    const mid = median(mine.map((s) => s.m.seconds));
    const chosen = mine.reduce((a, b) => (Math.abs(b.m.seconds - mid) < Math.abs(a.m.seconds - mid) ? b : a));
    out.push(`  ${chosen.corpus.label}, ${chosen.command} (${chosen.m.seconds.toFixed(3)} s): ${threadCpuText(chosen.m.threadCpu!)}`);
  }
  return out.length === 0 ? '' : `CPU seconds by thread (main thread first; the run of median wall time; read every 50 ms):\n${out.join('\n')}\n`;
}
