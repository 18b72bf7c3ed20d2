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
 * layout is vhost_combined when the second word is not the ident `-` and there are four words or more. `s1`: the
 * line's first space (-1 for none).
 */
function readPrefix(line: string, s1: number, end: number, fields: Record<string, string>): number {
  // `ip - - [` (most lines): the general case below finds the same, with two more searches
  if (s1 > 0 && s1 + 4 === end && line.charCodeAt(s1 + 1) === 45 && line.charCodeAt(s1 + 2) === 32 && line.charCodeAt(s1 + 3) === 45) {
    fields[FIELD.ip] = line.slice(0, s1);
    return ANONYMOUS;
  }
  const s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
  if (s1 < 1 || s2 < 0 || s2 >= end || s2 === s1 + 1) return NO_PREFIX;
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
  if (userStart >= end) return NO_PREFIX;
  if (end !== userStart + 1 || line.charCodeAt(userStart) !== 45) fields[FIELD.user] = line.slice(userStart, end);
  return OTHER_PREFIX;
}

/** What readPrefix found: nothing usable, `ip - -` (the fast path: ip is the text before the first space), other. */
const NO_PREFIX = 0;
const ANONYMOUS = 1;
const OTHER_PREFIX = 2;

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
 * The `"` closing the value opened at `open`, as closingQuote finds it: the next `"` closes the value unless a
 * backslash is just before it (only a backslash can make closingQuote skip a quote: the one it treats as escaped),
 * so most values are one search and one character read, without a look for backslashes over the rest of the line.
 */
function closeOf(line: string, open: number): number {
  const q = line.indexOf('"', open + 1);
  return q < 0 || line.charCodeAt(q - 1) !== 92 ? q : closingQuote(line, open);
}

/**
 * ` "referer" "agent"` ending the line (most combined lines), read as readTail reads it; false, with nothing written,
 * for any other tail. A `-` value is known from its length and one character, without slicing it out. `start`: a
 * space (readRequest ends there).
 */
function readPair(line: string, start: number, fields: Record<string, string>): boolean {
  if (line.charCodeAt(start + 1) !== 34) return false;
  const r = closeOf(line, start + 1);
  if (r < 0 || line.charCodeAt(r + 1) !== 32 || line.charCodeAt(r + 2) !== 34) return false;
  const a = closeOf(line, r + 2);
  if (a !== line.length - 1) return false;
  if (r !== start + 3 || line.charCodeAt(start + 2) !== 45) fields[FIELD.referer] = line.slice(start + 2, r);
  if (a !== r + 4 || line.charCodeAt(r + 3) !== 45) fields[FIELD.agent] = line.slice(r + 3, a);
  return true;
}

/** ` "referer" "agent" ...extras` after the bytes; an unterminated quote makes the rest one extra value. */
function readTail(line: string, start: number, fields: Record<string, string>): void {
  let i = start;
  let n = 0;
  let extra: string[] | null = null; // most lines have none: no array for them
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 32) {
      i++;
      continue;
    }
    let value: string;
    let quoted = false;
    if (c === 34) {
      const close = closeOf(line, i);
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
function readRequest(line: string, open: number, fields: Record<string, string>): number {
  let close = closeOf(line, open);
  // What follows the request's quote (` 200 2326 ` on most lines) is read from a copy: V8 copies a slice shorter than
  // 13 characters, and a character read from the line (itself a slice of the piece split2 cut) unwraps it each time.
  let rest = close < 0 ? '' : line.slice(close + 1, close + 1 + REST);
  // An unescaped quote inside the request (old Apache, hand-made logs): take the first `" NNN ` after the opening.
  let status = statusAt(rest, 1);
  if (status < 0) {
    close = fallbackClose(line, open);
    if (close < 0) return -1;
    rest = line.slice(close + 1, close + 1 + REST);
    status = digits(rest, 1, 3); // 100-599: the pattern says so
  }
  fields.request = line.slice(open + 1, close);
  if (!knownRequest(line, open, close, fields)) {
    if (cutRequest(line, open + 1, close, cuts)) {
      fields[FIELD.method] = line.slice(open + 1, cuts.sp);
      fields[FIELD.url] = line.slice(cuts.sp + 1, cuts.last < 0 ? close : cuts.last);
      if (cuts.last >= 0) fields[FIELD.protocol] = line.slice(cuts.last + 1, close);
    } else {
      fields[FIELD.method] = '';
      fields[FIELD.url] = '';
    }
  }
  fields[FIELD.status] = STATUS[status]!;
  got.status = status;
  // bytes: digits or '-', then end or space (rest[k] is line[close + 1 + k]; longer bytes go on in the line)
  const b = close + 6;
  if (rest.charCodeAt(4) !== 32) return close + 5 === line.length ? line.length : -1;
  let end = close + 1 + digitsEnd(rest, 5);
  if (end === close + 1 + REST) end = digitsEnd(line, end);
  if (end > b) fields[FIELD.bytes] = line.slice(b, end);
  else if (rest.charCodeAt(5) !== 45) return -1;
  const after = end > b ? end : b + 1;
  if (after === line.length) return after;
  return (after < close + 1 + REST ? rest.charCodeAt(after - close - 1) : line.charCodeAt(after)) === 32 ? after : -1;
}

/** Characters copied after the request's closing quote: the most V8 copies (12), ` NNN ` and bytes below 10^6. */
const REST = 12;

/**
 * `200` and ` 200` for every status 100-599, made once: a record's status is one of these, not a copy sliced from
 * its line, and its message `<request> <status>` is one concatenation (one string object, not two). ~1,000 short
 * strings, a fixed bound. The statuses come from JSON.parse, which gives V8's internalized strings for values this
 * short (`String(n)` does not): the rules' `where: { status: [...] }` checks (program-index.ts's presence mask, ten
 * compares a record) and the detectors compare them with literals, and two internalized strings that differ are
 * told apart by their address, where any other pair of equal length is compared character by character in a call
 * (~40 ns a record of the mask's compares). Equal text either way: only the cost differs.
 */
const STATUS: string[] = JSON.parse(JSON.stringify(Array.from({ length: 600 }, (_, n) => (n < 100 ? '' : String(n))))) as string[];
const STATUS_SUFFIX: string[] = STATUS.map((s) => (s === '' ? '' : ' ' + s));

/** What readRequest read besides fields: a number, which a long-lived object holds without a write barrier. */
const got = { status: 0 };

/**
 * `GET|POST|HEAD <target> HTTP/1.1|2.0|1.0` (most requests) cut as cutRequest cuts it: the method by its char codes
 * and the protocol from the copy that is stored anyway, compared with constants, cost less than cutRequest's first-
 * space search, method loop and ~9 char reads of the tail. False (nothing written) otherwise: cutRequest decides.
 */
function knownRequest(line: string, open: number, close: number, fields: Record<string, string>): boolean {
  const method = knownMethod(line, open + 1);
  if (method === null) return false;
  const sp = open + 1 + method.length; // the first space
  const t = close - 9; // the space before the protocol
  if (t <= sp + 1 || line.charCodeAt(t) !== 32) return false;
  const protocol = line.slice(t + 1, close);
  if (protocol !== 'HTTP/1.1' && protocol !== 'HTTP/2.0' && protocol !== 'HTTP/1.0') return false;
  fields[FIELD.method] = method;
  fields[FIELD.url] = line.slice(sp + 1, t);
  fields[FIELD.protocol] = protocol;
  return true;
}

/** `GET `, `POST ` or `HEAD ` at i: the method without its space, else null. Char codes: no slice, no search. */
function knownMethod(line: string, i: number): string | null {
  const c = line.charCodeAt(i);
  if (c === 71) return line.charCodeAt(i + 1) === 69 && line.charCodeAt(i + 2) === 84 && line.charCodeAt(i + 3) === 32 ? 'GET' : null;
  if (c === 80) return line.charCodeAt(i + 1) === 79 && line.charCodeAt(i + 2) === 83 && line.charCodeAt(i + 3) === 84 && line.charCodeAt(i + 4) === 32 ? 'POST' : null;
  if (c === 72) return line.charCodeAt(i + 1) === 69 && line.charCodeAt(i + 2) === 65 && line.charCodeAt(i + 3) === 68 && line.charCodeAt(i + 4) === 32 ? 'HEAD' : null;
  return null;
}

/** A space, then a 3-digit HTTP status: the status as a number, else -1. */
function statusAt(line: string, i: number): number {
  if (line.charCodeAt(i - 1) !== 32) return -1;
  const n = digits(line, i, 3); // -1 when cut short by the end of the line
  return n >= 100 && n <= 599 ? n : -1;
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

/**
 * The last `ip - - [stamp] "` line's text from ` - - [` to the request's `"`, and its time. Busy servers write many
 * lines a second: a line with the same text there (and its first space before it) gets the same time and ip with one
 * compare, instead of the `] "` checks, clfTime's two compares and readPrefix's. `second` (the stamp's last digit)
 * turns most other lines away before the slice; a NUL never starts the text, so it matches nothing at first.
 * The text is a slice, not a copy: a copy on every new second cost quiet logs (a second per line) ~700 instructions
 * a line, and this one slice keeps at most one piece of the input (~32 KiB) alive, until the next new second.
 */
const head = { text: '\u0000', time: 0, second: -1 };
const HEAD_END = CLF_LENGTH + 3; // just after `] "`

function rememberHead(line: string, bracket: number, time: number): void {
  const t = bracket + 2;
  head.text = line.slice(bracket - 4, t + HEAD_END);
  head.time = time;
  head.second = line.charCodeAt(t + 19);
}

/**
 * A record's fields, made by `new`: V8 sizes the objects a constructor makes by the properties they end up with, so all
 * of an access record's fields are stored in the object itself, where `{}` holds four and puts the rest in extra
 * arrays (two more allocations per line, one more load per read). Its prototype is Object.prototype: to every reader
 * it is the plain object `{}` makes.
 */
const Fields = function Fields() {} as unknown as new () => Record<string, string>;
Fields.prototype = Object.prototype;

/** One access-log line -> record, or null when it is not one. */
export function parseAccess(line: string): ParsedLine | null {
  const s1 = line.indexOf(' ');
  const fields: Record<string, string> = new Fields();
  let time: number | null;
  let t: number;
  // The head at the first space (lastIndexOf from there: no slice per line, and a miss searches back over the client
  // address only). It starts ` - - [`: no ` [` can come before, so the stamp's bracket is found without a search.
  if (s1 > 0 && s1 <= 1020 && line.charCodeAt(s1 + 25) === head.second && line.lastIndexOf(head.text, s1) === s1) {
    t = s1 + 6;
    time = head.time; // what the lines below give this line: the same text from ` - - [` to `"`, the same first space
    fields[FIELD.ip] = line.slice(0, s1);
  } else {
    const bracket = spaceBracket(line);
    if (bracket < 5 || bracket > 1024) return null;
    t = bracket + 2;
    if (line.charCodeAt(t + CLF_LENGTH) !== 93 || line.charCodeAt(t + CLF_LENGTH + 1) !== 32) return null; // '] '
    if (line.charCodeAt(t + CLF_LENGTH + 2) !== 34) return null; // '"'
    time = clfTime(line, t, true);
    if (time === null) return null;
    const prefix = readPrefix(line, s1, bracket, fields);
    if (prefix === NO_PREFIX) return null;
    if (prefix === ANONYMOUS) rememberHead(line, bracket, time);
  }
  const after = readRequest(line, t + CLF_LENGTH + 2, fields);
  if (after < 0) return null;
  if (after < line.length && !readPair(line, after, fields)) readTail(line, after, fields);
  return {
    time,
    host: null,
    program: null,
    pid: null,
    level: null,
    message: fields.request! + STATUS_SUFFIX[got.status]!, // one concatenation
    fields,
    foreignText: true,
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
