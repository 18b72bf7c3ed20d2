// Parsers for option values shared by the commands. Each turns a flag's text into a typed value or throws a
// UsageError that names the flag, the bad value and what would be right.
import { UsageError } from '../errors.js';
import { SEVERITIES, isSeverity, type Severity } from '../types.js';

export function parseSeverity(flag: string, value: string): Severity {
  const v = value.toLowerCase();
  if (isSeverity(v)) return v;
  throw new UsageError(`${flag}: unknown severity '${value}'`, { hint: `use one of: ${SEVERITIES.join(', ')}` });
}

export function parseCount(flag: string, value: string, min = 1, max = 1_000_000_000): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: '${value}' is not a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag}: ${n} is out of range (${min} to ${max})`);
  return n;
}

/** A size such as 1048576, 64k, 1m (binary units). */
export function parseSize(flag: string, value: string, min: number, max: number): number {
  const m = /^(\d+)([kmg]?)(i?b)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`${flag}: '${value}' is not a size`, { hint: 'write bytes, or a number with k, m or g (e.g. 1m)' });
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Number(m[1]) * unit;
  if (n < min || n > max) throw new UsageError(`${flag}: ${value} is out of range (${min} to ${max} bytes)`);
  return n;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A point in time: an ISO 8601 date or date-time (a date alone is midnight UTC), or a duration before now such as
 * 30m, 24h, 7d, 2w. Returns ms since the epoch.
 */
export function parseTimeBound(flag: string, value: string, now: Date): number {
  const rel = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  if (rel) return now.getTime() - Number(rel[1]) * UNITS[rel[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const t = Date.parse(value.trim().replace(' ', 'T'));
    if (!Number.isNaN(t)) return t;
  }
  throw new UsageError(`${flag}: cannot read '${value}' as a time`, {
    hint: 'use an ISO date such as 2026-11-23 or 2026-11-23T10:00:00Z, or a duration before now such as 30m, 24h, 7d',
  });
}
