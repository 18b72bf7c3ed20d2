// --json: one JSON object per line on stdout (events and alerts as they come, the summary last). Keeps the exact
// original text: JSON.stringify escapes control characters and lone surrogates, so the output stays valid UTF-8.
import type { Bus } from '../bus.js';
import type { Alert, Io, SecurityEvent, Summary } from '../types.js';

/**
 * Lines are gathered and written once per turn of the event loop (or every 64 KiB): one write per event costs a
 * syscall each (about 6x slower to a file). stdout to a file, pipe or terminal is synchronous on Linux, so a slow
 * reader slows the scan instead of growing a queue; we do not wait for 'drain' (bus listeners are synchronous), and
 * what we hold ourselves never exceeds FLUSH_AT plus one line.
 */
export const FLUSH_AT = 64 * 1024;

// U+2028/U+2029 are valid inside JSON strings but end lines for some line readers (and for JavaScript before ES2019).
const LINE_SEPARATORS = /[\u2028\u2029]/g;

export function attachNdjson(bus: Bus, io: Io): { finish(summary: Summary): void } {
  const out = createLineWriter(io.out);
  bus.on('event', (e) => out.write(eventLine(e)));
  bus.on('alert', (a) => out.write(alertLine(a)));
  return {
    finish(summary: Summary): void {
      out.write(toLine({ kind: 'summary', ...summary }));
      out.flush();
    },
  };
}

/** The keys, in this order, are the documented NDJSON contract; adding one is a change to announce. */
export function eventLine(e: SecurityEvent): string {
  return toLine({
    kind: 'event',
    type: e.type,
    severity: e.severity,
    outcome: e.outcome,
    time: e.time,
    source: { ip: e.source.ip, port: e.source.port },
    user: e.user,
    host: e.host,
    program: e.program,
    pid: e.pid,
    phone: e.phone,
    rule: e.rule,
    message: e.message,
    file: e.file,
    line: e.line,
    // sigma.match events only: the Sigma rule's id, title, level and tags (documented in the README's JSON schema)
    ...(e.sigma === undefined ? {} : { sigma: e.sigma }),
  });
}

export function alertLine(a: Alert): string {
  return toLine({
    kind: 'alert',
    id: a.id,
    severity: a.severity,
    key: a.key,
    title: a.title,
    count: a.count,
    first: a.first,
    last: a.last,
    evidence: a.evidence.map((x) => ({ file: x.file, line: x.line, message: x.message })),
  });
}

export function toLine(value: object): string {
  const json = JSON.stringify(value);
  return (json.includes('\u2028') || json.includes('\u2029') ? json.replace(LINE_SEPARATORS, escapeSeparator) : json) + '\n';
}

function escapeSeparator(c: string): string {
  return c === '\u2028' ? '\\u2028' : '\\u2029';
}

export interface LineWriter {
  write(line: string): void;
  flush(): void;
}

export function createLineWriter(stream: NodeJS.WritableStream): LineWriter {
  let pending = '';
  let scheduled: NodeJS.Immediate | null = null;
  const flush = (): void => {
    if (scheduled !== null) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    if (stream.writable) stream.write(chunk); // once the reader is gone (EPIPE) the scan is stopping: drop
  };
  return {
    write(line: string): void {
      pending += line;
      if (pending.length >= FLUSH_AT) flush();
      else if (scheduled === null) scheduled = setImmediate(flush);
    },
    flush,
  };
}
