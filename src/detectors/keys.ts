// Keys the detectors group by: event time (with a fallback for lines without one), the network of an address.
import { createIsoFormatter } from '../rules/event.js';
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
  return (e) => {
    const t = e.timeMs; // null when the event has no time or an unreadable one
    if (t === null) return times.get(e.file) ?? null;
    times.set(e.file, t);
    return t;
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

// Alert times through the event builder's formatter: the same text as toISOString (a property test says so) from
// tables, without a Date per call (~2 µs each, two per alert). Outside the Date range toISOString throws, as before.
const formatIso = createIsoFormatter();

export function isoTime(t: number): string {
  return formatIso(t) ?? new Date(t).toISOString();
}

/** 10m, 1h30m, 90s: for alert titles. */
export function shortDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
