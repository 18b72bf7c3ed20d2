// The 'nginx-error' format: nginx's error_log, `2026/11/23 10:00:00 [error] 1234#1234: *5 message, client: ...`.
//
// Record shape:
//   time     the stamp, local time (nginx writes no zone).   level  from `[debug|info|notice|warn|error|crit|alert|emerg]`
//   pid      the worker pid (before `#`); fields.tid the thread, fields.connection the `*N` connection number.
//   message  everything after `pid#tid: ` and the `*N ` connection number, context included
//            (`open() "/x/.env" failed (2: No such file or directory), client: 203.0.113.9, server: ...`).
//   fields   from the context nginx appends: ip (client), vhost (server), request + method/url/protocol,
//            upstream, http_host (host: "..."), referer (referrer: "...").
//   program  'nginx'.
// The context is found by its first `, client: ` whose value looks like an address. The message before it can
// carry attacker text (a decoded URI in `open() "..."`), so a crafted path can still spoof it: nginx gives no way
// to tell the two apart.
import type { LogFormat, ParsedLine } from '../types.js';
import { FIELD } from '../types.js';
import { closingQuote, splitRequest } from './http.js';
import { levelFromWord } from './levels.js';
import { clockSeconds, digits, digitsEnd, isValidDate, localTime } from './time.js';

const ADDRESS = /^[0-9A-Fa-f.:]{2,45}$/;

/** `2026/11/23 10:00:00` at the start -> ms, or null. */
function stamp(line: string): number | null {
  if (line.charCodeAt(4) !== 47 || line.charCodeAt(7) !== 47 || line.charCodeAt(10) !== 32) return null;
  const y = digits(line, 0, 4);
  const mo = digits(line, 5, 2);
  const d = digits(line, 8, 2);
  const secs = clockSeconds(line, 11);
  if (secs < 0 || !isValidDate(y, mo, d)) return null;
  return localTime(y, mo, d, Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60, 0);
}

/** The value of a `key: "quoted"` context item starting at `i` (after `key: `), and where it ends. */
function quotedAt(line: string, i: number): { value: string; end: number } | null {
  if (line.charCodeAt(i) !== 34) return null;
  // nginx does not escape quotes in the request line: take the quote followed by `, ` or the end of the line.
  let close = closingQuote(line, i);
  while (close >= 0 && close + 1 < line.length && !line.startsWith(', ', close + 1)) close = closingQuote(line, close);
  return close < 0 ? null : { value: line.slice(i + 1, close), end: close + 1 };
}

const QUOTED_KEYS: ReadonlyMap<string, string> = new Map([
  ['request', 'request'], ['upstream', 'upstream'], ['host', 'http_host'], ['referrer', FIELD.referer],
]);

/** `, client: 1.2.3.4, server: example.com, request: "GET / HTTP/1.1", host: "example.com"` -> fields. */
function readContext(line: string, from: number, fields: Record<string, string>): void {
  let at = line.indexOf(', client: ', from);
  while (at >= 0) {
    const v = at + 10;
    const comma = line.indexOf(',', v);
    const ip = line.slice(v, comma < 0 ? line.length : comma);
    if (ADDRESS.test(ip)) {
      fields[FIELD.ip] = ip;
      if (comma >= 0) readItems(line, comma, fields);
      return;
    }
    at = line.indexOf(', client: ', v);
  }
}

// The items after the client: `, server: name` bare, the others quoted.
function readItems(line: string, i: number, fields: Record<string, string>): void {
  while (line.startsWith(', ', i)) {
    const colon = line.indexOf(': ', i + 2);
    if (colon < 0 || colon - i > 24) return;
    const key = line.slice(i + 2, colon);
    if (key === 'server') {
      const comma = line.indexOf(', ', colon + 2);
      const end = comma < 0 ? line.length : comma;
      fields[FIELD.vhost] = line.slice(colon + 2, end);
      i = end;
      continue;
    }
    const q = quotedAt(line, colon + 2);
    if (q === null) return;
    const name = QUOTED_KEYS.get(key);
    if (name !== undefined) fields[name] = q.value;
    i = q.end;
  }
  const request = fields.request;
  const parts = request === undefined ? null : splitRequest(request);
  if (parts !== null) {
    fields[FIELD.method] = parts.method;
    fields[FIELD.url] = parts.url;
    if (parts.protocol !== '') fields[FIELD.protocol] = parts.protocol;
  }
}

/** One error-log line -> record, or null. */
export function parseNginxError(line: string): ParsedLine | null {
  if (line.charCodeAt(20) !== 91) return null; // '[' after the stamp
  const time = stamp(line);
  if (time === null) return null;
  const close = line.indexOf('] ', 21);
  if (close < 0 || close > 29) return null;
  const level = levelFromWord(line.slice(21, close));
  if (level === null) return null;
  // `1234#5678: `
  const p = close + 2;
  const hash = digitsEnd(line, p);
  if (hash === p || line.charCodeAt(hash) !== 35) return null;
  const tidEnd = digitsEnd(line, hash + 1);
  if (tidEnd === hash + 1 || line.charCodeAt(tidEnd) !== 58) return null;
  const fields: Record<string, string> = { tid: line.slice(hash + 1, tidEnd) };
  let m = tidEnd + 1;
  if (line.charCodeAt(m) === 32) m++;
  if (line.charCodeAt(m) === 42) {
    // `*5 ` connection number
    const e = digitsEnd(line, m + 1);
    if (e > m + 1 && line.charCodeAt(e) === 32) {
      fields.connection = line.slice(m + 1, e);
      m = e + 1;
    }
  }
  readContext(line, m, fields);
  return {
    time,
    host: null,
    program: 'nginx',
    pid: Number(line.slice(p, hash)),
    level,
    message: line.slice(m),
    fields,
  };
}

export const nginxError: LogFormat = {
  name: 'nginx-error',
  description: 'nginx error_log: `2026/11/23 10:00:00 [error] 1234#1234: *5 ...`',
  probe(line: string): boolean {
    return line.charCodeAt(4) === 47 && line.charCodeAt(20) === 91 && line.indexOf('#', 22) > 0;
  },
  createParser() {
    return parseNginxError;
  },
  samples: [
    '2026/11/23 10:00:00 [error] 1234#1234: *5 open() "/usr/share/nginx/html/.env" failed (2: No such file or directory), client: 203.0.113.9, server: example.com, request: "GET /.env HTTP/1.1", host: "example.com"',
    '2026/11/23 09:59:58 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)',
    '2026/11/23 10:02:11 [crit] 1235#1235: *88 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 2001:db8::7, server: 0.0.0.0:443',
    '2026/11/23 10:03:00 [warn] 1234#1234: *91 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream, client: 198.51.100.4, server: api.example.com, request: "GET /export.csv HTTP/1.1", upstream: "http://127.0.0.1:8080/export.csv", host: "api.example.com", referrer: "https://api.example.com/"',
  ],
};
