// --json: one JSON object per line on stdout (events and alerts as they come, the summary last). Keeps the exact
// original text (masked with --redact): JSON.stringify escapes control characters and lone surrogates, so the output
// stays valid UTF-8. Also the line builders and the batching writer that --alerts, the webhook and other commands use.
import type { Bus } from '../bus.js';
import type { Redact } from '../text/redact.js';
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

/**
 * With `redact` (--redact), every string value is masked before it is serialised: masking the JSON text instead could
 * break an escape sequence (a log's ESC before an e-mail address is `\u001b` there) and miss what an escape hides.
 * io.out must then be the plain stdout, not a masking stream.
 */
export function attachNdjson(bus: Bus, io: Io, redact: Redact | null = null): NdjsonReporter {
  const out = createLineWriter(io.out);
  const mask = redact === null ? null : maskStrings(redact);
  bus.on('event', (e) => out.write(eventLine(e, mask)));
  bus.on('alert', (a) => out.write(alertLine(a, mask)));
  return {
    blocked: () => out.blocked(),
    finish(summary: Summary): Promise<void> {
      out.write(toLine({ kind: 'summary', ...summary }, mask));
      return out.drained();
    },
  };
}

/** The keys, in this order, are the documented NDJSON contract; adding one is a change to announce. */
export function eventLine(e: SecurityEvent, mask: JsonMask | null = null): string {
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
  }, mask);
}

export function alertLine(a: Alert, mask: JsonMask | null = null): string {
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
  }, mask);
}

/** A JSON.stringify replacer. */
export type JsonMask = (key: string, value: unknown) => unknown;

/** The replacer that masks every string value (keys are ours, never taken from a log). Made once per output. */
export function maskStrings(redact: Redact): JsonMask {
  return (_key, value) => (typeof value === 'string' ? redact(value) : value);
}

/**
 * The alert with every text taken from a log masked, for outputs that are not JSON lines alone (webhook chat text,
 * the spool). Written out field by field, without a spread, so that a new field of Alert fails to compile here.
 */
export function redactAlert(a: Alert, redact: Redact): Alert {
  return {
    id: a.id,
    severity: a.severity,
    key: redact(a.key),
    title: redact(a.title),
    count: a.count,
    first: a.first === null ? null : redact(a.first),
    last: a.last === null ? null : redact(a.last),
    evidence: a.evidence.map((x) => ({ file: redact(x.file), line: x.line, message: redact(x.message) })),
  };
}

export function toLine(value: object, mask: JsonMask | null = null): string {
  const json = mask === null ? JSON.stringify(value) : JSON.stringify(value, mask);
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
 * Gathers lines into one batch per turn of the event loop (or per FLUSH_AT characters) and hands each batch to a
 * DrainQueue, which respects backpressure. A caller that reads input checks blocked() between chunks, so what waits
 * here stays bounded by what one chunk of input produces.
 */
export function createLineWriter(stream: NodeJS.WritableStream): LineWriter {
  const sink = stream as Sink;
  const queue = new DrainQueue(sink);
  let pending = '';
  let scheduled: NodeJS.Immediate | null = null;
  const take = (): string => {
    if (scheduled !== null) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    const chunk = pending;
    pending = '';
    return chunk;
  };
  const push = (): void => {
    const chunk = take();
    if (chunk !== '' && sink.writable) queue.write(chunk); // once the reader is gone (EPIPE) the scan is stopping: drop
  };
  const flush = (): void => {
    const chunk = take();
    if (sink.writable) queue.flush(chunk);
    else queue.drop();
  };
  return {
    write(line: string): void {
      pending += line;
      if (pending.length >= FLUSH_AT) push();
      else if (scheduled === null) scheduled = setImmediate(push);
    },
    flush,
    blocked: () => queue.waiting,
    drained(): Promise<void> {
      flush();
      return whenDrained(sink);
    },
    held: () => pending.length + queue.chars,
  };
}

/**
 * Batches on their way to a stream. Once stream.write() says false, further batches wait here in an array (never one
 * growing string) and go out one at a time on 'drain', in order. `waiting` is the promise the pipeline waits on; it
 * settles once everything queued is written, or dropped when the stream goes away ('drain' then never comes).
 */
class DrainQueue {
  private readonly sink: Sink;
  private readonly batches: string[] = [];
  private queuedChars = 0;
  private blockedUntil: Promise<void> | null = null;
  private release: (() => void) | null = null;
  // bound once: the same functions are added and removed as listeners
  private readonly onDrain = (): void => this.resume();
  private readonly onGone = (): void => this.drop();

  constructor(sink: Sink) {
    this.sink = sink;
  }

  /** Characters in the queued batches. */
  get chars(): number {
    return this.queuedChars;
  }

  /** null while the stream takes writes. */
  get waiting(): Promise<void> | null {
    return this.blockedUntil;
  }

  /** Writes the batch now, or queues it behind the ones waiting (or when the stream is over its mark already). */
  write(batch: string): void {
    if (this.blockedUntil !== null || this.sink.writableNeedDrain === true) {
      this.batches.push(batch);
      this.queuedChars += batch.length;
      this.block();
    } else if (!this.sink.write(batch)) {
      this.block();
    }
  }

  /** Hands every queued batch, then `last`, to the stream now, whatever its state, and stops waiting. */
  flush(last: string): void {
    for (const b of this.batches) this.sink.write(b);
    this.clear();
    if (last !== '') this.sink.write(last);
    this.unblock();
  }

  /** The scan is stopping (the reader went away): nobody reads what is left. */
  drop(): void {
    this.clear();
    this.unblock();
  }

  private resume(): void {
    this.unlisten();
    while (this.batches.length > 0) {
      if (!this.sink.writable) return this.drop();
      const batch = this.batches.shift()!; // a handful of entries: shift is cheap here
      this.queuedChars -= batch.length;
      if (!this.sink.write(batch)) return this.listen();
    }
    this.unblock();
  }

  private block(): void {
    if (this.blockedUntil !== null) return; // already listening
    this.blockedUntil = new Promise<void>((resolve) => {
      this.release = resolve;
    });
    this.listen();
  }

  private unblock(): void {
    this.unlisten();
    const release = this.release;
    this.blockedUntil = this.release = null;
    release?.();
  }

  private listen(): void {
    this.sink.once('drain', this.onDrain);
    this.sink.once('close', this.onGone);
    this.sink.once('error', this.onGone); // the reader went away (EPIPE): 'drain' never comes
  }

  private unlisten(): void {
    this.sink.off('drain', this.onDrain);
    this.sink.off('close', this.onGone);
    this.sink.off('error', this.onGone);
  }

  private clear(): void {
    this.batches.length = 0;
    this.queuedChars = 0;
  }
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
