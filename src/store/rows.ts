// Events and alerts as rows of the store, and the statements a scan writes with: the one place that knows the
// column order.
import type Database from 'better-sqlite3';
import type { Alert, SecurityEvent } from '../types.js';
import type { Db } from './db.js';

export type EventRow = [
  type: string, severity: string, outcome: string, time: string | null, ip: string | null, port: number | null,
  user: string | null, host: string | null, program: string | null, pid: number | null, phone: string | null,
  phoneDigits: string | null, rule: string, message: string, file: string, line: number, sigma: string | null,
  raw: string | null, stored: string,
];

export type AlertRow = [
  detector: string, severity: string, key: string, title: string, count: number, first: string | null,
  last: string | null, evidence: string, stored: string,
];

/** A request answered 404 that web_scan counted (schema.ts, not_found). */
export type NotFoundRow = [time: string, ip: string, file: string, line: number, message: string, stored: string];

/** Index of the line number in an EventRow and in a NotFoundRow (FileTracker cuts its pending rows by line). */
export const EVENT_LINE = 15;
export const NOT_FOUND_LINE = 3;

const NON_DIGIT = /\D+/g;

/** Digits only, and an international 00 prefix dropped: what phone lookups compare. */
export function phoneDigits(phone: string): string {
  const d = phone.replace(NON_DIGIT, '');
  return d.startsWith('00') ? d.slice(2) : d;
}

export function eventRow(e: SecurityEvent, file: string, raw: string | null, stored: string): EventRow {
  return [
    e.type, e.severity, e.outcome, e.time, e.source.ip, e.source.port, e.user, e.host, e.program, e.pid, e.phone,
    e.phone === null ? null : phoneDigits(e.phone), e.rule, e.message, file, e.line,
    e.sigma === undefined ? null : JSON.stringify(e.sigma), raw, stored,
  ];
}

/** `t`: the time web_scan counted the request at (ms); `file`: as stored in events.file. */
export function notFoundRow(ip: string, t: number, file: string, line: number, message: string, stored: string): NotFoundRow {
  return [new Date(t).toISOString(), ip, file, line, message, stored];
}

export function alertRow(a: Alert, stored: string): AlertRow {
  return [a.id, a.severity, a.key, a.title, a.count, a.first, a.last, JSON.stringify(a.evidence), stored];
}

/** Every statement a scan writes with, prepared once per run (preparing costs more than running). */
export interface Writes {
  event(row: EventRow, cursorId: number | null): void;
  notFound(row: NotFoundRow): void;
  alert(row: AlertRow): void;
  insertCursor(path: string, dev: string, ino: string, size: number, offset: number, lines: number, fingerprint: string, fpLen: number,
    whole: number, format: string | null, events: number, updated: string): Database.RunResult;
  /** Compare-and-set on the version: no change means another writer moved the cursor. */
  updateCursor(path: string, size: number, offset: number, lines: number, fingerprint: string, fpLen: number, format: string | null,
    events: number, updated: string, id: number, version: number): Database.RunResult;
  retire(ids: readonly number[]): void;
  /** Adds lines read from `file` to its counts (a row is made for a new file). */
  addFile(file: string, lines: number, parsed: number, unparsed: number, skipped: number, truncated: number, format: string | null, updated: string): void;
}

export function prepareWrites(db: Db): Writes {
  const ev = db.prepare<[...EventRow, number | null]>(`INSERT INTO events
    (type, severity, outcome, time, ip, port, user, host, program, pid, phone, phone_digits, rule, message, file, line, sigma, raw, stored, cursor_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const nf = db.prepare<NotFoundRow>('INSERT INTO not_found (time, ip, file, line, message, stored) VALUES (?, ?, ?, ?, ?, ?)');
  const al = db.prepare<AlertRow>(`INSERT INTO alerts (detector, severity, key, title, count, first, last, evidence, stored)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertCursor = db.prepare<Parameters<Writes['insertCursor']>>(`INSERT OR IGNORE INTO cursors
    (path, dev, ino, size, offset, lines, fingerprint, fp_len, whole, format, events, version, updated)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`);
  const updateCursor = db.prepare<Parameters<Writes['updateCursor']>>(`UPDATE cursors SET path = ?, size = ?, offset = ?, lines = ?,
    fingerprint = ?, fp_len = ?, format = coalesce(?, format), events = events + ?, version = version + 1, updated = ?, retired = 0
    WHERE id = ? AND version = ?`);
  const addFile = db.prepare<Parameters<Writes['addFile']>>(`INSERT INTO files (file, lines, parsed, unparsed, skipped, truncated, format, updated)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (file) DO UPDATE SET lines = lines + excluded.lines, parsed = parsed + excluded.parsed, unparsed = unparsed + excluded.unparsed,
      skipped = skipped + excluded.skipped, truncated = truncated + excluded.truncated, format = coalesce(excluded.format, format),
      updated = excluded.updated`);
  return {
    event: (row, cursorId) => { ev.run(...row, cursorId); },
    notFound: (row) => { nf.run(...row); },
    alert: (row) => { al.run(...row); },
    insertCursor: (...a) => insertCursor.run(...a),
    updateCursor: (...a) => updateCursor.run(...a),
    // once per file and run, with a variable number of ids: not worth a prepared statement
    retire: (ids) => { db.prepare(`UPDATE cursors SET retired = 1 WHERE id IN (${ids.map(() => '?').join(', ')})`).run(...ids); },
    addFile: (...a) => { addFile.run(...a); },
  };
}
