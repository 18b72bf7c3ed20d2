// The key mapping shared by the application formats (json, logfmt): which of the usual keys give a record's time,
// level, message, host, program and pid, and the canonical FIELD values (ip, user, phone, method, url, status,
// agent). Works on flat string fields (JSON is flattened to dotted keys first), so both formats map alike.
import type { ParsedLine, Severity } from '../types.js';
import { FIELD } from '../types.js';
import { isStatus, own, unmapIpv4 } from './http.js';
import { levelFromPriority, levelFromWord } from './levels.js';
import { parseIsoish } from './time.js';

// First key present (and non-empty) wins; the order says which name is more specific.
const TIME_KEYS = ['time', 'timestamp', 'ts', '@timestamp', 't', 'date', 'datetime', '@t'];
const LEVEL_KEYS = ['level', 'severity', 'lvl', 'levelname', 'log.level', 'loglevel', '@l'];
const MESSAGE_KEYS = ['msg', 'message', 'log', 'event', '@m', 'error', 'err', 'err.message', 'error.message'];
const HOST_KEYS = ['hostname', 'host', 'host.name'];
const PROGRAM_KEYS = ['service', 'app', 'logger', 'name', 'service.name', 'logger_name', 'application'];
const IP_KEYS = [
  'ip', 'client_ip', 'clientIp', 'remote_ip', 'remote_addr', 'remoteAddr', 'src_ip', 'client.ip', 'source.ip',
  'req.ip', 'request.ip', 'x_forwarded_for', 'x-forwarded-for', 'req.remoteAddress', 'remoteAddress',
];
const USER_KEYS = [
  'user', 'username', 'userName', 'user.name', 'user.username', 'user_id', 'userId', 'user.id', 'uid', 'account',
  'email', 'user.email',
];
const PHONE_KEYS = ['phone', 'mobile', 'phone_number', 'phoneNumber', 'tel', 'msisdn', 'user.phone'];
const METHOD_KEYS = ['method', 'req.method', 'request.method', 'http.method', 'http.request.method'];
const URL_KEYS = ['url', 'path', 'uri', 'req.url', 'request.url', 'request.path', 'http.url', 'http.path', 'url.original'];
const STATUS_KEYS = ['status', 'status_code', 'statusCode', 'res.statusCode', 'response.status', 'http.status_code', 'http.response.status_code'];
const AGENT_KEYS = ['user_agent', 'ua', 'userAgent', 'http.user_agent', 'req.headers.user-agent', 'user_agent.original'];

/** Sets a field unless the key could change the object's prototype (JSON and logfmt keys are attacker text). */
export function setField(fields: Record<string, string>, key: string, value: string): void {
  if (key !== '__proto__') fields[key] = value;
}

function first(fields: Readonly<Record<string, string>>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = fields[k];
    if (v !== undefined && v !== '') return v; // none of the keys is an Object.prototype member
  }
  return undefined;
}

function isNumeric(s: string): boolean {
  if (s.length === 0 || s.length > 24) return false;
  let dot = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) dot++;
    else if (c < 48 || c > 57) return false;
  }
  return dot <= 1 && s.charCodeAt(0) !== 46;
}

/** An ISO-ish stamp, or epoch seconds / ms / µs / ns as a number (guessed from its size) -> ms; null otherwise. */
export function appTime(value: string): number | null {
  if (isNumeric(value)) {
    const n = Number(value);
    if (n < 1e11) return Math.round(n * 1000); // seconds (until the year 5138)
    if (n < 1e14) return Math.round(n);
    if (n < 1e17) return Math.round(n / 1000);
    return Math.round(n / 1e6);
  }
  return parseIsoish(value);
}

// pino / bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
const NUMERIC: ReadonlyMap<string, Severity> = new Map([
  ['10', 'info'], ['20', 'info'], ['30', 'info'], ['40', 'medium'], ['50', 'high'], ['60', 'critical'],
]);

/** A level word, a pino/bunyan number (10-60) or a syslog priority (0-7) -> Severity. */
export function appLevel(value: string): Severity | null {
  const c = value.charCodeAt(0);
  if (c >= 48 && c <= 57) return NUMERIC.get(value) ?? (value.length === 1 ? levelFromPriority(c - 48) : null);
  return levelFromWord(value);
}

export interface AppHeader {
  time: number | null;
  level: Severity | null;
  message: string | null;
  host: string | null;
  program: string | null;
  pid: number | null;
}

/** A record from an application line's fields: the header values mapped, `message` when the line names none. */
export function appRecord(fields: Record<string, string>, fallbackMessage: string, trimMessage: (m: string) => string = (m) => m): ParsedLine {
  const h = mapAppFields(fields);
  return {
    time: h.time, host: h.host, program: h.program, pid: h.pid, level: h.level,
    message: h.message === null ? fallbackMessage : trimMessage(h.message), fields,
  };
}

/** Reads the header values and sets the canonical FIELD values (ip, user, phone, http) on `fields`. */
export function mapAppFields(fields: Record<string, string>): AppHeader {
  const t = first(fields, TIME_KEYS);
  const l = first(fields, LEVEL_KEYS);
  const host = first(fields, HOST_KEYS);
  const program = first(fields, PROGRAM_KEYS);
  const pid = fields.pid === undefined ? NaN : Number(fields.pid);
  setCanonical(fields);
  return {
    time: t === undefined ? null : appTime(t),
    level: l === undefined ? null : appLevel(l),
    message: first(fields, MESSAGE_KEYS) ?? null,
    host: host === undefined ? null : own(host),
    program: program === undefined ? null : own(program),
    pid: Number.isInteger(pid) && pid >= 0 ? pid : null,
  };
}

const CANONICAL: readonly [string, readonly string[]][] = [
  [FIELD.user, USER_KEYS], [FIELD.phone, PHONE_KEYS], [FIELD.method, METHOD_KEYS], [FIELD.url, URL_KEYS],
  [FIELD.agent, AGENT_KEYS],
];

function setCanonical(fields: Record<string, string>): void {
  const ip = first(fields, IP_KEYS);
  if (ip !== undefined) {
    const comma = ip.indexOf(',');
    fields[FIELD.ip] = unmapIpv4(comma < 0 ? ip : ip.slice(0, comma).trim()); // X-Forwarded-For: the first hop
  }
  for (const [name, keys] of CANONICAL) {
    const v = first(fields, keys);
    if (v !== undefined) fields[name] = v;
  }
  let status: string | undefined;
  for (const k of STATUS_KEYS) {
    const v = fields[k];
    if (v !== undefined && isStatus(v)) {
      status = v;
      break;
    }
  }
  if (status !== undefined) fields[FIELD.status] = status;
}
