// Shared date helpers for the formats: month names, year resolution for year-less stamps, local/UTC wall-clock time
// to epoch ms (with a one-hour cache), and an allocation-free parser for ISO-8601-like stamps (BSD stamps: bsd-stamp.ts).
// Conventions: months are 1-12 everywhere in this file; every function returns null / 0 / -1 on bad input, never throws.

/** English month abbreviations as syslog, CLF and Apache write them; index + 1 = month number. */
export const MONTHS: readonly string[] = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Keyed by the three character codes packed into one number, so that a lookup slices nothing.
const monthKey = (a: number, b: number, c: number): number => (a << 16) | (b << 8) | c;
const MONTH_BY_KEY: ReadonlyMap<number, number> = new Map(MONTHS.map((m, i) => [monthKey(m.charCodeAt(0), m.charCodeAt(1), m.charCodeAt(2)), i + 1]));

/** 'Nov' -> 11; 0 when `text.slice(start, start + 3)` is not a month abbreviation (exact case, as logs write it). */
export function monthFromName(text: string, start = 0): number {
  if (text.length < start + 3) return 0;
  // Cheapest check first: every abbreviation starts with an upper-case letter from this set.
  const c = text.charCodeAt(start);
  if (c < 65 || c > 83) return 0;
  const b = text.charCodeAt(start + 1);
  const d = text.charCodeAt(start + 2);
  if (b > 255 || d > 255) return 0;
  return MONTH_BY_KEY.get(monthKey(c, b, d)) ?? 0;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** True when y-mo-d is a real calendar date (Feb 29 only in leap years). */
export function isValidDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]!) return false;
  return mo !== 2 || d !== 29 || isLeap(y);
}

// One-entry cache: consecutive lines of a log almost always fall in the same local hour, and computing a local time
// through Date costs an allocation and a zone lookup. Keyed by the hour; minutes and seconds are added as plain
// arithmetic (zone offsets change on the hour everywhere that matters for logs).
let cachedHourKey = -1;
let cachedHourMs = 0;

/**
 * Wall-clock time in the process's local zone (as syslog on the box that wrote the line) -> ms since the epoch.
 * mo is 1-12. Out-of-range parts are not validated here; use isValidDate first when the input is untrusted.
 */
export function localTime(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const key = ((y * 13 + mo) * 32 + d) * 24 + h;
  if (key !== cachedHourKey) {
    cachedHourMs = new Date(y, mo - 1, d, h, 0, 0, 0).getTime();
    cachedHourKey = key;
  }
  return cachedHourMs + mi * 60_000 + s * 1000 + ms;
}

/** Wall-clock time at a fixed offset east of UTC (minutes; +60 for +01:00) -> ms since the epoch. mo is 1-12. */
export function zonedTime(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMinutes: number): number {
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
}

const DAY_MS = 86_400_000;

/**
 * The year of a year-less stamp (syslog `Nov 23 10:00:00`): the latest year in which month/day falls no later than
 * `reference` + 1 day of slack (clock skew). A log that spans New Year and ends before `reference` therefore gets
 * its December lines in the previous year and its January lines in the reference year. Feb 29 goes back to the
 * latest leap year. mo is 1-12.
 */
export function resolveYear(month: number, day: number, reference: Date | number): number {
  const refMs = typeof reference === 'number' ? reference : reference.getTime();
  const limit = refMs + DAY_MS;
  const refYear = new Date(refMs).getFullYear();
  for (let y = refYear + 1; y > refYear - 9; y--) {
    if (!isValidDate(y, month, day)) continue;
    if (new Date(y, month - 1, day).getTime() <= limit) return y;
  }
  return refYear; // only for an impossible date (Feb 30): callers reject those before
}

/**
 * A resolveYear bound to one reference, memoised per month/day: a parser calls it for every line, and a log has at
 * most 366 distinct days per year. Returns 0 for an impossible month/day.
 */
export function yearResolver(reference: Date | number): (month: number, day: number) => number {
  const memo = new Int32Array(13 * 32);
  return (month: number, day: number): number => {
    if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return 0;
    const i = month * 32 + day;
    let y = memo[i]!;
    if (y === 0) {
      y = resolveYear(month, day, reference);
      memo[i] = y;
    }
    return y;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Digit scanning without allocation.

/** The value of `len` decimal digits at `start`, or -1 when any of them is not a digit. */
export function digits(text: string, start: number, len: number): number {
  if (start + len > text.length) return -1;
  let n = 0;
  for (let i = start; i < start + len; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** `hh:mm:ss` at `start` -> seconds of the day, or -1. */
export function clockSeconds(text: string, start: number): number {
  if (text.charCodeAt(start + 2) !== 58 || text.charCodeAt(start + 5) !== 58) return -1;
  const h = digits(text, start, 2);
  const mi = digits(text, start + 3, 2);
  const s = digits(text, start + 6, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return -1;
  return h * 3600 + mi * 60 + s;
}

/** Index just past a run of digits starting at `start` (== start when there is none). */
export function digitsEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/** Milliseconds from the fraction digits in [start, end): '123456' -> 123, '5' -> 500. */
export function fractionMs(text: string, start: number, end: number): number {
  let ms = 0;
  for (let k = 0; k < 3; k++) {
    const c = start + k < end ? text.charCodeAt(start + k) - 48 : 0;
    ms = ms * 10 + c;
  }
  return ms;
}

// ---------------------------------------------------------------------------------------------------------------
// ISO-ish stamps: `YYYY-MM-DD[T ]hh:mm[:ss[(.|,)frac]][Z|±hh|±hhmm|±hh:mm]`, also with `/` between date parts
// (nginx). Without a zone the stamp is local time.

/**
 * Where the ISO-ish stamp starting at `start` ends (exclusive), or -1 when there is none. It stops at the first
 * character that cannot continue the stamp, so `2026-11-23 10:00:00,123 INFO` gives the index of the space.
 */
export function isoishEnd(text: string, start = 0): number {
  const sep = text.charCodeAt(start + 4);
  if (sep !== 45 && sep !== 47) return -1; // '-' or '/'
  if (text.charCodeAt(start + 7) !== sep) return -1;
  const t = text.charCodeAt(start + 10);
  if (t !== 84 && t !== 32 && t !== 116) return -1; // 'T', ' ', 't'
  if (digits(text, start, 4) < 0 || digits(text, start + 5, 2) < 0 || digits(text, start + 8, 2) < 0) return -1;
  if (text.charCodeAt(start + 13) !== 58 || digits(text, start + 11, 2) < 0 || digits(text, start + 14, 2) < 0) return -1;
  let i = start + 16;
  if (text.charCodeAt(i) === 58) {
    if (digits(text, i + 1, 2) < 0) return -1;
    i += 3;
    const f = text.charCodeAt(i);
    if ((f === 46 || f === 44) && digitsEnd(text, i + 1) > i + 1) i = digitsEnd(text, i + 1);
  }
  return i + zoneLength(text, i);
}

/** Length of a zone designator at `i` (`Z`, `+01`, `+0100`, `+01:00`), 0 when there is none. */
function zoneLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 90 || c === 122) return 1; // 'Z' 'z'
  if (c !== 43 && c !== 45) return 0;
  if (digits(text, i + 1, 2) < 0) return 0;
  if (text.charCodeAt(i + 3) === 58) return digits(text, i + 4, 2) < 0 ? 0 : 6;
  return digits(text, i + 3, 2) < 0 ? 3 : 5;
}

/**
 * An ISO-ish stamp occupying exactly text[start, end) -> ms since the epoch; null when it is not one or names an
 * impossible date. Zone-less stamps are local time (localTime).
 */
export function parseIsoish(text: string, start = 0, end = text.length): number | null {
  if (end - start < 16 || isoishEnd(text, start) !== end) return null;
  const y = digits(text, start, 4);
  const mo = digits(text, start + 5, 2);
  const d = digits(text, start + 8, 2);
  const h = digits(text, start + 11, 2);
  const mi = digits(text, start + 14, 2);
  if (!isValidDate(y, mo, d) || h > 23 || mi > 59) return null;
  let s = 0;
  let ms = 0;
  let i = start + 16;
  if (text.charCodeAt(i) === 58) {
    s = digits(text, i + 1, 2);
    if (s > 60) return null;
    i += 3;
    const f = text.charCodeAt(i);
    if ((f === 46 || f === 44) && i + 1 < end) {
      const fe = digitsEnd(text, i + 1);
      ms = fractionMs(text, i + 1, fe);
      i = fe;
    }
  }
  if (i === end) return localTime(y, mo, d, h, mi, s, ms);
  const offset = zoneOffset(text, i);
  return offset === null ? null : zonedTime(y, mo, d, h, mi, s, ms, offset);
}

/** Minutes east of UTC of the zone designator at `i` (as zoneLength accepted it), or null. */
function zoneOffset(text: string, i: number): number | null {
  const c = text.charCodeAt(i);
  if (c === 90 || c === 122) return 0;
  const hh = digits(text, i + 1, 2);
  let mm = 0;
  if (text.charCodeAt(i + 3) === 58) mm = digits(text, i + 4, 2);
  else if (i + 3 < text.length && digits(text, i + 3, 2) >= 0) mm = digits(text, i + 3, 2);
  if (hh > 23 || mm > 59 || hh < 0 || mm < 0) return null;
  const minutes = hh * 60 + mm;
  return c === 45 ? -minutes : minutes;
}

/** Where a stamp reader puts its result; one per parser, reused for every line. */
export interface StampResult {
  time: number;
  end: number; // index just past the stamp
}
