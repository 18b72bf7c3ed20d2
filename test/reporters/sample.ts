// Test builders for the counter and reporter tests: records, events, alerts with every field written out, and a
// synchronous in-memory stream whose text can be read right after a write.
import { Writable } from 'node:stream';
import { createStyle } from '../../src/text/style.js';
import type { Alert, Io, LogRecord, SecurityEvent, SourceSummary, Summary } from '../../src/types.js';
import { memoryIo } from '../helpers/io.js';

export const plain = await createStyle(false);
export const colour = await createStyle(true);

export function record(file: string, line = 1): LogRecord {
  return {
    file, line, format: 'syslog-3164', time: null, host: null, program: null, pid: null, level: null,
    message: 'message', fields: {}, raw: 'message',
  };
}

/** timeMs follows the time given (Date.parse), unless given too. */
export function event(over: Partial<SecurityEvent> = {}): SecurityEvent {
  const time = over.time === undefined ? '2026-11-23T10:00:00.000Z' : over.time;
  return {
    type: 'auth.failure', severity: 'medium', outcome: 'failure', time, timeMs: time === null ? null : Date.parse(time),
    source: { ip: '203.0.113.9', port: 52144 }, user: 'root', host: 'srv1', program: 'sshd', pid: 4242, phone: null,
    rule: 'sshd.failed_password', message: 'Failed password for root from 203.0.113.9 port 52144 ssh2',
    file: '/var/log/auth.log', line: 1,
    ...over,
  };
}

export function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'brute_force', severity: 'high', key: '203.0.113.9', title: 'SSH brute force', count: 12,
    first: '2026-11-23T10:00:00.000Z', last: '2026-11-23T10:04:00.000Z',
    evidence: [{ file: '/var/log/auth.log', line: 7, message: 'Failed password for root from 203.0.113.9 port 52144 ssh2' }],
    ...over,
  };
}

/** What the pipeline emits on sourceEnd: only format and bytes carry information. */
export function sourceEnd(name: string, format: string | null, bytes: number): SourceSummary {
  return { name, format, bytes, lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0 };
}

export function emptySummary(): Summary {
  return {
    sources: [], problems: [],
    totals: { lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0, bytes: 0 },
    byType: [], bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
    topSources: [], topUsers: [], topHosts: [], approximate: false, maxKeys: 10_000,
    firstTime: null, lastTime: null, alerts: [],
  };
}

export interface Sink {
  stream: NodeJS.WritableStream & { columns?: number };
  text(): string;
  writes(): string[];
}

/** A stream that keeps every write, synchronously, so tests can look right after an emit. */
export function sink(): Sink {
  const chunks: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _enc, done) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join(''), writes: () => [...chunks] };
}

/** An Io whose stdout and stderr are sinks. */
export function sinkIo(): { io: Io; out: Sink; err: Sink } {
  const out = sink();
  const err = sink();
  return { io: { ...memoryIo(), out: out.stream, err: err.stream }, out, err };
}
