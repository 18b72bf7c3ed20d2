// Human output of `audit phone` (header, occurrence timeline, possible matches, summary, verdict) and of
// `audit phones` (one table, riskiest first). Tables are drawn by table.ts; every text from a log is sanitized there
// or here, after the --redact masker.
import type { Occurrence } from '../phone/occurrence.js';
import { SAME_ACTION_MS, type NumberProfile } from '../phone/profile.js';
import { durationWords, type Risk, type Thresholds, type Verdict } from '../phone/verdict.js';
import { clip } from '../text/sanitize.js';
import type { Style } from '../text/style.js';
import type { Severity } from '../types.js';
import { clipStart, formatCount, plural, shortTime } from './format.js';
import { isoTime, type Show } from './phone-json.js';
import { renderSection, type Cell, type Column, type Section } from './table.js';

/** Everything `audit phone` found out about one number. */
export interface PhoneReport {
  target: { e164: string; masked: string };
  region: string;
  /** Kept occurrences, exact and masked, in reading order (at most a cap; `dropped` more were not kept). */
  occurrences: readonly Occurrence[];
  dropped: number;
  /** Lines with only a masked form that fits the number. */
  possible: number;
  /** Exact occurrences only. */
  profile: NumberProfile;
  /** Other numbers used from the same addresses or devices, as they are to be shown (masked with --redact). */
  otherNumbers: readonly string[];
  verdict: Verdict;
  thresholds: Thresholds;
  linesRead: number;
  files: number;
  approximate: boolean;
}

/** One row of `audit phones`. */
export interface PhonesRow {
  /** The number as shown: masked unless --reveal. */
  number: string;
  revealed: boolean;
  profile: NumberProfile;
  shared: number;
  verdict: Verdict;
}

const RIGHT = 'right' as const;
/** Values listed in the summary before "… and N more". */
const LIST_MAX = 6;
const VALUE_MAX = 40;

/** The whole report for people, ending with a newline. `limit` caps the timeline rows (the latest are shown). */
export function renderPhoneReport(r: PhoneReport, style: Style, opts: { limit: number; show: Show }): string {
  const blocks = [`${style.bold('Phone')} ${r.target.e164} (${r.target.masked})\n`];
  const exact = r.occurrences.filter((o) => o.match === 'exact');
  const masked = r.occurrences.filter((o) => o.match === 'masked');
  if (exact.length > 0) blocks.push(timeline(exact, opts.limit, opts.show, r.dropped, style));
  if (masked.length > 0) blocks.push(possibleMatches(masked, opts.limit, style));
  blocks.push(summary(r, opts.show, style));
  blocks.push(verdictBlock(r.verdict, style));
  return blocks.join('\n');
}

/**
 * The latest `limit` exact occurrences. No device column: five columns fit 80 characters, six do not; the devices
 * are listed in the summary, and --json gives each occurrence's device and agent.
 */
function timeline(all: readonly Occurrence[], limit: number, show: Show, dropped: number, style: Style): string {
  const sorted = byTime(all);
  const shown = sorted.slice(Math.max(0, sorted.length - limit));
  const clock = timeFormat(shown);
  const dir = commonDirectory(shown.map((o) => o.file));
  const columns: Column[] = [
    { head: clock.head }, { head: 'what' }, { head: 'address', clip: 'end', min: 15 },
    { head: 'account', clip: 'end', min: 8 }, { head: 'where', clip: 'start', min: 16 },
  ];
  const rows = shown.map((o): Cell[] => [
    { text: clock.format(o.time) }, { text: o.what }, { text: o.ip ?? '' }, { text: show(o.user ?? '') },
    { text: `${o.file.slice(dir.length)}:${o.line}` },
  ]);
  const title = dir === '' ? clock.title : `${clock.title}, files under ${clipStart(dir, 60)}`;
  const section: Section = { title, columns, rows };
  const hidden = sorted.length - shown.length + dropped;
  if (hidden > 0) section.note = `… ${plural(hidden, 'earlier occurrence')} not shown (--limit, or --json for all)`;
  return renderSection(section, style);
}

/** The written form is a mask of the number asked about: nothing in these rows needs --redact. */
function possibleMatches(all: readonly Occurrence[], limit: number, style: Style): string {
  const shown = byTime(all).slice(0, limit);
  const clock = timeFormat(shown);
  const dir = commonDirectory(shown.map((o) => o.file));
  const rows = shown.map((o): Cell[] => [
    { text: clock.format(o.time) }, { text: o.what }, { text: o.text }, { text: o.ip ?? '' },
    { text: `${o.file.slice(dir.length)}:${o.line}` },
  ]);
  const columns: Column[] = [
    { head: clock.head }, { head: 'what' }, { head: 'written', clip: 'end' }, { head: 'address', clip: 'end', min: 15 },
    { head: 'where', clip: 'start', min: 16 },
  ];
  return renderSection({ title: 'Possible matches: masked forms that fit the number', columns, rows }, style);
}

/** The directory all `files` are under, with its trailing slash ('logs/'), or ''. */
function commonDirectory(files: readonly string[]): string {
  if (files.length === 0) return '';
  let prefix = files[0]!.slice(0, files[0]!.lastIndexOf('/') + 1);
  for (const f of files) {
    while (prefix !== '' && !f.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  }
  return prefix;
}

/** Time order; lines without a time last, in reading order. */
function byTime(all: readonly Occurrence[]): Occurrence[] {
  return [...all].sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity) || 0);
}

/** One date for all rows goes to the title, so that the time column stays narrow. */
function timeFormat(shown: readonly Occurrence[]): { title: string; head: string; format: (t: number | null) => string } {
  const days = new Set(shown.filter((o) => o.time !== null).map((o) => iso(o.time!).slice(0, 10)));
  if (days.size === 1) {
    const day = [...days][0]!;
    return { title: `Timeline, ${day} (UTC)`, head: 'time', format: (t) => (t === null ? '' : iso(t).slice(11, 19)) };
  }
  return { title: 'Timeline (UTC)', head: 'time', format: (t) => (t === null ? '' : shortTime(iso(t))) };
}

function summary(r: PhoneReport, show: Show, style: Style): string {
  const p = r.profile;
  const rows: [string, string][] = [];
  if (p.first !== null) rows.push(['first seen', `${shortTime(iso(p.first))} UTC`]);
  if (p.last !== null) rows.push(['last seen', `${shortTime(iso(p.last))} UTC`]);
  const possible = r.possible === 0 ? '' : ` (and ${formatCount(r.possible)} possible match${r.possible === 1 ? '' : 'es'})`;
  const read = `${plural(r.linesRead, 'line')} read from ${plural(r.files, 'source')}`;
  rows.push(['occurrences', `${plural(p.occurrences, 'line')}${possible}; ${read}`]);
  rows.push(['accounts', list(p.accounts.values, show)]);
  rows.push(['sign-ups', formatCount(p.counts.signup)]);
  rows.push(['SMS codes', formatCount(p.counts.sms)]);
  rows.push(['logins', `${formatCount(p.counts.login)} (${formatCount(p.counts.failure)} failed)`]);
  if (p.counts.reset > 0) rows.push(['password resets', formatCount(p.counts.reset)]);
  rows.push(['addresses', list(p.addresses.values)]);
  rows.push(['devices', list(p.devices.size > 0 ? p.devices.values : p.agents.values, show)]);
  rows.push(['other numbers', `${list(r.otherNumbers, show)}${r.otherNumbers.length > 0 ? ' (same addresses or devices)' : ''}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  let text = `${style.bold('Summary')}\n` + rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}\n`).join('');
  if (r.approximate) text += style.warn('  counts are lower bounds: a memory limit was reached') + '\n';
  if (p.merged > 0) {
    const within = `within ${SAME_ACTION_MS / 1000} s, same address`;
    text += `  ${plural(p.merged, 'line')} repeated an action another log had recorded (${within}): counted once\n`;
  }
  return text;
}

function verdictBlock(v: Verdict, style: Style): string {
  const risk = v.risk === 'none' ? 'no risk found' : `${v.risk} risk`;
  let text = `${style.bold('Verdict:')} ${style.severity(riskSeverity(v.risk), risk)}\n`;
  if (v.reasons.length === 0) return text + '  no sign of abuse above the thresholds\n';
  for (const reason of v.reasons) {
    text += `  ${style.severity(riskSeverity(reason.level), reason.level.padEnd(6))} ${clip(reason.text, 300)}\n`;
  }
  return text;
}

/** "4: u70412, u70413, …" with at most LIST_MAX values; "0" when empty. */
function list(values: Iterable<string>, show: Show = (v) => v): string {
  const all = [...values];
  if (all.length === 0) return '0';
  const shown = all.slice(0, LIST_MAX).map((v) => clip(show(v), VALUE_MAX)).join(', ');
  const more = all.length > LIST_MAX ? `, … and ${formatCount(all.length - LIST_MAX)} more` : '';
  return `${formatCount(all.length)}: ${shown}${more}`;
}

export interface PhonesTableOptions {
  top: number;
  linesRead: number;
  approximate: boolean;
  revealed: boolean;
  thresholds: Thresholds;
}

/** The `audit phones` table and its footer. */
export function renderPhonesTable(rows: readonly PhonesRow[], style: Style, opts: PhonesTableOptions): string {
  const shown = rows.slice(0, opts.top);
  const columns: Column[] = [
    { head: 'number' }, { head: 'risk' }, { head: 'accounts', align: RIGHT }, { head: 'sign-ups', align: RIGHT },
    { head: 'SMS', align: RIGHT }, { head: 'addresses', align: RIGHT }, { head: 'lines', align: RIGHT },
  ];
  const cells = shown.map((r): Cell[] => [
    { text: r.number }, { text: r.verdict.risk, severity: riskSeverity(r.verdict.risk) },
    num(r.profile.accounts.size), num(r.profile.counts.signup), num(r.profile.counts.sms), num(r.profile.addresses.size),
    num(r.profile.occurrences),
  ]);
  const section: Section = { title: 'Phone numbers by risk', columns, rows: cells };
  const hidden = rows.length - shown.length;
  if (hidden > 0) section.note = `… and ${plural(hidden, 'more number')} (--top shows more)`;
  const read = `${plural(rows.length, 'number')} in ${plural(opts.linesRead, 'line')} read`;
  const lines = [`${read}; limits: ${thresholdWords(opts.thresholds)}`];
  if (!opts.revealed && rows.length > 0) lines.push('numbers are masked (--reveal shows them; `audit phone NUMBER` tells why)');
  if (opts.approximate) lines.push(style.warn('counts are lower bounds: a memory limit was reached'));
  const table = rows.length > 0 ? renderSection(section, style) + '\n' : 'No phone numbers found.\n';
  return table + lines.join('\n') + '\n';
}

function thresholdWords(t: Thresholds): string {
  return `${t.maxAccounts} accounts per number; ${t.maxSignups} sign-ups and ${t.maxSms} SMS codes in ${durationWords(t.window)}`;
}

function num(n: number): Cell {
  return { text: formatCount(n) };
}

/** Colours: a risk is shown like the severity of the same name; none is grey. */
export function riskSeverity(r: Risk): Severity {
  return r === 'none' ? 'info' : r;
}

function iso(t: number): string {
  return isoTime(t) ?? '';
}
