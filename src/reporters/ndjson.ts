// --json: one JSON object per line on stdout (events and alerts as they come, the summary last). Keeps the exact
// original text: JSON.stringify escapes control characters and lone surrogates, so the output stays valid UTF-8.
import type { Bus } from '../bus.js';
import type { Alert, Io, SecurityEvent, Summary } from '../types.js';

/**
 * Lines are gathered and written once per turn of the event loop (or every 64 KiB): one write per event costs a
 * syscall each (about 6x slower to a file). Bus listeners are synchronous, so they cannot wait for 'drain': when the
 * stream is blocked, batches queue here and the pipeline pauses reading (blocked()) until they are written.
 */
export const FLUSH_AT = 64 * 1024;

// U+2028/U+2029 are valid inside JSON strings but end lines for some line readers (and for JavaScript before ES2019).
const LINE_SEPARATORS = /[\u2028\u2029]/g;

export interface NdjsonReporter {
  /** null while stdout takes writes; else settles once it drained: the pipeline waits on it between chunks. */
  blocked(): Promise<void> | null;
  /** Writes the summary line (everything before it is handed to stdout at once); settles once stdout drained. */
  finish(summary: Summary): Promise<void>;
}

export function attachNdjson(bus: Bus, io: Io): NdjsonReporter {
  const out = createLineWriter(io.out);
  bus.on('event', (e) => out.write(eventLine(e)));
  bus.on('alert', (a) => out.write(alertLine(a)));
  return {
    blocked: () => out.blocked(),
    finish(summary: Summary): Promise<void> {
      out.write(toLine({ kind: 'summary', ...summary }));
      return out.drained();
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
  /** Adds one line; lines are handed to the stream in batches (see FLUSH_AT). */
  write(line: string): void;
  /** Hands everything held to the stream now, whatever its state: the end of an output that is bounded already. */
  flush(): void;
  /** null while the stream takes writes; else a promise that settles once what we queued is written (or dropped). */
  blocked(): Promise<void> | null;
  /** Flushes, then settles once the stream has written everything (or went away: EPIPE, closed). */
  drained(): Promise<void>;
  /** Characters held here, gathered and queued (not counting the stream's own buffer). */
  held(): number;
}

type Sink = NodeJS.WritableStream & { writableNeedDrain?: boolean; writableLength?: number };

/**
 * Batches lines and respects backpressure: once stream.write() says false, further batches wait in an array (never
 * one growing string) and go out one at a time on 'drain'. A caller that reads input checks blocked() between
 * chunks, so what waits here stays bounded by what one chunk of input produces.
 */
export function createLineWriter(stream: NodeJS.WritableStream): LineWriter {
  const sink = stream as Sink;
  let pending = '';
  let scheduled: NodeJS.Immediate | null = null;
  const queue: string[] = []; // batches written one at a time on 'drain', in order
  let queuedChars = 0;
  let waiting: Promise<void> | null = null;
  let release: (() => void) | null = null;

  const listen = (): void => {
    sink.once('drain', onDrain);
    sink.once('close', drop);
    sink.once('error', drop); // the reader went away (EPIPE): 'drain' never comes
  };
  const unlisten = (): void => {
    sink.off('drain', onDrain);
    sink.off('close', drop);
    sink.off('error', drop);
  };
  const block = (): void => {
    if (waiting !== null) return; // already listening
    waiting = new Promise<void>((resolve) => { release = resolve; });
    listen();
  };
  const unblock = (): void => {
    unlisten();
    const r = release;
    waiting = release = null;
    if (r !== null) r();
  };
  function drop(): void {
    queue.length = queuedChars = 0; // the scan is stopping: nobody reads what is left
    unblock();
  }
  function onDrain(): void {
    unlisten();
    while (queue.length > 0) {
      if (!sink.writable) return drop();
      const chunk = queue.shift() as string; // a handful of entries: shift is cheap here
      queuedChars -= chunk.length;
      if (!sink.write(chunk)) return listen();
    }
    unblock();
  }
  const take = (): string => {
    if (scheduled !== null) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    const chunk = pending;
    pending = '';
    return chunk;
  };
  // The batch goes out now, or waits in the queue while the stream is blocked.
  const push = (): void => {
    const chunk = take();
    if (chunk === '' || !sink.writable) return; // once the reader is gone (EPIPE) the scan is stopping: drop
    if (waiting !== null || sink.writableNeedDrain === true) {
      queue.push(chunk);
      queuedChars += chunk.length;
      block();
    } else if (!sink.write(chunk)) {
      block();
    }
  };
  const flush = (): void => {
    const chunk = take();
    if (!sink.writable) return drop();
    for (const c of queue) sink.write(c);
    queue.length = queuedChars = 0;
    if (chunk !== '') sink.write(chunk);
    unblock();
  };
  return {
    write(line: string): void {
      pending += line;
      if (pending.length >= FLUSH_AT) push();
      else if (scheduled === null) scheduled = setImmediate(push);
    },
    flush,
    blocked: () => waiting,
    drained(): Promise<void> {
      flush();
      return whenDrained(sink);
    },
    held: () => pending.length + queuedChars,
  };
}

/** Settles once the stream has written what it holds, or cannot anymore (closed, failed). */
function whenDrained(sink: Sink): Promise<void> {
  if (!sink.writable || sink.writableNeedDrain !== true) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      sink.off('drain', done);
      sink.off('close', done);
      sink.off('error', done);
      resolve();
    };
    sink.once('drain', done);
    sink.once('close', done);
    sink.once('error', done);
  });
}
