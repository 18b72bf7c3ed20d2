// Maps the levels logs write (words, syslog/journald numeric priorities, syslog <PRI>) onto our Severity, and names
// syslog facilities. See LogRecord.level in types.ts for the mapping.
import type { Severity } from '../types.js';

/** syslog / journald priority 0-7 (emerg ... debug) -> Severity. */
const BY_PRIORITY: readonly Severity[] = ['critical', 'critical', 'critical', 'high', 'medium', 'low', 'info', 'info'];

/** syslog/journald numeric priority (0 emerg ... 7 debug) -> Severity; null outside 0-7 or not an integer. */
export function levelFromPriority(n: number): Severity | null {
  return Number.isInteger(n) && n >= 0 && n <= 7 ? BY_PRIORITY[n]! : null;
}

const BY_WORD: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['emerg', 'critical'], ['emergency', 'critical'], ['alert', 'critical'], ['crit', 'critical'],
  ['critical', 'critical'], ['fatal', 'critical'], ['panic', 'critical'],
  ['err', 'high'], ['error', 'high'], ['severe', 'high'], ['eror', 'high'],
  ['warn', 'medium'], ['warning', 'medium'],
  ['notice', 'low'],
  ['info', 'info'], ['informational', 'info'], ['information', 'info'], ['debug', 'info'], ['trace', 'info'],
  ['verbose', 'info'], ['fine', 'info'], ['finer', 'info'], ['finest', 'info'], ['dbug', 'info'],
]);

/**
 * A level word in any case ('ERROR', 'warn', 'Crit', 'emerg') -> Severity; null for anything else. Only whole words:
 * callers pass the token, without brackets or colons.
 */
export function levelFromWord(word: string): Severity | null {
  // Cheapest check first: the longest word is 13 characters; the exact spelling hits the map without allocating.
  if (word.length < 3 || word.length > 13) return null;
  return BY_WORD.get(word) ?? BY_WORD.get(word.toLowerCase()) ?? null;
}

/** syslog facility code (0-23) -> name as rsyslog prints it; index = code. */
export const FACILITIES: readonly string[] = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5',
  'local6', 'local7',
];

// Numeric strings for priority 0-7, so that records share them instead of allocating one per line.
const PRIORITY_TEXT: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7'];

/** The decimal text of a priority 0-7 (shared string), or null. */
export function priorityText(n: number): string | null {
  return Number.isInteger(n) && n >= 0 && n <= 7 ? PRIORITY_TEXT[n]! : null;
}

/**
 * The value of a syslog `<PRI>` prefix at the start of `line` (`<34>`: 1-3 digits, 0-191), or -1 when there is none.
 * The prefix ends at `line.indexOf('>') + 1`.
 */
export function readPri(line: string): number {
  if (line.charCodeAt(0) !== 60) return -1; // '<'
  let n = 0;
  let i = 1;
  for (; i < 5 && i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 62) break; // '>'
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  if (i === 1 || i === 5 || line.charCodeAt(i) !== 62 || n > 191) return -1;
  return n;
}

export interface PriInfo {
  readonly facility: string;
  readonly priority: string;
  readonly level: Severity;
  /** `{ facility, priority }`, frozen: records may share it as their fields. */
  readonly fields: Readonly<Record<string, string>>;
}

// All 192 PRI values, built once, so that records share them instead of allocating per line.
const PRI_INFO: readonly PriInfo[] = Array.from({ length: 192 }, (_, v) => {
  const facility = FACILITIES[v >> 3]!;
  const priority = PRIORITY_TEXT[v & 7]!;
  return Object.freeze({ facility, priority, level: BY_PRIORITY[v & 7]!, fields: Object.freeze({ facility, priority }) });
});

/** The facility name, priority text and level that a `<PRI>` value (0-191) says; null outside that range. */
export function splitPri(value: number): PriInfo | null {
  return PRI_INFO[value] ?? null;
}
