// BSD syslog stamps (`Nov 23 10:00:00`) for the syslog-style formats, and a reader that remembers the last minute.
import { copyString } from './intern.js';
import { clockSeconds, digits, digitsEnd, fractionMs, isValidDate, localTime, monthFromName, type StampResult } from './time.js';

// BSD syslog stamps: `Nov 23 10:00:00`, `Nov  3 10:00:00` (day padded with a space), `Nov 3 10:00:00`, optionally
// with a year (`Nov 23 2026 10:00:00`, Cisco and some appliances) and fraction digits (`10:00:00.123456`,
// journalctl short-precise and syslog-ng frac-digits).

/**
 * Reads a BSD stamp at `start`. `years` resolves the year when the stamp has none (see yearResolver). Fraction digits
 * are accepted only with `fraction`. Returns false (leaving `out` unspecified) when there is no valid stamp.
 */
export function readBsdStamp(text: string, start: number, years: (month: number, day: number) => number, fraction: boolean, out: StampResult): boolean {
  return readBsdClock(text, start, years, fraction, out) >= 0;
}

/** readBsdStamp, returning the index of the stamp's `hh:mm:ss` instead of true, -1 instead of false. */
function readBsdClock(text: string, start: number, years: (month: number, day: number) => number, fraction: boolean, out: StampResult): number {
  const mo = monthFromName(text, start);
  if (mo === 0 || text.charCodeAt(start + 3) !== 32) return -1;
  let i = start + 4;
  if (text.charCodeAt(i) === 32) i++;
  const d1 = digits(text, i, 1);
  if (d1 < 0) return -1;
  const d2 = digits(text, i + 1, 1);
  const d = d2 < 0 ? d1 : d1 * 10 + d2;
  i += d2 < 0 ? 1 : 2;
  if (text.charCodeAt(i) !== 32) return -1;
  i++;
  let y = 0;
  if (text.charCodeAt(i + 4) === 32 && text.charCodeAt(i + 2) !== 58) {
    y = digits(text, i, 4);
    if (y < 1970) return -1;
    i += 5;
  }
  const secs = clockSeconds(text, i);
  if (secs < 0) return -1;
  const end = secondsEnd(text, i + 8, fraction);
  if (end < 0) return -1;
  if (y === 0) y = years(mo, d);
  if (y === 0 || !isValidDate(y, mo, d)) return -1;
  const h = (secs / 3600) | 0;
  const mi = ((secs % 3600) / 60) | 0;
  out.time = localTime(y, mo, d, h, mi, secs % 60, fractionAt(text, i + 8, end));
  out.end = end;
  return i;
}

/** Index past the optional `.frac` at `i` (just after the seconds), or -1 when it is not allowed or has no digits. */
function secondsEnd(text: string, i: number, fraction: boolean): number {
  if (text.charCodeAt(i) !== 46) return i;
  if (!fraction) return -1;
  const fe = digitsEnd(text, i + 1);
  return fe === i + 1 ? -1 : fe;
}

/** Milliseconds of the fraction in [i, end) as secondsEnd accepted it (0 when there is none). */
function fractionAt(text: string, i: number, end: number): number {
  return end === i ? 0 : fractionMs(text, i + 1, end);
}

/** A BSD stamp reader bound to one year resolver: readBsdStamp(text, start, years, fraction, out). */
export type BsdStampReader = (text: string, start: number, out: StampResult) => boolean;

/**
 * readBsdStamp with a one-minute memo. Consecutive lines share their stamp up to the minute (`Mar  2 00:59`): when a
 * line starts with the same text, only its seconds are read and added to the minute's time (localTime adds them the
 * same way, so the sum is the same number). Second 60 (a leap second) takes the full path. One per parser: the year
 * depends on the parser's reference.
 */
export function bsdStampReader(years: (month: number, day: number) => number, fraction: boolean): BsdStampReader {
  let prefix = ''; // the last stamp read in full, up to its minute, copied; '' before the first
  let minuteMs = 0;
  return (text: string, start: number, out: StampResult): boolean => {
    const c = start + prefix.length; // where that stamp's `:ss` was
    // A slice and === (a memcmp) are cheaper here than comparing a dozen characters one by one.
    if (prefix !== '' && text.charCodeAt(c) === 58 && text.slice(start, c) === prefix) {
      const s = digits(text, c + 1, 2);
      if (s >= 0 && s < 60) {
        const end = secondsEnd(text, c + 3, fraction);
        if (end < 0) return false;
        out.time = minuteMs + s * 1000 + fractionAt(text, c + 3, end);
        out.end = end;
        return true;
      }
    }
    const clock = readBsdClock(text, start, years, fraction, out);
    if (clock < 0) return false;
    const s = digits(text, clock + 6, 2);
    if (s < 60) {
      prefix = copyString(text.slice(start, clock + 5));
      minuteMs = out.time - s * 1000 - fractionAt(text, clock + 8, out.end);
    }
    return true;
  };
}
