// Shared helpers for the HTTP log formats (access, nginx error, werkzeug/uvicorn): quoted-value scanning, request-line
// splitting and CLF (`10/Oct/2026:13:55:36 -0700`) stamps. Allocation-free scanning; nothing here throws.
import { copyString } from './intern.js';
import { clockSeconds, digits, isValidDate, localTime, monthFromName, zonedTime } from './time.js';

/**
 * Index of the `"` that closes the quoted value whose opening `"` is at `open`, or -1. A backslash escapes the next
 * character: Apache writes `\"` and `\\`, nginx writes `\x22` (which needs no special case).
 */
export function closingQuote(line: string, open: number): number {
  // Most values hold no backslash: the next '"' closes them, and indexOf finds it much faster than a loop in JS.
  const q = line.indexOf('"', open + 1);
  if (q < 0) return -1;
  const bs = line.indexOf('\\', open + 1);
  if (bs < 0 || bs > q) return q;
  for (let i = bs; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 92) i++; // '\\': skip the escaped character
    else if (c === 34) return i;
  }
  return -1;
}

export interface RequestLine {
  method: string;
  url: string;
  protocol: string; // '' for HTTP/0.9-style requests without one
}

// Methods are short upper-case tokens (GET, PROPFIND, VERSION-CONTROL, M-SEARCH); anything else is not a request.
function isMethod(text: string, start: number, end: number): boolean {
  if (end - start < 1 || end - start > 20) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 45 || c === 95)) return false;
  }
  return true;
}

/**
 * `GET /path?q HTTP/1.1` -> its parts, as written (escapes kept). null for what is not a request line: `-`, a TLS
 * handshake sent to a plain-HTTP port (`\x16\x03\x01...`), garbage. The target may contain spaces (the protocol is
 * the last word when it starts with `HTTP/`).
 */
export function splitRequest(request: string): RequestLine | null {
  const parts: RequestLine = { method: '', url: '', protocol: '' };
  return readRequestLine(request, parts) ? parts : null;
}

/** splitRequest into a caller's object; false where splitRequest gives null. */
export function readRequestLine(request: string, out: RequestLine): boolean {
  if (!cutRequest(request, 0, request.length, cuts)) return false;
  out.method = request.slice(0, cuts.sp);
  out.url = request.slice(cuts.sp + 1, cuts.last < 0 ? request.length : cuts.last);
  out.protocol = cuts.last < 0 ? '' : request.slice(cuts.last + 1);
  return true;
}

/**
 * Where a request line splits into its parts: `sp` is its first space (method before it), `last` the space before
 * the protocol, -1 when there is none (the target runs to the end). Positions only: a parser reuses one such object
 * for every line, and storing numbers in it costs no write barrier, where strings in a long-lived object do.
 */
export interface RequestCuts {
  sp: number;
  last: number;
}

const cuts: RequestCuts = { sp: 0, last: 0 }; // readRequestLine's

/** `HTTP/` at i. Compared by char codes: startsWith cost ~4 times as much here (measured in machine instructions). */
function httpAt(text: string, i: number): boolean {
  return text.charCodeAt(i) === 72 && text.charCodeAt(i + 1) === 84 && text.charCodeAt(i + 2) === 84 && text.charCodeAt(i + 3) === 80 && text.charCodeAt(i + 4) === 47;
}

/** The request line text[start, end) cut as splitRequest does (same answers); false where it gives null. */
export function cutRequest(text: string, start: number, end: number, out: RequestCuts): boolean {
  const sp = text.indexOf(' ', start);
  if (sp < 0 || sp >= end || !isMethod(text, start, sp)) return false;
  // Most requests end in ` HTTP/x.y`: that space is then the last one, found without lastIndexOf (a runtime call in
  // V8, ~7% of the access parser's time).
  const t = end - 9;
  const common = t > sp && text.charCodeAt(t) === 32 && httpAt(text, t + 1) && text.charCodeAt(t + 6) !== 32 && text.charCodeAt(t + 7) !== 32 && text.charCodeAt(t + 8) !== 32;
  const last = common ? t : text.lastIndexOf(' ', end - 1); // sp at the latest
  const protocol = common || (last > sp && last + 6 <= end && httpAt(text, last + 1));
  if ((protocol ? last : end) === sp + 1) return false; // no target
  out.sp = sp;
  out.last = protocol ? last : -1;
  return true;
}

/**
 * A CLF stamp `dd/Mon/yyyy:hh:mm:ss ±hhmm` at `start` -> ms since the epoch, or null. With `zone` false the stamp is
 * werkzeug's `dd/Mon/yyyy hh:mm:ss` (a space instead of the colon, no offset): local time.
 */
export function clfTime(text: string, start: number, zone: boolean): number | null {
  // Consecutive lines share the stamp up to the minute, and its zone: then only the seconds are read and added to
  // the minute's time (Date.UTC and localTime add them the same way, so the sum is the same number). Second 60 (a
  // leap second) takes the full path.
  // A slice and === (a memcmp) are cheaper here than comparing the characters one by one.
  if (zone === memo.zone && text.charCodeAt(start + 17) === 58 && text.slice(start, start + 17) === memo.minute && (!zone || text.slice(start + 20, start + 26) === memo.offset)) {
    const s = digits(text, start + 18, 2);
    if (s >= 0 && s < 60) return memo.ms + s * 1000;
  }
  const time = readClf(text, start, zone);
  const s = time === null ? 60 : digits(text, start + 18, 2);
  if (s < 60) {
    memo.zone = zone;
    memo.minute = copyString(text.slice(start, start + 17));
    memo.offset = zone ? copyString(text.slice(start + 20, start + 26)) : '';
    memo.ms = time! - s * 1000;
  }
  return time;
}

/** The last stamp read in full, up to its minute (and its zone); a NUL never starts a stamp, so it matches nothing. */
const memo = { zone: false, minute: '\u0000', offset: '', ms: 0 };

/** clfTime without the memo. */
function readClf(text: string, start: number, zone: boolean): number | null {
  if (text.charCodeAt(start + 2) !== 47 || text.charCodeAt(start + 6) !== 47) return null; // '/'
  const d = digits(text, start, 2);
  const mo = monthFromName(text, start + 3);
  const y = digits(text, start + 7, 4);
  if (mo === 0 || y < 0 || !isValidDate(y, mo, d)) return null;
  if (text.charCodeAt(start + 11) !== (zone ? 58 : 32)) return null; // ':' or ' '
  const secs = clockSeconds(text, start + 12);
  if (secs < 0) return null;
  const h = Math.floor(secs / 3600);
  const mi = Math.floor(secs / 60) % 60;
  const s = secs % 60;
  if (!zone) return localTime(y, mo, d, h, mi, s, 0);
  // ' +0200' after the clock
  const sign = text.charCodeAt(start + 21);
  if (text.charCodeAt(start + 20) !== 32 || (sign !== 43 && sign !== 45)) return null;
  const oh = digits(text, start + 22, 2);
  const om = digits(text, start + 24, 2);
  if (oh < 0 || om < 0 || oh > 23 || om > 59) return null;
  const offset = (oh * 60 + om) * (sign === 45 ? -1 : 1);
  return zonedTime(y, mo, d, h, mi, s, 0, offset);
}

/** Length of a CLF stamp with zone (`10/Oct/2026:13:55:36 -0700`) and of werkzeug's (`23/Nov/2026 10:00:00`). */
export const CLF_LENGTH = 26;
export const CLF_LOCAL_LENGTH = 20;

/** True when `s` is a 3-digit HTTP status (100-599). */
export function isStatus(s: string): boolean {
  return s.length === 3 && digits(s, 0, 3) >= 100 && digits(s, 0, 3) <= 599;
}

/** `::ffff:203.0.113.9` (an IPv4 client seen by a dual-stack socket) -> `203.0.113.9`; other text unchanged. */
export function unmapIpv4(ip: string): string {
  return ip.length > 7 && ip.startsWith('::ffff:') && ip.indexOf('.') > 7 ? ip.slice(7) : ip;
}

/** Copies a string so that it no longer keeps the line it was sliced from alive (STYLE.md: memory). */
export function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
