// Builds a SecurityEvent from a record and the rule that matched it: values from the pattern's named groups, else
// from the record's fields. Every string is copied (or interned) so that an event never keeps its line alive.
import type { EventType, LogRecord, Outcome, SecurityEvent, Severity } from '../types.js';
import { defaultSeverity, severityRank } from '../types.js';
import { copyString, createValueInterner, flatCopy, RECENT_VALUES } from '../formats/intern.js';
import type { Captures } from './captures.js';
import type { CompiledRule } from './compile.js';
import { valuesFromMessage } from './message-values.js';

/** The named groups of a match (RegExpExecArray.groups), or undefined for rules without a pattern. */
export type Groups = Readonly<Record<string, string | undefined>> | undefined;

export type EventBuilder = (record: LogRecord, rule: CompiledRule, groups: Groups) => SecurityEvent;

/**
 * What an event takes from its rule and its message alone (everything but the time, host, program, pid, file and
 * line): the same for every record the rules see alike, so that a repeated message is not matched again
 * (outcome-memo.ts). Its strings are copies already.
 */
export interface EventTemplate {
  readonly type: EventType;
  readonly severity: Severity;
  readonly outcome: Outcome;
  readonly ip: string | null;
  readonly port: number | null;
  readonly user: string | null;
  readonly phone: string | null;
  readonly rule: string;
  readonly message: string;
}

export function templateOf(e: SecurityEvent): EventTemplate {
  return { type: e.type, severity: e.severity, outcome: e.outcome, ip: e.source.ip, port: e.source.port, user: e.user, phone: e.phone, rule: e.rule, message: e.message };
}

/** `build` and its twin for a remembered template, sharing one intern table and one time formatter. */
export interface EventKit {
  readonly build: EventBuilder;
  /** `build` for a match of a rule's numbered twin (captures.ts): the same event as from the named groups. */
  readonly fromMatch: (record: LogRecord, rule: CompiledRule, m: RegExpExecArray, c: Captures) => SecurityEvent;
  /** The event `build` made from the template's record, for this record (same keys in the same order). */
  readonly replay: (record: LogRecord, t: EventTemplate) => SecurityEvent;
}

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
/**
 * 1 at the code of each EMPTY value's first character (all ASCII): a value that starts otherwise (`root`,
 * `203.0.113.9`, a port) needs no hash. An array read: a Set of numbers would cost a hash look-up per value.
 */
const EMPTY_FIRST = new Uint8Array(128);
for (const e of EMPTY) if (e !== '') EMPTY_FIRST[e.charCodeAt(0)] = 1;

/** A builder with its own intern table; one per engine. */
export function createEventBuilder(): EventBuilder {
  return createEventKit().build;
}

/**
 * `internValues`: addresses and accounts through a bounded interner (below), else each a flat copy of its own (an
 * engine whose events leave the thread: they are cloned there anyway).
 */
export function createEventKit(opts: { internValues: boolean } = { internValues: true }): EventKit {
  const interned = new Map<string, string>();
  const intern = (s: string | null): string | null => {
    if (s === null) return null;
    const hit = interned.get(s);
    if (hit !== undefined) return hit;
    const c = copyString(s);
    if (interned.size < INTERN_MAX) interned.set(c, c);
    return c;
  };
  // Consecutive events mostly share their host and program (the same string, from the parser's own intern table):
  // the last answer for each saves a hash look-up.
  let hostIn: string | null = null;
  let hostOut: string | null = null;
  let programIn: string | null = null;
  let programOut: string | null = null;
  const host = (s: string | null): string | null => (s === hostIn ? hostOut : (hostOut = intern((hostIn = s))));
  const program = (s: string | null): string | null => (s === programIn ? programOut : (programOut = intern((programIn = s))));
  const isoTime = createIsoFormatter();
  // Addresses and accounts are interned, the recent ones: items of the detectors' windows share them (a flood of
  // 10,000 addresses kept 135,000 copies), and each table downstream (counter, detector windows) meets the string it
  // hashed before. The last value of each saves the look-up: the failures of one attack come one after another with
  // the same values, and a repeat is then a pointer compare. Never a slice of a line: nothing more is kept alive.
  const ips = opts.internValues ? createValueInterner(RECENT_VALUES) : flatCopy;
  const users = opts.internValues ? createValueInterner(RECENT_VALUES) : flatCopy;
  let lastIp = '';
  let lastUser = '';
  const ipCopy = (s: string): string => (s === lastIp ? lastIp : (lastIp = ips(s)));
  const userCopy = (s: string): string => (s === lastUser ? lastUser : (lastUser = users(s)));
  const replay = (record: LogRecord, t: EventTemplate): SecurityEvent => {
    // the template's copies are the last ones handed out now: a made event after it may reuse them
    if (t.ip !== null) lastIp = t.ip;
    if (t.user !== null) lastUser = t.user;
    return replayed(record, t);
  };
  const replayed = (record: LogRecord, t: EventTemplate): SecurityEvent => ({
    type: t.type,
    severity: t.severity,
    outcome: t.outcome,
    time: isoTime(record.time),
    timeMs: timeMsOf(record.time),
    source: { ip: t.ip, port: t.port },
    user: t.user,
    host: host(record.host),
    program: program(record.program),
    pid: record.pid,
    phone: t.phone,
    rule: t.rule,
    message: t.message,
    file: record.file,
    line: record.line,
  });
  const build: EventBuilder = (record, rule, groups) =>
    make(record, rule, groups?.ip, groups?.user, groups?.phone, groups?.port);
  const fromMatch = (record: LogRecord, rule: CompiledRule, m: RegExpExecArray, c: Captures): SecurityEvent =>
    make(record, rule, c.ip === 0 ? undefined : m[c.ip], c.user === 0 ? undefined : m[c.user], c.phone === 0 ? undefined : m[c.phone], c.port === 0 ? undefined : m[c.port]);
  /** The event, from the values the pattern captured (undefined: no such group, or it did not take part). */
  function make(record: LogRecord, rule: CompiledRule, ipGroup?: string, userGroup?: string, phoneGroup?: string, portGroup?: string): SecurityEvent {
    const fields = record.fields;
    let ip = value(ipGroup) ?? field(fields, rule.take.ip);
    let user = value(userGroup) ?? field(fields, rule.take.user);
    let phone = value(phoneGroup) ?? field(fields, rule.take.phone);
    if (rule.fromMessage && (ip === null || user === null || phone === null)) {
      const found = valuesFromMessage(record.message);
      ip ??= found.ip;
      user ??= value(found.user ?? undefined);
      phone ??= found.phone;
    }
    const addrIp = splitAddress(ip);
    const port = toPort(value(portGroup) ?? field(fields, rule.take.port)) ?? splitPort;
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
      timeMs: timeMsOf(record.time),
      source: { ip: addrIp === null ? null : ipCopy(addrIp), port },
      user: user === null ? null : userCopy(user),
      host: host(record.host),
      program: program(record.program),
      pid: record.pid,
      phone: phone === null ? null : copyString(phone),
      rule: rule.id,
      message: flatCopy(record.message),
      file: record.file,
      line: record.line,
    };
  }
  return { build, fromMatch, replay };
}

const LONGEST_EMPTY = 9; // '(unknown)'

/** A captured or field value, or null when the log says there is none. */
function value(v: string | undefined): string | null {
  if (v === undefined || v.length === 0) return null;
  // nothing to trim when both ends are printable ASCII other than a space (trim() is a call; most values pass this)
  const a = v.charCodeAt(0) - 0x21;
  const z = v.charCodeAt(v.length - 1) - 0x21;
  const t = a >= 0 && a < 0x5e && z >= 0 && z < 0x5e ? v : v.trim();
  if (t.length === 0) return null;
  if (t.length > LONGEST_EMPTY) return t;
  const c = t.charCodeAt(0);
  return c < EMPTY_FIRST.length && EMPTY_FIRST[c] === 1 && EMPTY.has(t) ? null : t;
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

/**
 * An event's timeMs for a record's time: the ms its ISO text says (what Date.parse(time) gives back), null when there
 * is no text. Computed, not parsed: `+ 0` turns the -0 of Math.trunc(-0.5) into the 0 Date.parse would give.
 */
export function timeMsOf(time: number | null): number | null {
  if (time === null || !Number.isFinite(time) || Math.abs(time) > MAX_TIME) return null;
  return Math.trunc(time) + 0;
}

/** timeMs for an event's stored ISO text (a store row): Date.parse's answer, null for none or an unreadable text. */
export function timeMsOfIso(time: string | null): number | null {
  if (time === null) return null;
  const t = Date.parse(time);
  return Number.isNaN(t) ? null : t;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECOND = 1000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// `.000Z` to `.999Z`: the end of every time string, made once.
const MILLIS: readonly string[] = Array.from({ length: SECOND }, (_, ms) => `.${pad(ms, 3)}Z`);

// `:00` to `:59`, and `:00.000Z` to `:59.000Z` for times on a whole second (every syslog stamp).
const SECONDS: readonly string[] = Array.from({ length: 60 }, (_, s) => `:${pad(s, 2)}`);
const WHOLE_SECONDS: readonly string[] = SECONDS.map((s) => `${s}${MILLIS[0]}`);

// `00:` to `23:` and `00` to `59`: the hour and minute of a minute's text.
const HOURS: readonly string[] = Array.from({ length: 24 }, (_, h) => `${pad(h, 2)}:`);
const MINUTES: readonly string[] = Array.from({ length: 60 }, (_, m) => pad(m, 2));

/**
 * ms since the epoch -> the same text as Date.prototype.toISOString, without a Date per event: the text up to the
 * minute (`2026-11-23T03:14`) is kept while the minute lasts, the rest comes from tables (log lines a few seconds
 * apart each start a new second, seldom a new minute). null for null or an out-of-range time.
 */
export function createIsoFormatter(): (t: number | null) => string | null {
  let day = NaN;
  let dayPrefix = '';
  let hour = NaN;
  let hourPrefix = '';
  let minute = NaN;
  let minutePrefix = '';
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
    const min = Math.floor(sec / 60);
    if (min !== minute) {
      minute = min;
      minutePrefix = upToMinute(min * MINUTE);
    }
    const ms = t - sec * SECOND;
    const s = sec - min * 60;
    return ms === 0 ? minutePrefix + WHOLE_SECONDS[s]! : minutePrefix + SECONDS[s]! + MILLIS[ms]!;
  }

  /**
   * `2026-11-23T03:14` for a time on a whole minute. The text up to the hour is kept while the hour lasts (the day's
   * while the day lasts): a new minute is one concatenation, not two numbers turned to text and padded (sparse logs
   * start a new minute on nearly every line).
   */
  function upToMinute(t: number): string {
    const hours = Math.floor(t / HOUR);
    if (hours !== hour) {
      const d = Math.floor(t / DAY);
      if (d !== day) {
        const iso = new Date(d * DAY).toISOString();
        day = d;
        dayPrefix = iso.slice(0, iso.indexOf('T') + 1);
      }
      hour = hours;
      hourPrefix = dayPrefix + HOURS[hours - d * 24]!;
    }
    return hourPrefix + MINUTES[(t - hours * HOUR) / MINUTE]!;
  }
}
