// Shared helpers for the HTTP log formats (access, nginx error, werkzeug/uvicorn): quoted-value scanning, request-line
// splitting and CLF (`10/Oct/2026:13:55:36 -0700`) stamps. Allocation-free scanning; nothing here throws.
import { clockSeconds, digits, isValidDate, localTime, monthFromName, zonedTime } from './time.js';

/**
 * Index of the `"` that closes the quoted value whose opening `"` is at `open`, or -1. A backslash escapes the next
 * character: Apache writes `\"` and `\\`, nginx writes `\x22` (which needs no special case).
 */
export function closingQuote(line: string, open: number): number {
  for (let i = open + 1; i < line.length; i++) {
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
function isMethod(text: string, end: number): boolean {
  if (end < 1 || end > 20) return false;
  for (let i = 0; i < end; i++) {
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
  const sp = request.indexOf(' ');
  if (sp < 0 || !isMethod(request, sp)) return null;
  const last = request.lastIndexOf(' ');
  if (last > sp && request.startsWith('HTTP/', last + 1)) {
    const url = request.slice(sp + 1, last);
    return url === '' ? null : { method: request.slice(0, sp), url, protocol: request.slice(last + 1) };
  }
  const url = request.slice(sp + 1);
  return url === '' ? null : { method: request.slice(0, sp), url, protocol: '' };
}

/**
 * A CLF stamp `dd/Mon/yyyy:hh:mm:ss ±hhmm` at `start` -> ms since the epoch, or null. With `zone` false the stamp is
 * werkzeug's `dd/Mon/yyyy hh:mm:ss` (a space instead of the colon, no offset): local time.
 */
export function clfTime(text: string, start: number, zone: boolean): number | null {
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
