// The 'access' format: nginx/Apache access logs in common, combined and vhost_combined layouts, with any extra
// trailing fields nginx configurations add ($request_time, "$http_x_forwarded_for", ...).
//
// Record shape (what rules read):
//   message  `<request line as written> <status>`, e.g. `GET /login.php?id=1 HTTP/1.1 404`: readable in a Fatal
//            Event block and searchable; the user agent and referer are in fields, not in the message.
//   fields   ip, user, method, url, protocol, status, bytes, referer, agent, vhost (+ server_port), request (the raw
//            request line, always), x_forwarded_for (a trailing quoted address list), extra (other trailing text).
//            Values are as written: nginx `\xHH` and Apache `\"` escapes are kept (the rules decode). `-` means
//            missing: the field is left out. An invalid request line (`-`, `\x16\x03\x01...` from a TLS handshake on
//            a plain port) still gives a record, with method and url ''.
//   time     from `[10/Oct/2026:13:55:36 -0700]` with its offset. host and program are null (the log does not say
//            whether nginx or Apache wrote it).
import type { LogFormat, ParsedLine } from '../types.js';
import { FIELD } from '../types.js';
import { CLF_LENGTH, clfTime, closingQuote, cutRequest, type RequestCuts } from './http.js';
import { digits, digitsEnd } from './time.js';

// A trailing quoted value that is an address list is nginx's "$http_x_forwarded_for" (linear: no nested quantifier
// can match the same text two ways, the separators are required).
const XFF = /^[0-9A-Fa-f.:]+(?:, ?[0-9A-Fa-f.:]+)*$/;

/**
 * The client part before ` [`: `ip ident user` or `vhost ip ident user`. A user with spaces (rare) keeps them: the
 * layout is vhost_combined when the second word is not the ident `-` and there are four words or more.
 */
function readPrefix(line: string, end: number, fields: Record<string, string>): boolean {
  const s1 = line.indexOf(' ');
  // `ip - - [` (most lines): the general case below finds the same, with two more searches
  if (s1 > 0 && s1 + 4 === end && line.charCodeAt(s1 + 1) === 45 && line.charCodeAt(s1 + 2) === 32 && line.charCodeAt(s1 + 3) === 45) {
    fields[FIELD.ip] = line.slice(0, s1);
    return true;
  }
  const s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
  if (s1 < 1 || s2 < 0 || s2 >= end || s2 === s1 + 1) return false;
  const s3 = line.indexOf(' ', s2 + 1);
  const vhost = s3 > 0 && s3 < end && !(s2 === s1 + 2 && line.charCodeAt(s1 + 1) === 45);
  let userStart = s2 + 1;
  if (vhost) {
    setVhost(line.slice(0, s1), fields);
    fields[FIELD.ip] = line.slice(s1 + 1, s2);
    userStart = s3 + 1;
  } else {
    fields[FIELD.ip] = line.slice(0, s1);
  }
  if (userStart >= end) return false;
  if (end !== userStart + 1 || line.charCodeAt(userStart) !== 45) fields[FIELD.user] = line.slice(userStart, end);
  return true;
}

// `%v:%p` -> vhost and server_port; `[2001:db8::1]:443` too. A bare IPv6 vhost keeps its colons.
function setVhost(v: string, fields: Record<string, string>): void {
  const colon = v.lastIndexOf(':');
  const portOk = colon > 0 && digitsEnd(v, colon + 1) === v.length && colon + 1 < v.length;
  if (portOk && (v.indexOf(':') === colon || v.charCodeAt(colon - 1) === 93)) {
    fields[FIELD.vhost] = v.charCodeAt(0) === 91 ? v.slice(1, colon - 1) : v.slice(0, colon);
    fields.server_port = v.slice(colon + 1);
  } else {
    fields[FIELD.vhost] = v;
  }
}

/**
 * The `"` closing the value opened at `open`. `plain`: the line has no backslash after the stamp (most lines), so
 * the next quote closes it and closingQuote's look for escapes can be skipped.
 */
function closeOf(line: string, open: number, plain: boolean): number {
  return plain ? line.indexOf('"', open + 1) : closingQuote(line, open);
}

/** ` "referer" "agent" ...extras` after the bytes; an unterminated quote makes the rest one extra value. */
function readTail(line: string, start: number, plain: boolean, fields: Record<string, string>): void {
  let i = start;
  let n = 0;
  let extra: string[] | null = null; // most lines have none: no array for them
  while (i < line.length) {
    if (line.charCodeAt(i) === 32) {
      i++;
      continue;
    }
    let value: string;
    let quoted = false;
    if (line.charCodeAt(i) === 34) {
      const close = closeOf(line, i, plain);
      if (close < 0) {
        (extra ??= []).push(line.slice(i));
        break;
      }
      value = line.slice(i + 1, close);
      quoted = true;
      i = close + 1;
    } else {
      const sp = line.indexOf(' ', i);
      const end = sp < 0 ? line.length : sp;
      value = line.slice(i, end);
      i = end;
    }
    if (quoted && n === 0) {
      if (value !== '-') fields[FIELD.referer] = value;
    } else if (quoted && n === 1) {
      if (value !== '-') fields[FIELD.agent] = value;
    } else if (quoted && fields.x_forwarded_for === undefined && value.length <= 512 && XFF.test(value)) {
      fields.x_forwarded_for = value;
    } else if (value !== '-') {
      (extra ??= []).push(value);
    }
    n++;
  }
  if (extra !== null) fields.extra = extra.join(' ');
}

const cuts: RequestCuts = { sp: 0, last: 0 }; // readRequest's, reused for every line

/** The request, status and bytes from the opening quote of the request. -1 when they are not there. */
function readRequest(line: string, open: number, plain: boolean, fields: Record<string, string>): number {
  let close = closeOf(line, open, plain);
  // An unescaped quote inside the request (old Apache, hand-made logs): take the first `" NNN ` after the opening.
  if (close < 0 || !statusAt(line, close + 2)) close = fallbackClose(line, open);
  if (close < 0) return -1;
  fields.request = line.slice(open + 1, close);
  if (cutRequest(line, open + 1, close, cuts)) {
    fields[FIELD.method] = line.slice(open + 1, cuts.sp);
    fields[FIELD.url] = line.slice(cuts.sp + 1, cuts.last < 0 ? close : cuts.last);
    if (cuts.last >= 0) fields[FIELD.protocol] = line.slice(cuts.last + 1, close);
  } else {
    fields[FIELD.method] = '';
    fields[FIELD.url] = '';
  }
  fields[FIELD.status] = line.slice(close + 2, close + 5);
  // bytes: digits or '-', then end or space
  const b = close + 6;
  if (line.charCodeAt(close + 5) !== 32) return close + 5 === line.length ? line.length : -1;
  const end = digitsEnd(line, b);
  if (end > b) fields[FIELD.bytes] = line.slice(b, end);
  else if (line.charCodeAt(b) !== 45) return -1;
  const after = end > b ? end : b + 1;
  return after === line.length || line.charCodeAt(after) === 32 ? after : -1;
}

/** A space, then a 3-digit HTTP status (as isStatus, without slicing one out). */
function statusAt(line: string, i: number): boolean {
  if (line.charCodeAt(i - 1) !== 32) return false;
  const n = digits(line, i, 3);
  return n >= 100 && n <= 599;
}

const STATUS_AFTER_QUOTE = /" [1-5]\d\d(?: |$)/g;

function fallbackClose(line: string, open: number): number {
  STATUS_AFTER_QUOTE.lastIndex = open + 1;
  const m = STATUS_AFTER_QUOTE.exec(line);
  return m === null ? -1 : m.index;
}

/** line.indexOf(' ['), found through the '[' alone: a one-character search is several times cheaper here. */
function spaceBracket(line: string): number {
  let b = line.indexOf('[');
  while (b >= 0 && line.charCodeAt(b - 1) !== 32) b = line.indexOf('[', b + 1);
  return b < 0 ? -1 : b - 1;
}

/** One access-log line -> record, or null when it is not one. */
export function parseAccess(line: string): ParsedLine | null {
  const bracket = spaceBracket(line);
  if (bracket < 5 || bracket > 1024) return null;
  const t = bracket + 2;
  if (line.charCodeAt(t + CLF_LENGTH) !== 93 || line.charCodeAt(t + CLF_LENGTH + 1) !== 32) return null; // '] '
  if (line.charCodeAt(t + CLF_LENGTH + 2) !== 34) return null; // '"'
  const time = clfTime(line, t, true);
  if (time === null) return null;
  const fields: Record<string, string> = {};
  if (!readPrefix(line, bracket, fields)) return null;
  const plain = line.indexOf('\\', t + CLF_LENGTH) < 0;
  const after = readRequest(line, t + CLF_LENGTH + 2, plain, fields);
  if (after < 0) return null;
  if (after < line.length) readTail(line, after, plain, fields);
  return {
    time,
    host: null,
    program: null,
    pid: null,
    level: null,
    message: `${fields.request} ${fields.status}`,
    fields,
    request: true,
  };
}

export const webAccess: LogFormat = {
  name: 'access',
  description: 'nginx/Apache access log: common, combined, vhost_combined, with extra trailing fields',
  probe(line: string): boolean {
    // cheapest first: a CLF stamp is `[dd/Mon/yyyy:` then `] "` 26 characters after the `[`
    const b = line.indexOf(' [');
    return b > 0 && line.charCodeAt(b + 4) === 47 && line.charCodeAt(b + 13) === 58 && line.startsWith('] "', b + 28);
  },
  createParser() {
    return parseAccess;
  },
  samples: [
    '203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET /index.php?id=1%27%20OR%201=1-- HTTP/1.1" 200 2326 "-" "sqlmap/1.7.2#stable (https://sqlmap.org)"',
    '198.51.100.23 - frank [10/Oct/2026:13:55:36 +0000] "POST /login HTTP/1.1" 401 512',
    'example.com:443 2001:db8::17 - - [23/Nov/2026:10:00:00 +0100] "GET /.env HTTP/1.1" 404 153 "-" "Mozilla/5.0 (X11; Linux x86_64)"',
    '192.0.2.44 - - [23/Nov/2026:10:00:01 +0000] "\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03" 400 157 "-" "-"',
    '10.0.0.5 - - [23/Nov/2026:10:00:02 +0000] "GET /api/items HTTP/2.0" 200 812 "https://example.com/" "curl/8.5.0" 0.004 "203.0.113.50, 10.0.0.1"',
  ],
};
