// Numbers, sizes, rates and durations written for people, the same way in every reporter (locale-independent).
import { sanitize } from '../text/sanitize.js';

/** 1234567 -> "1,234,567". Fixed separator so that output does not depend on the user's locale. */
export function formatCount(n: number): string {
  const digits = String(Math.round(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? '-' + out : out;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Decimal units, one decimal past bytes: 512 -> "512 B", 12_345_678 -> "12.3 MB". */
export function formatBytes(n: number): string {
  let v = n;
  let unit = 0;
  while (v >= 999.95 && unit < BYTE_UNITS.length - 1) {
    v /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** A short count for rates: 950 -> "950", 4_520 -> "4.5k", 456_000 -> "456k", 1_230_000 -> "1.2M". */
export function formatCompact(n: number): string {
  if (n < 999.5) return String(Math.round(n));
  const [v, suffix] = n < 999_500 ? [n / 1e3, 'k'] : n < 999_500_000 ? [n / 1e6, 'M'] : [n / 1e9, 'G'];
  return (v < 9.95 ? v.toFixed(1) : String(Math.round(v))) + suffix;
}

/** Two units at most, the larger first: "45s", "3m 05s", "1h 02m", "2d 03h". */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad2(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${pad2(m % 60)}m`;
  return `${Math.floor(h / 24)}d ${pad2(h % 24)}h`;
}

/** part / whole as a percentage with one decimal at most: "4.5%", "50%", "<0.1%" (never "0%" for a non-zero part). */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const p = (part / whole) * 100;
  if (p < 0.05) return '<0.1%';
  return `${Number(p.toFixed(1))}%`;
}

/** `word` with an s unless n is 1: plural(1, 'line') -> "1 line", plural(3, 'line') -> "3 lines". */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** sanitize() and cut to `max` characters keeping the end, for paths: "…nginx/access.log.2.gz". */
export function clipStart(text: string, max: number): string {
  const s = sanitize(text);
  if (s.length <= max) return s;
  return max <= 1 ? '…' : '…' + s.slice(s.length - (max - 1));
}

// Exactly the shape toISOString() writes (milliseconds optional); anything else is shown as it is.
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z$/;

/** "2026-11-23T10:00:05.000Z" -> "2026-11-23 10:00:05" (UTC): what people read. Other text is only sanitized. */
export function shortTime(iso: string): string {
  return ISO_UTC.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : sanitize(iso);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
