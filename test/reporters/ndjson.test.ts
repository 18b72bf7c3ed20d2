// --json: the event keys and their order, the exact original text round trip, valid UTF-8 lines, and batching.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Bus } from '../../src/bus.js';
import { FLUSH_AT, alertLine, attachNdjson, createLineWriter, eventLine, eventLines } from '../../src/reporters/ndjson.js';
import type { SecurityEvent } from '../../src/types.js';
import { alert, emptySummary, event, sink, sinkIo } from './sample.js';

const EVENT_KEYS = ['kind', 'type', 'severity', 'outcome', 'time', 'source', 'user', 'host', 'program', 'pid', 'phone', 'rule', 'message', 'file', 'line'];

describe('ndjson reporter', () => {
  it('writes an event with exactly the documented keys, in order', () => {
    assert.equal(eventLine(event()),
      '{"kind":"event","type":"auth.failure","severity":"medium","outcome":"failure","time":"2026-11-23T10:00:00.000Z",' +
      '"source":{"ip":"203.0.113.9","port":52144},"user":"root","host":"srv1","program":"sshd","pid":4242,"phone":null,' +
      '"rule":"sshd.failed_password","message":"Failed password for root from 203.0.113.9 port 52144 ssh2",' +
      '"file":"/var/log/auth.log","line":1}\n');
  });

  it('keeps that order whatever order the event object was built in', () => {
    const e = event();
    const shuffled = Object.fromEntries(Object.entries(e).reverse()) as typeof e;
    assert.deepEqual(Object.keys(JSON.parse(eventLine(shuffled)) as object), EVENT_KEYS);
  });

  it('keeps the exact original text, as valid single-line UTF-8', () => {
    const nasty = 'esc \x1b[2J bel \x07 cr \r lf \n nul \0 bidi \u202e sep \u2028 para \u2029 lone \ud800 low \udc00 ' +
      'emoji 🔥 quote " backslash \\ nbsp \u00a0 bom \ufeff';
    const e = event({ message: nasty, user: 'ro\u2028ot', file: '/logs/\u202efile' });
    const line = eventLine(e);
    assert.ok(line.endsWith('\n'));
    const body = line.slice(0, -1);
    assert.ok(!/[\x00-\x1f\u2028\u2029]/.test(body), 'no raw control character or line separator');
    assert.ok(body.includes('\\u2028') && body.includes('\\u2029') && body.includes('\\ud800') && body.includes('\\udc00'));
    assert.equal(Buffer.from(line, 'utf8').toString('utf8'), line, 'survives UTF-8 encoding unchanged');
    const { timeMs: _inMemoryOnly, ...written } = e; // timeMs is not part of the output
    assert.deepEqual(JSON.parse(body), { kind: 'event', ...written });
  });

  it('writes an alert with kind first', () => {
    assert.equal(alertLine(alert()),
      '{"kind":"alert","id":"brute_force","severity":"high","key":"203.0.113.9","title":"SSH brute force","count":12,' +
      '"first":"2026-11-23T10:00:00.000Z","last":"2026-11-23T10:04:00.000Z",' +
      '"evidence":[{"file":"/var/log/auth.log","line":7,"message":"Failed password for root from 203.0.113.9 port 52144 ssh2"}]}\n');
  });

  it('streams events and alerts in arrival order, then the summary last', async () => {
    const { io, out } = sinkIo();
    const bus = new Bus();
    const reporter = attachNdjson(bus, io);
    bus.emit('event', event({ line: 1 }));
    bus.emit('alert', alert());
    bus.emit('event', event({ line: 2 }));
    reporter.finish(emptySummary()); // flushes what is pending first
    const kinds = out.text().trimEnd().split('\n').map((l) => (JSON.parse(l) as { kind: string; line?: number }));
    assert.deepEqual(kinds.map((k) => [k.kind, k.line]), [['event', 1], ['alert', undefined], ['event', 2], ['summary', undefined]]);
    assert.deepEqual(JSON.parse(out.text().trimEnd().split('\n')[3]!), { kind: 'summary', ...emptySummary() });
    await nextTurn();
    assert.equal(out.writes().length, 1, 'one write for the whole batch');
  });

  it('writes pending lines on the next turn of the event loop without waiting for finish', async () => {
    const { io, out } = sinkIo();
    const bus = new Bus();
    attachNdjson(bus, io);
    bus.emit('event', event());
    assert.equal(out.text(), '', 'held until the turn ends');
    await nextTurn();
    assert.equal(out.text(), eventLine(event()));
  });

  it('never holds much more than FLUSH_AT characters', () => {
    const { io, out } = sinkIo();
    const bus = new Bus();
    attachNdjson(bus, io);
    const line = eventLine(event());
    const n = Math.ceil(FLUSH_AT / line.length) + 10;
    for (let i = 0; i < n; i++) bus.emit('event', event());
    assert.ok(out.text().length >= FLUSH_AT);
    assert.ok(n * line.length - out.text().length < FLUSH_AT);
  });

  it('drops output once stdout is no longer writable (the reader went away)', async () => {
    const { io, out } = sinkIo();
    const bus = new Bus();
    const reporter = attachNdjson(bus, io);
    out.stream.end();
    bus.emit('event', event());
    reporter.finish(emptySummary());
    await nextTurn();
    assert.equal(out.text(), '');
  });
});

describe('eventLines: the text --json writes for an event', () => {
  // Texts that JSON writes as they are and texts it escapes (or that toLine escapes: the line separators).
  const texts = ['', 'root', 'q"uote', 'back\\slash', 'esc \x1b[2J', 'nul \0', 'bel \x07', 'tab\t', 'cr\r lf\n', 'sep \u2028', 'para \u2029',
    'lone \ud800', 'low \udc00', 'pair \ud83d\udd25', 'bidi \u202e', 'del \x7f', 'nbsp \u00a0', 'bom \ufeff', '中文 13800138000'];
  const numbers = [null, 0, -0, 7, 65535, 1.5, 1e21, NaN, Infinity, -Infinity];
  const pick = <T>(xs: readonly T[], i: number, period: number): T => xs[Math.floor(i / period) % xs.length]!;

  it('is the text of eventLine, byte for byte, as every field changes and repeats', () => {
    // Each field changes on a period of its own (primes), so that the last-value answers are asked in every mix of
    // repeats and changes; the same text as a new string object too (the cache compares text, not objects).
    const write = eventLines();
    const copy = (s: string | null): string | null => (s === null ? null : (' ' + s).slice(1));
    for (let i = 0; i < 2000; i++) {
      const e: SecurityEvent = event({
        type: pick(['auth.failure', 'sigma.match', 'x"y'], i, 31) as SecurityEvent['type'],
        severity: pick(['low', 'high'], i, 37) as SecurityEvent['severity'],
        outcome: pick(['failure', 'success', 'unknown'], i, 41) as SecurityEvent['outcome'],
        time: copy(pick([null, '2026-11-23T10:00:00.000Z', 'bad\u2028time'], i, 3)),
        source: { ip: copy(pick([null, ...texts], i, 2)), port: pick(numbers, i, 5) },
        user: copy(pick([null, ...texts], i, 7)),
        host: pick([null, ...texts], i, 11),
        program: pick([null, ...texts], i, 13),
        pid: pick(numbers, i, 17),
        phone: pick([null, ...texts], i, 19),
        rule: pick(texts, i, 23),
        message: pick(texts, i, 1),
        file: copy(pick(texts, i, 29))!,
        line: pick(numbers, i, 43) as number,
        ...(i % 47 === 0 ? { sigma: { id: `id\u2028${i}`, title: 'T "q" \x1b', level: 'high', tags: ['a', 'b\u2029'] } } : {}),
      });
      assert.equal(write(e), eventLine(e), `event ${i}`);
    }
  });

  it('is what attachNdjson writes', async () => {
    const { io, out } = sinkIo();
    const bus = new Bus();
    const reporter = attachNdjson(bus, io);
    const events = texts.map((message, i) => event({ message, line: i + 1 }));
    for (const e of events) bus.emit('event', e);
    await reporter.finish(emptySummary());
    assert.equal(out.text().split('\n').slice(0, -2).join('\n') + '\n', events.map((e) => eventLine(e)).join(''));
  });
});

describe('createLineWriter: lines encoded into batches', () => {
  it('keeps multi-byte text whole across batches, each batch ending with a line', async () => {
    const out = sink();
    const w = createLineWriter(out.stream);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(`${i} 中文 \ud83d\udd25 é ${'€'.repeat(i % 50)}\n`);
    for (const l of lines) w.write(l);
    await w.drained();
    assert.equal(out.text(), lines.join(''));
    const writes = out.writes();
    assert.ok(writes.length > 2, `several batches (${writes.length})`);
    for (const chunk of writes) {
      assert.ok(chunk.endsWith('\n'), 'a batch ends with a whole line');
      assert.ok(Buffer.byteLength(chunk) <= FLUSH_AT + 16 * 1024, 'a batch is at most FLUSH_AT and one line');
    }
  });

  it('writes a line too long for a batch on its own, in its place', async () => {
    const out = sink();
    const w = createLineWriter(out.stream);
    const long = '€'.repeat(40000) + '\n'; // 120,001 bytes
    w.write('a\n');
    assert.equal(w.held(), 2, 'bytes held');
    w.write(long);
    w.write('b\n');
    await w.drained();
    assert.deepEqual(out.writes(), ['a\n', long, 'b\n']);
    assert.equal(w.held(), 0);
  });
});

describe('createLineWriter: what a waiting batch holds', () => {
  it('a small batch is a copy of its own bytes, a full one the batch buffer itself', async () => {
    const chunks: Buffer[] = [];
    const stream = new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk); done(); } });
    const w = createLineWriter(stream);
    w.write('{"kind":"alert"}\n');
    await nextTurn(); // a turn with one line: written as a small batch
    for (let i = 0; i < 2000; i++) w.write(`${'x'.repeat(99)}\n`); // 200,000 bytes: full batches
    await w.drained();
    assert.equal(chunks[0]!.toString(), '{"kind":"alert"}\n');
    assert.ok(chunks[0]!.buffer.byteLength < 16 * 1024, `the small batch holds ${chunks[0]!.buffer.byteLength} bytes`);
    assert.ok(chunks[1]!.length >= FLUSH_AT, 'then full batches');
    assert.equal(Buffer.concat(chunks).toString(), '{"kind":"alert"}\n' + `${'x'.repeat(99)}\n`.repeat(2000));
  });
});
