// Events and alerts as rows of the store, and back: the one place that knows the column order.
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

export function alertRow(a: Alert, stored: string): AlertRow {
  return [a.id, a.severity, a.key, a.title, a.count, a.first, a.last, JSON.stringify(a.evidence), stored];
}

export interface Inserters {
  event(row: EventRow, cursorId: number | null): void;
  alert(row: AlertRow): void;
}

export function prepareInserters(db: Db): Inserters {
  const ev = db.prepare<[...EventRow, number | null]>(`INSERT INTO events
    (type, severity, outcome, time, ip, port, user, host, program, pid, phone, phone_digits, rule, message, file, line, sigma, raw, stored, cursor_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const al = db.prepare<AlertRow>(`INSERT INTO alerts (detector, severity, key, title, count, first, last, evidence, stored)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return {
    event: (row, cursorId) => { ev.run(...row, cursorId); },
    alert: (row) => { al.run(...row); },
  };
}
