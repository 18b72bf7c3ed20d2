// StoreWriter with sources read at once: the trackers of two files are driven by hand, their chunks, lines and
// events interleaved, and every commit is checked in the database: each file's cursor, its events, its counts.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Bus } from '../../src/bus.js';
import type { AuditError } from '../../src/errors.js';
import type { LineTracker } from '../../src/pipeline.js';
import type { Source } from '../../src/sources/expand.js';
import { openStore, type Store } from '../../src/store/db.js';
import { planSources } from '../../src/store/plan.js';
import { StoreWriter } from '../../src/store/writer.js';
import type { LineOutcome, LogRecord, SecurityEvent } from '../../src/types.js';
import { tempDir } from './support.js';

const A = 'aa1\naa2\naa3\naa4\n'; // line ends at 4, 8, 12, 16
const B = 'bb1\nbb2\nbb3\n'; // line ends at 4, 8, 12

interface Rig {
  dir: string;
  store: Store;
  bus: Bus;
  writer: StoreWriter;
  a: LineTracker;
  b: LineTracker;
  failures: AuditError[];
}

async function rig(batchLines: number, batchEvents = 100): Promise<Rig> {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.log'), A);
  writeFileSync(join(dir, 'b.log'), B);
  const store = openStore('audit.db', { mode: 'write', cwd: dir });
  const planned = await planSources(store.db, [source(dir, 'a.log'), source(dir, 'b.log')]);
  const bus = new Bus();
  const failures: AuditError[] = [];
  const writer = new StoreWriter(store, bus, planned.plans, {
    storeLines: false, now: new Date('2026-11-26T12:00:00Z'), batchLines, batchEvents, onFail: (e) => failures.push(e),
  });
  const [sa, sb] = planned.items as Source[];
  return { dir, store, bus, writer, a: writer.track(sa!), b: writer.track(sb!), failures };
}

function source(dir: string, name: string): Source {
  return { name, path: join(dir, name), size: (name === 'a.log' ? A : B).length, mtime: null, open: () => Promise.reject(new Error('not read here')) };
}

/** One line of `file` through the bus as the pipeline sends it: its record, its events (one per port), lineDone. */
function line(r: Rig, t: LineTracker, file: string, n: number, ports: number[], outcome: LineOutcome = 'parsed'): void {
  const record: LogRecord = { file, line: n, format: 'syslog', time: null, host: null, program: null, pid: null, level: null, message: '', fields: {}, raw: '' };
  r.bus.emit('record', record, outcome);
  for (const port of ports) r.bus.emit('event', event(file, n, port));
  t.lineDone(n);
}

function event(file: string, n: number, port: number): SecurityEvent {
  return {
    type: 'auth.failure', severity: 'medium', outcome: 'failure', time: null, timeMs: null, source: { ip: '203.0.113.9', port }, user: 'root', host: null,
    program: 'sshd', pid: null, phone: null, rule: 'sshd.failed', message: 'Failed password', file, line: n,
  };
}

/** Stored events as "file:line:port", in the order they were stored, and each cursor as "file offset lines events". */
function state(r: Rig): { events: string[]; cursors: string[] } {
  const events = (r.store.db.prepare('SELECT e.file, e.line, e.port, c.path FROM events e LEFT JOIN cursors c ON c.id = e.cursor_id ORDER BY e.id').all() as
    { file: string; line: number; port: number; path: string | null }[]).map((e) => {
    assert.equal(e.path, e.file, 'an event points to the cursor of its own file');
    return `${e.file.slice(r.dir.length + 1)}:${e.line}:${e.port}`;
  });
  const cursors = (r.store.db.prepare('SELECT path, offset, lines, events FROM cursors ORDER BY path').all() as
    { path: string; offset: number; lines: number; events: number }[]).map((c) => `${c.path.slice(r.dir.length + 1)} ${c.offset} ${c.lines} ${c.events}`);
  return { events, cursors };
}

test('interleaved sources: each commit moves every cursor to its own last done line, with its own events', async () => {
  const r = await rig(3);
  r.a.onChunk(Buffer.from(A)); // a.log read ahead to its end
  r.b.onChunk(Buffer.from('bb1\nbb2')); // b.log: line 2's '\n' is still to come
  line(r, r.a, 'a.log', 1, [101]);
  line(r, r.b, 'b.log', 1, [201]);
  line(r, r.a, 'a.log', 2, []); // third line of the batch: commit
  assert.deepEqual(state(r), { events: ['a.log:1:101', 'b.log:1:201'], cursors: ['a.log 8 2 1', 'b.log 4 1 1'] });

  line(r, r.b, 'b.log', 2, [202, 203]); // done, but where it ends is not known yet
  line(r, r.a, 'a.log', 3, [103]);
  line(r, r.a, 'a.log', 4, [104]); // commit: b.log keeps line 2 and its events for later
  assert.deepEqual(state(r), {
    events: ['a.log:1:101', 'b.log:1:201', 'a.log:3:103', 'a.log:4:104'],
    cursors: ['a.log 16 4 3', 'b.log 4 1 1'],
  });
  r.a.end(true, 'syslog');
  r.b.onChunk(Buffer.from('\nbb3\n'));
  line(r, r.b, 'b.log', 3, [204]);
  r.b.end(true, 'syslog');
  assert.deepEqual(state(r), {
    events: ['a.log:1:101', 'b.log:1:201', 'a.log:3:103', 'a.log:4:104', 'b.log:2:202', 'b.log:2:203', 'b.log:3:204'],
    cursors: ['a.log 16 4 3', 'b.log 12 3 4'],
  });
  r.writer.finish();
  assert.equal(r.writer.stored, 7);
  assert.deepEqual(r.failures, []);
  r.store.close();
});

test('an interrupted source drops only its own events after its last known line end; the other goes on', async () => {
  const r = await rig(1000);
  r.a.onChunk(Buffer.from('aa1\naa2')); // line 2 unfinished when the reading stopped
  r.b.onChunk(Buffer.from(B));
  line(r, r.a, 'a.log', 1, [101]);
  line(r, r.b, 'b.log', 1, [201]);
  line(r, r.a, 'a.log', 2, [102]);
  line(r, r.b, 'b.log', 2, [202]);
  r.a.end(false, 'syslog'); // commits a.log through line 1 and b.log through line 2
  assert.deepEqual(state(r), { events: ['a.log:1:101', 'b.log:1:201', 'b.log:2:202'], cursors: ['a.log 4 1 1', 'b.log 8 2 2'] });
  line(r, r.b, 'b.log', 3, [203]);
  r.b.end(true, 'syslog');
  r.writer.finish();
  assert.deepEqual(state(r), { events: ['a.log:1:101', 'b.log:1:201', 'b.log:2:202', 'b.log:3:203'], cursors: ['a.log 4 1 1', 'b.log 12 3 3'] });
  r.store.close();
});

test('read to its end but not every line done (a merge stopped early): only the done lines are committed', async () => {
  const r = await rig(1000);
  r.a.onChunk(Buffer.from(A));
  r.b.onChunk(Buffer.from(B));
  line(r, r.a, 'a.log', 1, [101]);
  line(r, r.a, 'a.log', 2, [102]);
  r.a.end(true, 'syslog'); // lines 3 and 4 were read but never delivered
  r.b.end(true, 'syslog'); // nothing of b.log was delivered
  r.writer.finish();
  assert.deepEqual(state(r), { events: ['a.log:1:101', 'a.log:2:102'], cursors: ['a.log 8 2 2', 'b.log 0 0 0'] });
  r.store.close();
});

test('the event batch counts the events of all sources together', async () => {
  const r = await rig(1000, 3);
  r.a.onChunk(Buffer.from(A));
  r.b.onChunk(Buffer.from(B));
  line(r, r.a, 'a.log', 1, [101]);
  line(r, r.b, 'b.log', 1, [201]);
  assert.deepEqual(state(r).events, []);
  line(r, r.b, 'b.log', 2, [202]); // the third event: commit both
  assert.deepEqual(state(r), { events: ['a.log:1:101', 'b.log:1:201', 'b.log:2:202'], cursors: ['a.log 4 1 1', 'b.log 8 2 2'] });
  r.store.close();
});

test('lines read per file are stored with how they were accounted for, committed with the cursor', async () => {
  const r = await rig(1000);
  r.a.onChunk(Buffer.from(A));
  r.b.onChunk(Buffer.from(B));
  line(r, r.a, 'a.log', 1, [101], 'parsed');
  line(r, r.b, 'b.log', 1, [], 'unparsed');
  line(r, r.a, 'a.log', 2, [], 'skipped');
  line(r, r.b, 'b.log', 2, [], 'truncated');
  line(r, r.a, 'a.log', 3, [], 'unparsed');
  r.a.end(false, 'syslog'); // stopped after line 3: line 4 is not counted
  line(r, r.b, 'b.log', 3, [202], 'parsed');
  r.b.end(true, null);
  r.writer.finish();
  const files = (r.store.db.prepare('SELECT file, lines, parsed, unparsed, skipped, truncated, format FROM files ORDER BY file').all() as
    { file: string }[]).map((f) => ({ ...f, file: f.file.slice(r.dir.length + 1) }));
  assert.deepEqual(files, [
    { file: 'a.log', lines: 3, parsed: 1, unparsed: 1, skipped: 1, truncated: 0, format: 'syslog' },
    { file: 'b.log', lines: 3, parsed: 1, unparsed: 1, skipped: 0, truncated: 1, format: null },
  ]);
  r.store.close();
});

/** One line of `file` with a request answered 404 that web_scan counted at `t`, as the pipeline and detectors send it. */
function line404(r: Rig, t: LineTracker, file: string, n: number, time: number): void {
  const record: LogRecord = {
    file, line: n, format: 'web-access', time, host: null, program: null, pid: null, level: null,
    message: `GET /p${n} HTTP/1.1 404`, fields: { ip: '198.51.100.7', status: '404' }, raw: '',
  };
  r.bus.emit('record', record, 'parsed');
  r.bus.emit('notFound', '198.51.100.7', time, file, n, record.message);
  t.lineDone(n);
}

function notFoundRows(r: Rig): string[] {
  return (r.store.db.prepare('SELECT time, ip, file, line, message FROM not_found ORDER BY id').all() as
    { time: string; ip: string; file: string; line: number; message: string }[]).map((n) => `${n.file.slice(r.dir.length + 1)}:${n.line} ${n.time} ${n.ip} ${n.message}`);
}

test('counted 404s are committed with their lines, count in the batch, and are dropped with a line whose end is unknown', async () => {
  const r = await rig(1000, 2); // a commit every 2 rows, events and 404s together
  r.a.onChunk(Buffer.from('aa1\naa2\naa3')); // line 3 unfinished when the reading stopped
  r.b.onChunk(Buffer.from(B));
  const t0 = Date.parse('2026-11-26T10:00:00Z');
  line404(r, r.a, 'a.log', 1, t0);
  assert.deepEqual(notFoundRows(r), []);
  line(r, r.b, 'b.log', 1, [201]); // the second row: commit
  assert.deepEqual(notFoundRows(r), ['a.log:1 2026-11-26T10:00:00.000Z 198.51.100.7 GET /p1 HTTP/1.1 404']);
  assert.deepEqual(state(r).cursors, ['a.log 4 1 0', 'b.log 4 1 1']);
  line404(r, r.a, 'a.log', 2, t0 + 1000);
  line404(r, r.a, 'a.log', 3, t0 + 2000);
  r.a.end(false, 'web-access'); // line 3's end was never read: it and its 404 are read again by the next run
  assert.deepEqual(notFoundRows(r).map((n) => n.split(' ')[0]), ['a.log:1', 'a.log:2']);
  assert.deepEqual(state(r).cursors, ['a.log 8 2 0', 'b.log 4 1 1']);
  r.b.end(true, 'syslog');
  r.writer.finish();
  assert.equal(r.writer.stored, 1); // events only
  assert.deepEqual(r.failures, []);
  r.store.close();
});
