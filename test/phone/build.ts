// Test helpers for the phone commands' modules: a record, an event and a line context built by hand.
import type { LineContext } from '../../src/phone/occurrence.js';
import type { LogRecord, SecurityEvent } from '../../src/types.js';

/** 2026-11-23 10:00:00 UTC plus `seconds`. */
export function at(seconds: number): number {
  return Date.UTC(2026, 10, 23, 10, 0, 0) + seconds * 1000;
}

export function record(over: Partial<LogRecord> = {}): LogRecord {
  const message = over.message ?? '';
  return {
    raw: over.raw ?? message,
    file: 'app.log',
    line: 1,
    format: 'python',
    time: at(0),
    host: null,
    program: 'flask',
    pid: null,
    level: 'info',
    message,
    fields: {},
    ...over,
  };
}

export function event(over: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    type: 'auth.otp_request',
    severity: 'info',
    outcome: 'unknown',
    time: null,
    timeMs: null,
    source: { ip: null, port: null },
    user: null,
    host: null,
    program: null,
    pid: null,
    phone: null,
    rule: 'test',
    message: '',
    file: 'app.log',
    line: 1,
    ...over,
  };
}

export function context(over: Partial<LineContext> = {}): LineContext {
  return {
    file: 'app.log',
    line: 1,
    time: at(0),
    what: 'SMS code',
    types: ['auth.otp_request'],
    actions: ['sms'],
    ip: null,
    port: null,
    user: null,
    device: null,
    agent: null,
    origin: 'app.log\u0000flask',
    ...over,
  };
}
