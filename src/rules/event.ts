// Builds a SecurityEvent from a record and the rule that matched it: values from the pattern's named groups, else
// from the record's fields. Every string is copied (or interned) so that an event never keeps its line alive.
import type { LogRecord, SecurityEvent, Severity } from '../types.js';
import { defaultSeverity, severityRank } from '../types.js';
import type { CompiledRule } from './compile.js';
import { valuesFromMessage } from './message-values.js';

/** The named groups of a match (RegExpExecArray.groups), or undefined for rules without a pattern. */
export type Groups = Readonly<Record<string, string | undefined>> | undefined;

export type EventBuilder = (record: LogRecord, rule: CompiledRule, groups: Groups) => SecurityEvent;

// Host and program names repeat on every line: intern them (bounded) instead of copying each time.
const INTERN_MAX = 4096;
const MAX_PORT = 65535;
const MAX_TIME = 8.64e15; // the Date range
const PORT_DIGITS = 5;
const DOTTED_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/; // 203.0.113.9:51234
const BRACKETED = /^\[([0-9A-Fa-f:.%\w]{2,64})\](?::(\d{1,5}))?$/; // [2001:db8::1]:443
const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i; // vsftpd and dual-stack sockets
// Values logs write when there is no address or user.
const EMPTY: ReadonlySet<string> = new Set(['', '-', '?', '(null)', '(unknown)', 'unknown', 'UNKNOWN']);
/** The first characters of the EMPTY values: a value that starts otherwise (`root`, `203.0.113.9`) needs no hash. */
const EMPTY_FIRST: ReadonlySet<number> = new Set([...EMPTY].filter((e) => e !== '').map((e) => e.charCodeAt(0)));

/** A copy that shares nothing with `s` (a slice of a line would keep the whole line alive). */
export function copy(s: string): string {
  return s.length === 0 ? '' : (' ' + s).slice(1);
}

/** A builder with its own intern table; one per engine. */
export function createEventBuilder(): EventBuilder {
  const interned = new Map<string, string>();
  const intern = (s: string | null): string | null => {
    if (s === null) return null;
    const hit = interned.get(s);
    if (hit !== undefined) return hit;
    const c = copy(s);
    if (interned.size < INTERN_MAX) interned.set(c, c);
    return c;
  };
  const isoTime = createIsoFormatter();
  return (record, rule, groups) => {
    const fields = record.fields;
    let ip = value(groups?.ip) ?? field(fields, rule.take.ip);
    let user = value(groups?.user) ?? field(fields, rule.take.user);
    let phone = value(groups?.phone) ?? field(fields, rule.take.phone);
    if (rule.fromMessage && (ip === null || user === null || phone === null)) {
      const found = valuesFromMessage(record.message);
      ip ??= found.ip;
      user ??= value(found.user ?? undefined);
      phone ??= found.phone;
    }
    const addrIp = splitAddress(ip);
    const port = toPort(value(groups?.port) ?? field(fields, rule.take.port)) ?? splitPort;
    let type = rule.type;
    let severity: Severity = rule.severity;
    // A successful login as root is one event, auth.root_login, whichever rule saw it.
    if (type === 'auth.success' && user === 'root') {
      type = 'auth.root_login';
      const d = defaultSeverity(type);
      if (severityRank(d) > severityRank(severity)) severity = d;
    }
    return {
      type,
      severity,
      outcome: rule.outcome,
      time: isoTime(record.time),
      source: { ip: addrIp === null ? null : copy(addrIp), port },
      user: user === null ? null : copy(user),
      host: intern(record.host),
      program: intern(record.program),
      pid: record.pid,
      phone: phone === null ? null : copy(phone),
      rule: rule.id,
      message: copy(record.message),
      file: record.file,
      line: record.line,
    };
  };
}

const LONGEST_EMPTY = 9; // '(unknown)'

/** A captured or field value, or null when the log says there is none. */
function value(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  if (t.length === 0) return null;
  return t.length <= LONGEST_EMPTY && EMPTY_FIRST.has(t.charCodeAt(0)) && EMPTY.has(t) ? null : t;
}

function field(fields: LogRecord['fields'], name: string): string | null {
  const v = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
  return typeof v === 'string' ? value(v) : null;
}

function toPort(v: string | null): number | null {
  if (v === null || v.length === 0 || v.length > PORT_DIGITS) return null;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n <= MAX_PORT ? n : null;
}

// The port splitAddress found, read right after it (no object per event).
let splitPort: number | null = null;

/** `203.0.113.9:51234`, `[2001:db8::1]:443` and `::ffff:203.0.113.9` as the address; the port in splitPort. */
function splitAddress(v: string | null): string | null {
  splitPort = null;
  if (v === null) return null;
  const c = v.charCodeAt(0);
  if (c === 0x5b /* [ */) {
    const m = BRACKETED.exec(v);
    if (m !== null) {
      splitPort = toPort(m[2] ?? null);
      return unmap(m[1]!);
    }
  } else if (c >= 0x30 && c <= 0x39 && v.includes(':')) {
    const m = DOTTED_PORT.exec(v);
    if (m !== null) {
      splitPort = toPort(m[2]!);
      return m[1]!;
    }
  }
  return unmap(v);
}

function unmap(ip: string): string {
  if (ip.length > 7 && ip.charCodeAt(0) === 0x3a /* : */) {
    const m = MAPPED_V4.exec(ip);
    if (m !== null) return m[1]!;
  }
  return ip;
}

const DAY = 86_400_000;
const SECOND = 1000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// `.000Z` to `.999Z`: the end of every time string, made once.
const MILLIS: readonly string[] = Array.from({ length: SECOND }, (_, ms) => `.${pad(ms, 3)}Z`);

/**
 * ms since the epoch -> the same text as Date.prototype.toISOString, without a Date per event: the text up to the
 * second (`2026-11-23T03:14:29`) is kept while the second lasts, the rest comes from a table. null for null or an
 * out-of-range time.
 */
export function createIsoFormatter(): (t: number | null) => string | null {
  let day = NaN;
  let dayPrefix = '';
  let second = NaN;
  let prefix = '';
  // Lines come in bursts of the same time: the last answer is kept.
  let lastTime = NaN;
  let last: string | null = null;
  return (time) => {
    if (time === lastTime) return last;
    last = format(time);
    lastTime = time ?? NaN;
    return last;
  };

  function format(time: number | null): string | null {
    if (time === null || !Number.isFinite(time) || Math.abs(time) > MAX_TIME) return null;
    const t = Math.trunc(time); // as Date does
    const sec = Math.floor(t / SECOND);
    if (sec !== second) {
      second = sec;
      prefix = upToSecond(sec * SECOND);
    }
    return prefix + MILLIS[t - sec * SECOND]!;
  }

  /** `2026-11-23T03:14:29` for a time on a whole second (the day's part is kept while the day lasts). */
  function upToSecond(t: number): string {
    const d = Math.floor(t / DAY);
    if (d !== day) {
      const iso = new Date(d * DAY).toISOString();
      day = d;
      dayPrefix = iso.slice(0, iso.indexOf('T') + 1);
    }
    let r = t - d * DAY;
    const h = Math.floor(r / 3_600_000);
    r -= h * 3_600_000;
    const m = Math.floor(r / 60_000);
    r -= m * 60_000;
    return `${dayPrefix}${pad(h, 2)}:${pad(m, 2)}:${pad(Math.floor(r / SECOND), 2)}`;
  }
}
