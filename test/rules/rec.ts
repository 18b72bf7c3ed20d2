// Test helper: a LogRecord built by hand, with the defaults a syslog line would have; override what matters.
import type { LogRecord } from '../../src/types.js';

export function rec(over: Partial<LogRecord>): LogRecord {
  return {
    raw: over.message ?? '',
    file: 'test.log',
    line: 1,
    format: 'syslog',
    time: Date.UTC(2026, 10, 23, 3, 14, 22),
    host: 'web-01',
    program: null,
    pid: null,
    level: null,
    message: '',
    fields: {},
    ...over,
  };
}
