// Keys the detectors group by: event time (with a fallback for lines without one), the network of an address.
import { copyString } from '../formats/intern.js';
import { digits } from '../formats/time.js';
import type { SecurityEvent } from '../types.js';

const OCTET = /^\d{1,3}$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;
const LEADING_ZEROS = /^0+(?=.)/;

/** The /24 of an IPv4 address or the /64 of an IPv6 one, as text; null for anything else (a host name). */
export function subnetOf(ip: string): string | null {
  if (ip.includes(':')) return ipv6Prefix64(ip);
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  for (const p of parts) if (!OCTET.test(p) || Number(p) > 255) return null;
  return `${parts[0]}.${parts[1]}.${parts[2]}.0/24`;
}

function ipv6Prefix64(ip: string): string | null {
  const zone = ip.indexOf('%');
  const addr = (zone >= 0 ? ip.slice(0, zone) : ip).toLowerCase();
  const halves = addr.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1]!.split(':') : [];
  if (head.length + tail.length > 8 || (halves.length === 1 && head.length !== 8)) return null;
  const groups = [...head, ...new Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  for (const g of groups) if (!HEX_GROUP.test(g)) return null;
  return `${groups.slice(0, 4).map((g) => g.replace(LEADING_ZEROS, '')).join(':')}::/64`;
}

/**
 * Event time in ms. An event without a time takes the last time seen in its file (a continuation line, an
 * application that logs no timestamp), so that it still lands in the right windows; none yet: null (not counted).
 */
export function createEventClock(): (e: SecurityEvent) => number | null {
  const times = createFileTimes();
  const parse = createIsoParser();
  return (e) => {
    if (e.time !== null) {
      const t = parse(e.time);
      if (Number.isNaN(t)) return times.get(e.file) ?? null;
      times.set(e.file, t);
      return t;
    }
    return times.get(e.file) ?? null;
  };
}

export interface FileTimes {
  /** The time last set for the file. */
  get(file: string): number | undefined;
  set(file: string, t: number): void;
}

/**
 * The last time seen per file, for lines and events without one. Set on every line or event, and nearly always for
 * the file set last: that file's entry is held aside, so that a set is a compare and a store, not a Map write. At
 * most 1024 files (watch mode sees new files forever): a new file past that starts the table afresh.
 */
export function createFileTimes(): FileTimes {
  const byFile = new Map<string, { t: number }>();
  let lastFile: string | null = null;
  let last: { t: number } = { t: NaN };
  return {
    // null tested apart from the string compare: a compare with null-or-string is compiled as a generic one
    get: (file) => (lastFile !== null && file === lastFile ? last.t : byFile.get(file)?.t),
    set(file, t) {
      if (lastFile === null || file !== lastFile) {
        let box = byFile.get(file);
        if (box === undefined) {
          if (byFile.size > 1024) byFile.clear();
          box = { t };
          byFile.set(file, box);
        }
        lastFile = file;
        last = box;
      }
      last.t = t;
    },
  };
}

const DAY_PREFIX = 11; // `2026-03-02T`
const ISO_LENGTH = 24; // `2026-03-02T00:00:08.000Z`, what toISOString writes and events carry

/**
 * Date.parse, without its cost for the one shape events carry: the day is parsed once (by Date.parse) and kept, the
 * time of day is read digit by digit. Anything else, or a value Date.parse would refuse (hour 24, second 60), goes
 * to Date.parse, so the result is always Date.parse's.
 */
export function createIsoParser(): (s: string) => number {
  let day = '';
  let dayMs = NaN;
  // The last answer: the events of one line, and lines of one second, carry equal strings (a compare, no parse).
  let lastIso = '';
  let lastMs = NaN;
  return (s) => {
    if (s === lastIso) return lastMs;
    const t = parseIso(s);
    lastIso = s;
    lastMs = t;
    return t;
  };

  function parseIso(s: string): number {
    if (s.length !== ISO_LENGTH || s.charCodeAt(10) !== 0x54 || s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a
      || s.charCodeAt(19) !== 0x2e || s.charCodeAt(23) !== 0x5a) return Date.parse(s);
    const h = digits(s, 11, 2);
    const m = digits(s, 14, 2);
    const sec = digits(s, 17, 2);
    const ms = digits(s, 20, 3);
    // digits() is -1 for a non-digit
    if (h < 0 || m < 0 || sec < 0 || ms < 0 || h > 23 || m > 59 || sec > 59) return Date.parse(s);
    if (day === '' || !sameDay(s, day)) {
      const d = Date.parse(s.slice(0, DAY_PREFIX) + '00:00:00.000Z');
      if (Number.isNaN(d)) return Date.parse(s);
      day = copyString(s.slice(0, DAY_PREFIX));
      dayMs = d;
    }
    return dayMs + h * 3_600_000 + m * 60_000 + sec * 1000 + ms;
  }
}

/**
 * s.startsWith(day) for the 11-character day prefix, compared from its end (the day digits are what changes), without
 * the call to startsWith: run once per distinct time string.
 */
function sameDay(s: string, day: string): boolean {
  for (let i = DAY_PREFIX - 1; i >= 0; i--) if (s.charCodeAt(i) !== day.charCodeAt(i)) return false;
  return true;
}

export function isoTime(t: number): string {
  return new Date(t).toISOString();
}

/** 10m, 1h30m, 90s: for alert titles. */
export function shortDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
