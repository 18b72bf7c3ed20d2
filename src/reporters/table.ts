// The end-of-scan summary for people: each section built as rows of data, then drawn with cli-table3 within 80
// columns, followed by a short footer (time span, line accounting, event share).
import Table from 'cli-table3';
import { clip, sanitize } from '../text/sanitize.js';
import type { Style } from '../text/style.js';
import { severityRank, type Alert, type Severity, type SourceSummary, type Summary, type TopEntry } from '../types.js';
import { clipStart, formatCount, formatDuration, formatPercent, plural, shortTime } from './format.js';

/** Tables fit a classic terminal; wider ones wrap and become unreadable. */
export const MAX_WIDTH = 80;
/** Clippable columns are not squeezed below this (unless they say otherwise), even if the table then runs wider. */
const MIN_FLEX = 12;
/** No cell is ever wider than this (a 1 MB user name must not make a 1 MB table). */
const MAX_CELL = 60;

export interface Column {
  head: string;
  align?: 'left' | 'right';
  /** May be clipped to fit: 'end' cuts the end; 'start' cuts the start (paths: the file name matters most). */
  clip?: 'end' | 'start';
  /** The narrowest a clippable column gets (default MIN_FLEX). */
  min?: number;
}
export interface Cell {
  text: string;
  severity?: Severity; // coloured by severity when colour is on
}
export interface Section {
  title: string;
  columns: Column[];
  rows: Cell[][];
  note?: string; // a line under the table
}

export interface RenderOptions {
  top: number;
  verbose?: boolean;
}

/** The whole summary as text (ending with a newline); the caller writes it. */
export function renderSummary(summary: Summary, style: Style, opts: RenderOptions): string {
  const sections = [
    eventsByType(summary),
    topTable('Top source addresses', 'address', summary.topSources, opts.top),
    topTable('Top users', 'user', summary.topUsers, opts.top),
    alertsTable(summary.alerts, opts),
    sourcesTable(summary.sources, opts.verbose === true),
    problemsTable(summary),
  ];
  const blocks = sections.filter((s) => s.rows.length > 0).map((s) => renderSection(s, style));
  blocks.push(footer(summary, style));
  return blocks.join('\n');
}

const num = (n: number): Cell => ({ text: formatCount(n) });
const RIGHT = 'right' as const;

function eventsByType(summary: Summary): Section {
  const rows = [...summary.byType]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.count - a.count || compare(a.type, b.type))
    .map((r) => [{ text: r.type }, { text: r.severity, severity: r.severity }, num(r.count)]);
  return { title: 'Events by type', columns: [{ head: 'type' }, { head: 'severity' }, { head: 'count', align: RIGHT }], rows };
}

function topTable(title: string, keyHead: string, entries: readonly TopEntry[], top: number): Section {
  const rows = entries.slice(0, top).map((e) => [{ text: e.key }, num(e.count), num(e.failures), num(e.successes)]);
  const columns: Column[] = [
    { head: keyHead, clip: 'end' }, { head: 'events', align: RIGHT }, { head: 'failures', align: RIGHT }, { head: 'successes', align: RIGHT },
  ];
  return { title, columns, rows };
}

/** Most severe first, then the largest; all of them with --verbose, else as many as --top. */
function alertsTable(alerts: readonly Alert[], opts: RenderOptions): Section {
  const sorted = [...alerts].sort((a, b) =>
    severityRank(b.severity) - severityRank(a.severity) || b.count - a.count || compare(a.key, b.key));
  const shown = opts.verbose === true ? sorted : sorted.slice(0, opts.top);
  // "Is it still going on?" comes first at 3 a.m.: the last time is always shown, the first only with --verbose.
  const columns: Column[] = [{ head: 'severity' }, { head: 'alert', clip: 'end' }, { head: 'key', clip: 'end' }, { head: 'events', align: RIGHT }];
  if (opts.verbose === true) columns.push({ head: 'first seen (UTC)' });
  columns.push({ head: 'last seen (UTC)' });
  const rows = shown.map((a) => {
    const row: Cell[] = [{ text: a.severity, severity: a.severity }, { text: a.title }, { text: a.key }, num(a.count)];
    if (opts.verbose === true) row.push({ text: a.first === null ? '' : shortTime(a.first) });
    row.push({ text: a.last === null ? '' : shortTime(a.last) });
    return row;
  });
  const hidden = sorted.length - shown.length;
  const section: Section = { title: 'Alerts', columns, rows };
  if (hidden > 0) section.note = `… and ${plural(hidden, 'more alert')} (--verbose shows all)`;
  return section;
}

/**
 * Columns that are zero for every source say nothing: left out unless --verbose. With all of them shown the table
 * runs past 80 columns (nine headers of numbers do not fit beside a readable path); that is the price of --verbose.
 */
const OPTIONAL_SOURCE_COLUMNS = ['unparsed', 'skipped', 'truncated', 'sanitized'] as const;

function sourcesTable(sources: readonly SourceSummary[], verbose: boolean): Section {
  const counts: { head: string; get: (s: SourceSummary) => number }[] = [
    { head: 'lines', get: (s) => s.lines },
    { head: 'parsed', get: (s) => s.parsed },
    { head: 'unparsed', get: (s) => s.unparsed },
    { head: 'skipped', get: (s) => s.skipped },
    { head: 'truncated', get: (s) => s.truncated },
    { head: 'events', get: (s) => s.events },
    { head: 'sanitized', get: (s) => s.sanitized ?? 0 },
  ];
  const shown = counts.filter((c) =>
    verbose || !(OPTIONAL_SOURCE_COLUMNS as readonly string[]).includes(c.head) || sources.some((s) => c.get(s) > 0));
  const columns: Column[] = [{ head: 'path', clip: 'start', min: 20 }, { head: 'format' }, ...shown.map((c) => ({ head: c.head, align: RIGHT }))];
  const listed = verbose ? sources : sourcesToList(sources);
  const rows = listed.map((s) => [{ text: s.name }, { text: s.format ?? 'unknown' }, ...shown.map((c) => num(c.get(s)))]);
  const section: Section = { title: 'Sources', columns, rows };
  const hidden = sources.length - listed.length;
  if (hidden > 0) {
    let lines = 0;
    let events = 0;
    for (const s of sources) {
      lines += s.lines;
      events += s.events;
    }
    for (const s of listed) {
      lines -= s.lines;
      events -= s.events;
    }
    section.note = `… and ${plural(hidden, 'more source')} (${plural(lines, 'line')}, ${plural(events, 'event')}; --verbose shows all)`;
  }
  return section;
}

/**
 * Sources listed without --verbose. A tree of rotated logs can hold thousands of files, whose rows would push the
 * alerts off the screen: past MAX_SOURCE_ROWS, those with the most events are listed (then those with lines not
 * understood, then the first read), in the order they were read; the footer still counts every line.
 */
export const MAX_SOURCE_ROWS = 50;

function sourcesToList(sources: readonly SourceSummary[]): readonly SourceSummary[] {
  if (sources.length <= MAX_SOURCE_ROWS) return sources;
  const notUnderstood = (s: SourceSummary): number => s.unparsed + s.truncated;
  const order = sources.map((_, i) => i).sort((a, b) =>
    sources[b]!.events - sources[a]!.events || notUnderstood(sources[b]!) - notUnderstood(sources[a]!) || a - b);
  return order.slice(0, MAX_SOURCE_ROWS).sort((a, b) => a - b).map((i) => sources[i]!);
}

function problemsTable(summary: Summary): Section {
  const rows = summary.problems.map((p) => [{ text: p.source }, { text: p.message }]);
  return { title: 'Problems', columns: [{ head: 'source', clip: 'start', min: 20 }, { head: 'problem', clip: 'end', min: 24 }], rows };
}

/**
 * Rows drawn by one cli-table3 table. Its layout compares every cell with every cell of the rows above it
 * (layout-manager.js fillInTable), so its time grows with the square of the rows: a Sources table of 6,000 files took
 * ~3 s to draw, of a 6.9 s scan. Longer tables are drawn in pieces of this many rows with the widths the whole
 * table would have, and joined: the same text, in time that grows with the rows (6,000 rows: 256 a piece 5.9 s in
 * all, 64 a piece 5.4 s, 32 a piece 5.2 s; each piece is drawn twice, to measure, then to draw).
 */
export const ROWS_PER_PIECE = 64;

export function renderSection(section: Section, style: Style, rowsPerPiece = ROWS_PER_PIECE): string {
  const { columns, rows } = section;
  const widths = fitWidths(columns, rows);
  const cells = rows.map((row) => row.map((cell, i) => {
    const col = columns[i]!;
    const text = col.clip === 'start' ? clipStart(cell.text, widths[i]!) : clip(cell.text, widths[i]!);
    return cell.severity === undefined ? text : style.severity(cell.severity, text);
  }));
  const head = columns.map((c) => style.bold(c.head));
  const colAligns = columns.map((c) => c.align ?? 'left');
  let drawn: string;
  if (cells.length <= rowsPerPiece) drawn = drawTable(head, colAligns, cells, null).toString();
  else {
    // Each piece laid out alone gives its own widths (cli-table3 writes them into its options): the table's are the
    // widest of each column.
    const pieces: string[][][] = [];
    for (let i = 0; i < cells.length; i += rowsPerPiece) pieces.push(cells.slice(i, i + rowsPerPiece));
    const colWidths = new Array<number>(columns.length).fill(0);
    for (const piece of pieces) {
      const t = drawTable(head, colAligns, piece, null);
      t.toString();
      t.options.colWidths.forEach((w, i) => { if (w !== null && w > colWidths[i]!) colWidths[i] = w; });
    }
    // Then drawn with those widths: the head and the top border on the first piece, the bottom one on the last.
    const lines = pieces.flatMap((piece, k) => {
      const text = drawTable(k === 0 ? head : [], colAligns, piece, colWidths).toString().split('\n');
      return text.slice(k === 0 ? 0 : 1, k === pieces.length - 1 ? text.length : -1);
    });
    drawn = lines.join('\n');
  }
  let text = `${style.bold(section.title)}\n${drawn}\n`;
  if (section.note !== undefined) text += `${section.note}\n`;
  return text;
}

function drawTable(head: string[], colAligns: ('left' | 'right')[], rows: readonly string[][], colWidths: number[] | null): Table.Table {
  const table = new Table({
    head,
    colAligns,
    // Colour is ours (Style), so that goldens never hold escape codes; compact: no rule between rows.
    style: { head: [], border: [], compact: true },
    ...(colWidths === null ? {} : { colWidths }),
  });
  for (const row of rows) table.push(row);
  return table;
}

/** Widths of the cell text per column, the clippable ones narrowed (widest first) until the table fits. */
function fitWidths(columns: readonly Column[], rows: readonly Cell[][]): number[] {
  const widths = columns.map((col, i) => {
    let w = col.head.length;
    for (const row of rows) w = Math.max(w, sanitize(row[i]!.text).length);
    return Math.min(w, Math.max(MAX_CELL, col.head.length));
  });
  // cli-table3 draws one space of padding each side and one border character between and around columns.
  let excess = widths.reduce((sum, w) => sum + w, 0) + 3 * columns.length + 1 - MAX_WIDTH;
  while (excess > 0) {
    let widest = -1;
    columns.forEach((col, i) => {
      if (col.clip !== undefined && widths[i]! > (col.min ?? MIN_FLEX) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    widths[widest]!--;
    excess--;
  }
  return widths;
}

function footer(summary: Summary, style: Style): string {
  const t = summary.totals;
  const lines: string[] = [];
  const span = timeSpan(summary.firstTime, summary.lastTime);
  if (span !== null) lines.push(`Time span: ${span}`);
  lines.push(`${plural(t.lines, 'line')} read: ${formatCount(t.parsed)} parsed, ${formatCount(t.unparsed)} unparsed, ` +
    `${formatCount(t.skipped)} skipped, ${formatCount(t.truncated)} truncated`);
  lines.push(t.lines > 0 ? `${plural(t.events, 'event')} (${formatPercent(t.events, t.lines)} of lines)` : plural(t.events, 'event'));
  if (summary.approximate) {
    const bound = summary.maxKeys === undefined ? 'too many distinct keys' : `more than ${formatCount(summary.maxKeys)} distinct keys`;
    lines.push(style.warn(`counts are approximate (${bound})`));
  }
  return lines.join('\n') + '\n';
}

/** "first – last (duration)", or the one time when they are equal; null without event times. */
function timeSpan(first: string | null, last: string | null): string | null {
  if (first === null || last === null) {
    const one = first ?? last;
    return one === null ? null : `${shortTime(one)} UTC`;
  }
  if (first === last) return `${shortTime(first)} UTC`;
  const ms = Date.parse(last) - Date.parse(first);
  const duration = Number.isFinite(ms) ? ` (${formatDuration(ms)})` : '';
  return `${shortTime(first)} – ${shortTime(last)} UTC${duration}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
