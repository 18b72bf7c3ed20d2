// Reading the store back: what the summary counts of the events, and the alerts (for `audit report`), the events of
// one phone number through the phone index (for `audit phone N --db`), and the lines read per file.
import { timeMsOfIso } from '../rules/event.js';
import type { Alert, EventType, Outcome, SecurityEvent, Severity, SigmaInfo } from '../types.js';
import type { Db } from './db.js';
import { phoneDigits } from './rows.js';

export interface TimeWindow {
  /** ISO 8601 UTC bounds on the event's time (the time it was stored, for lines without one); null: open. */
  since: string | null;
  until: string | null;
}

interface EventRecord {
  type: string; severity: string; outcome: string; time: string | null; ip: string | null; port: number | null;
  user: string | null; host: string | null; program: string | null; pid: number | null; phone: string | null;
  rule: string; message: string; file: string; line: number; sigma: string | null; raw: string | null; stored: string;
}

const WHEN = 'coalesce(time, stored)';

function windowSql(w: TimeWindow, column: string): { where: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (w.since !== null) { parts.push(`${column} >= ?`); params.push(w.since); }
  if (w.until !== null) { parts.push(`${column} <= ?`); params.push(w.until); }
  return { where: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, params };
}

export function toEvent(r: EventRecord): SecurityEvent {
  const e: SecurityEvent = {
    type: r.type as EventType, severity: r.severity as Severity, outcome: r.outcome as Outcome, time: r.time, timeMs: timeMsOfIso(r.time),
    source: { ip: r.ip, port: r.port }, user: r.user, host: r.host, program: r.program, pid: r.pid, phone: r.phone,
    rule: r.rule, message: r.message, file: r.file, line: r.line,
  };
  if (r.sigma !== null) e.sigma = JSON.parse(r.sigma) as SigmaInfo;
  return e;
}

/**
 * What the summary's counter reads of each stored event in the window (counter.ts onEvent: type, severity, outcome,
 * time, address, account, host, message, file), in the order it was stored; the other fields are left empty, so these
 * events are for counting only. Nine columns as arrays instead of every column as an object: `audit report` on a
 * store of 386,280 events read them in 0.8 s instead of 2.8 s.
 */
export function* countedEvents(db: Db, w: TimeWindow): Generator<SecurityEvent> {
  const { where, params } = windowSql(w, WHEN);
  const rows = db.prepare(`SELECT type, severity, outcome, time, ip, user, host, message, file FROM events ${where} ORDER BY id`).raw(true);
  for (const r of rows.iterate(...params) as IterableIterator<[string, string, string, string | null, string | null, string | null, string | null, string, string]>) {
    yield {
      type: r[0] as EventType, severity: r[1] as Severity, outcome: r[2] as Outcome, time: r[3], timeMs: timeMsOfIso(r[3]),
      source: { ip: r[4], port: null }, user: r[5], host: r[6], program: null, pid: null, phone: null, rule: '', message: r[7], file: r[8], line: 0,
    };
  }
}

/** Stored alerts whose last event (or storing time) is in the window, one at a time (a long history holds many). */
export function* storedAlerts(db: Db, w: TimeWindow): Generator<Alert> {
  const { where, params } = windowSql(w, 'coalesce(last, stored)');
  const rows = db.prepare(`SELECT * FROM alerts ${where} ORDER BY id`).iterate(...params) as IterableIterator<{
    detector: string; severity: string; key: string; title: string; count: number; first: string | null; last: string | null; evidence: string;
  }>;
  for (const r of rows) {
    yield {
      id: r.detector, severity: r.severity as Severity, key: r.key, title: r.title, count: r.count, first: r.first, last: r.last,
      evidence: JSON.parse(r.evidence) as Alert['evidence'],
    };
  }
}

/** Lines read to date from one file, and how they were accounted for. */
export interface FileCounts {
  file: string;
  lines: number;
  parsed: number;
  unparsed: number;
  skipped: number;
  truncated: number;
  format: string | null;
}

/** Every file the store has read lines from, in the order it was first read. */
export function fileCounts(db: Db): FileCounts[] {
  return db.prepare('SELECT file, lines, parsed, unparsed, skipped, truncated, format FROM files ORDER BY rowid').all() as FileCounts[];
}

export interface PhoneOccurrence {
  event: SecurityEvent;
  /** The whole line, when the scan stored lines (--store-lines); else null. */
  raw: string | null;
}

/**
 * The stored events whose phone field is one of `numbers`, compared by digits (an international 00 prefix dropped),
 * oldest first: pass every written form the caller accepts for one number, e.g. ['+8613888888888', '13888888888'].
 * Answered from the phone index: no log is read.
 */
/**
 * Stored events that used another phone number from one of these addresses: what links other numbers to the one
 * `audit phone --db` asks about. At most `limit` rows.
 */
export function phonesFromAddresses(db: Db, ips: readonly string[], exceptNumbers: readonly string[], limit = 10_000): SecurityEvent[] {
  if (ips.length === 0) return [];
  const except = [...new Set(exceptNumbers.map(phoneDigits).filter((d) => d.length > 0))];
  const rows = db.prepare(`SELECT * FROM events WHERE ip IN (${ips.map(() => '?').join(', ')}) AND phone_digits IS NOT NULL
    AND phone_digits NOT IN (${except.map(() => '?').join(', ') || "''"}) ORDER BY ${WHEN}, id LIMIT ?`).all(...ips, ...except, limit) as EventRecord[];
  return rows.map(toEvent);
}

export function phoneOccurrences(db: Db, numbers: readonly string[]): PhoneOccurrence[] {
  const digits = [...new Set(numbers.map(phoneDigits).filter((d) => d.length > 0))];
  if (digits.length === 0) return [];
  const rows = db.prepare(`SELECT * FROM events WHERE phone_digits IN (${digits.map(() => '?').join(', ')})
    ORDER BY ${WHEN}, id`).all(...digits) as EventRecord[];
  return rows.map((r) => ({ event: toEvent(r), raw: r.raw }));
}
