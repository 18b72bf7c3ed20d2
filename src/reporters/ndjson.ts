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
  const line = mask === null ? eventLines() : (e: SecurityEvent) => eventLine(e, mask);
  bus.on('event', (e) => out.write(line(e)));
  bus.on('alert', (a) => out.write(alertLine(a, mask)));
  return {
    blocked: () => out.blocked(),
    finish(summary: Summary): Promise<void> {
      out.write(toLine({ kind: 'summary', ...summary }, mask));
      return out.drained();
    },
  };
}

/**
 * The keys, in this order, are the documented NDJSON contract; adding one is a change to announce. Written by
 * JSON.stringify of an object: the reference that eventLines' text is equal to (test/reporters/ndjson.test.ts).
 */
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

/**
 * A string that toLine would write as it is between quotes: no `"`, `\\`, control character (U+0000-U+001F), line
 * separator (U+2028, U+2029: toLine escapes them) or surrogate (a lone one is escaped; a pair is let through by
 * JSON.stringify, but such strings are rare enough to take the slow way).
 */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/**
 * A string or null as toLine writes it in an object: quoted as it is when nothing in it needs escaping. The line
 * separators are escaped here, so that the line made of such pieces need not be searched for them (which flattens it).
 */
function jsonString(v: string | null): string {
  return v === null ? 'null' : NEEDS_ESCAPE.test(v) ? separatorsEscaped(JSON.stringify(v)) : '"' + v + '"';
}

/** A number or null as JSON.stringify writes it (NaN and the infinities as null; -0 as 0, as String gives). */
function jsonNumber(n: number | null): string {
  return n === null || !Number.isFinite(n) ? 'null' : '' + n;
}

/**
 * The --json writer's eventLine, without the object and JSON.stringify: the same text, written field by field.
 * JSON.stringify of an event object cost ~1.8 µs and a message alone ~0.4 µs (Node 20), a third of a scan of
 * 1,000,000 auth.log lines with --json; a string is tested for what would need escaping (~0.15 µs) and quoted as it
 * is. The texts that repeat from one event to the next (the file, host, program, rule, time, address and account:
 * the same string objects, mostly) are looked up in the last one's answer, one per field. The keys and their order
 * are eventLine's.
 */
export function eventLines(): (e: SecurityEvent) => string {
  // Each text with its JSON (a long-lived object holds one of each: one read chunk at most kept alive by a slice).
  const last = { type: '', typeJson: '""', severity: '', severityJson: '""', outcome: '', outcomeJson: '""', time: null as string | null, timeJson: 'null',
    ip: null as string | null, ipJson: 'null', user: null as string | null, userJson: 'null', host: null as string | null, hostJson: 'null',
    program: null as string | null, programJson: 'null', rule: '', ruleJson: '""', file: '', fileJson: '""' };
  return (e) => {
    const l = last;
    if (e.type !== l.type) l.typeJson = jsonString((l.type = e.type));
    if (e.severity !== l.severity) l.severityJson = jsonString((l.severity = e.severity));
    if (e.outcome !== l.outcome) l.outcomeJson = jsonString((l.outcome = e.outcome));
    if (e.time !== l.time) l.timeJson = jsonString((l.time = e.time));
    const ip = e.source.ip;
    if (ip !== l.ip) l.ipJson = jsonString((l.ip = ip));
    if (e.user !== l.user) l.userJson = jsonString((l.user = e.user));
    if (e.host !== l.host) l.hostJson = jsonString((l.host = e.host));
    if (e.program !== l.program) l.programJson = jsonString((l.program = e.program));
    if (e.rule !== l.rule) l.ruleJson = jsonString((l.rule = e.rule));
    if (e.file !== l.file) l.fileJson = jsonString((l.file = e.file));
    return '{"kind":"event","type":' + l.typeJson + ',"severity":' + l.severityJson + ',"outcome":' + l.outcomeJson +
      ',"time":' + l.timeJson + ',"source":{"ip":' + l.ipJson + ',"port":' + jsonNumber(e.source.port) + '},"user":' + l.userJson +
      ',"host":' + l.hostJson + ',"program":' + l.programJson + ',"pid":' + jsonNumber(e.pid) + ',"phone":' + jsonString(e.phone) +
      ',"rule":' + l.ruleJson + ',"message":' + jsonString(e.message) + ',"file":' + l.fileJson + ',"line":' + jsonNumber(e.line) +
      (e.sigma === undefined ? '}\n' : ',"sigma":' + separatorsEscaped(JSON.stringify(e.sigma)) + '}\n');
  };
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
  return separatorsEscaped(json) + '\n';
}

function separatorsEscaped(json: string): string {
  return json.includes('\u2028') || json.includes('\u2029') ? json.replace(LINE_SEPARATORS, escapeSeparator) : json;
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
  /** Bytes held here, gathered and queued (not counting the stream's own buffer). */
  held(): number;
}

type Sink = NodeJS.WritableStream & { writableNeedDrain?: boolean; writableLength?: number };

/** A batch's buffer: FLUSH_AT, and room for the line that crosses it (a longer line goes out on its own). */
const BATCH_BYTES = FLUSH_AT + 16 * 1024;
/** A batch smaller than this is copied out of the buffer (see take). */
const SMALL_BATCH = FLUSH_AT / 4;

/**
 * Gathers lines into one batch per turn of the event loop (or per FLUSH_AT bytes) and hands each batch to a
 * DrainQueue, which respects backpressure. A caller that reads input checks blocked() between chunks, so what waits
 * here stays bounded by what one chunk of input produces.
 *
 * Each line is encoded into the batch's buffer as it comes. A batch gathered as one string (`pending += line`) was
 * encoded at the end from a tree of ~170 lines, each itself made of ~30 pieces (eventLines): ~270 MB/s, 13% of a
 * `scan --json` of 1,000,000 auth lines; a line encoded on its own while its pieces are at hand costs about half.
 */
export function createLineWriter(stream: NodeJS.WritableStream): LineWriter {
  const sink = stream as Sink;
  const queue = new DrainQueue(sink);
  let batch: Buffer | null = null;
  let used = 0;
  let scheduled: NodeJS.Immediate | null = null;
  // What is gathered, as a chunk of its own: the stream keeps it until written. A full batch is handed over as it is
  // and the next lines go into a new buffer; a small one (a turn of `audit watch` with an alert or two) is copied out
  // and the buffer used again, so that a batch waiting on a blocked stdout holds its own bytes, not 80 KiB.
  const take = (): Buffer | null => {
    if (scheduled !== null) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    if (used === 0) return null;
    let chunk: Buffer;
    if (used < SMALL_BATCH) {
      chunk = Buffer.from(batch!.subarray(0, used));
    } else {
      chunk = batch!.subarray(0, used);
      batch = null;
    }
    used = 0;
    return chunk;
  };
  const push = (): void => {
    const chunk = take();
    if (chunk !== null && sink.writable) queue.write(chunk); // once the reader is gone (EPIPE) the scan is stopping: drop
  };
  const flush = (): void => {
    const chunk = take();
    if (sink.writable) queue.flush(chunk);
    else queue.drop();
  };
  return {
    write(line: string): void {
      // a UTF-16 code unit is at most 3 bytes of UTF-8 (a pair of them 4): `max` bytes always hold the line
      const max = line.length * 3;
      if (batch !== null && used + max > batch.length) push();
      if (max > BATCH_BYTES) {
        if (sink.writable) queue.write(Buffer.from(line, 'utf8')); // after what was gathered (pushed just above)
        return;
      }
      batch ??= Buffer.allocUnsafe(BATCH_BYTES);
      used += batch.write(line, used);
      if (used >= FLUSH_AT) push();
      else if (scheduled === null) scheduled = setImmediate(push);
    },
    flush,
    blocked: () => queue.waiting,
    drained(): Promise<void> {
      flush();
      return whenDrained(sink);
    },
    held: () => used + queue.bytes,
  };
}

/**
 * Batches on their way to a stream. Once stream.write() says false, further batches wait here in an array (never one
 * growing string) and go out one at a time on 'drain', in order. `waiting` is the promise the pipeline waits on; it
 * settles once everything queued is written, or dropped when the stream goes away ('drain' then never comes).
 */
class DrainQueue {
  private readonly sink: Sink;
  private readonly batches: Buffer[] = [];
  private queuedBytes = 0;
  private blockedUntil: Promise<void> | null = null;
  private release: (() => void) | null = null;
  // bound once: the same functions are added and removed as listeners
  private readonly onDrain = (): void => this.resume();
  private readonly onGone = (): void => this.drop();

  constructor(sink: Sink) {
    this.sink = sink;
  }

  /** Bytes in the queued batches. */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** null while the stream takes writes. */
  get waiting(): Promise<void> | null {
    return this.blockedUntil;
  }

  /** Writes the batch now, or queues it behind the ones waiting (or when the stream is over its mark already). */
  write(batch: Buffer): void {
    if (this.blockedUntil !== null || this.sink.writableNeedDrain === true) {
      this.batches.push(batch);
      this.queuedBytes += batch.length;
      this.block();
    } else if (!this.sink.write(batch)) {
      this.block();
    }
  }

  /** Hands every queued batch, then `last`, to the stream now, whatever its state, and stops waiting. */
  flush(last: Buffer | null): void {
    for (const b of this.batches) this.sink.write(b);
    this.clear();
    if (last !== null) this.sink.write(last);
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
      this.queuedBytes -= batch.length;
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
    this.queuedBytes = 0;
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
