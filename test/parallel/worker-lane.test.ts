// A worker's lines on the main thread: folded runs of event-less lines, records and events for the others, merged by
// time with other lanes exactly as records are, and batches handed back to the worker once delivered.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Bus } from '../../src/bus.js';
import { Counter } from '../../src/counter/counter.js';
import { mergeLanes } from '../../src/merge.js';
import { EventPacker } from '../../src/parallel/event-pack.js';
import { MARK_404, MARK_NO_TIME, OUTCOME_CODE, type Batch, type WebEntry } from '../../src/parallel/protocol.js';
import type { Queued } from '../../src/parallel/pool.js';
import { WorkerLane } from '../../src/parallel/worker-lane.js';
import type { LineOutcome, LogRecord, SecurityEvent, SourceProblem } from '../../src/types.js';

interface Line {
  key: number;
  outcome?: LineOutcome;
  /** A marked line: its record's time (null: none), its events' severities, a 404 (with or without an address). */
  mark?: { time: number | null; events?: SecurityEvent['severity'][]; web?: { ip?: string; message: string } };
}

function ev(file: string, line: number, severity: SecurityEvent['severity']): SecurityEvent {
  return {
    type: 'auth.failure', severity, outcome: 'failure', time: null, timeMs: null, source: { ip: null, port: null }, user: null, host: null,
    program: null, pid: null, phone: null, rule: 'r', message: `m${line}`, file, line,
  };
}

/** One per source, as in a worker: the dictionary of repeated values lives as long as the source. */
const packers = new Map<string, EventPacker>();

/** A batch as a worker would post it, lines numbered from `first`. Files are named differently in each test. */
function batch(id: number, file: string, first: number, lines: readonly Line[]): Batch {
  const packer = packers.get(file) ?? new EventPacker();
  packers.set(file, packer);
  const marks: number[] = [];
  const web: WebEntry[] = [];
  lines.forEach((l, at) => {
    if (l.mark === undefined) return;
    for (const s of l.mark.events ?? []) packer.add(ev(file, first + at, s));
    if (l.mark.web !== undefined) web.push(l.mark.web.ip, l.mark.web.message);
    const flags = (l.mark.time === null ? MARK_NO_TIME : 0) | (l.mark.web !== undefined ? MARK_404 : 0);
    marks.push(at, l.mark.time ?? 0, flags, l.mark.events?.length ?? 0);
  });
  return {
    t: 'batch', id, first, keys: Float64Array.from(lines.map((l) => l.key)),
    outcomes: Uint8Array.from(lines.map((l) => OUTCOME_CODE[l.outcome ?? 'parsed'])),
    marks: Float64Array.from(marks), events: packer.take(), web, bytes: 10, format: 'syslog', reason: 'why',
  };
}

/** As the pool queues a batch (pool.ts): `taken` counts the takes of every batch queued so. */
let taken = 0;
function queued(b: Batch): Queued {
  return { lines: b.keys.length, bytes: b.bytes, format: b.format, reason: b.reason, take: () => { taken++; return b; } };
}

/** What reached the bus, one string per bus event. */
function listen(bus: Bus): string[] {
  const seen: string[] = [];
  bus.on('sourceStart', (s) => seen.push(`start ${s.name}`));
  bus.on('lines', (f, o, n) => seen.push(`lines ${f} ${o} x${n}`));
  // A 404's fields as the detector finds them: status, and the address only if the line had one (hasOwnProperty).
  const fields = (r: LogRecord): string => Object.keys(r.fields).length === 0 ? '' : `${JSON.stringify(r.fields)} `;
  bus.on('record', (r, o) => seen.push(`record ${r.file}:${r.line} ${o} t=${r.time} ${fields(r)}${r.message}`.trimEnd()));
  bus.on('event', (e) => seen.push(`event ${e.file}:${e.line} ${e.severity}`));
  bus.on('problem', (p) => seen.push(`problem ${p.message}`));
  bus.on('sourceEnd', (s) => seen.push(`end ${s.name} ${s.format} ${s.bytes}`));
  return seen;
}

describe('a worker lane', () => {
  beforeEach(() => {
    packers.clear(); // each test's lanes are new sources
    taken = 0;
  });
  it('folds event-less lines into runs and delivers marked lines as a record and their events', () => {
    const bus = new Bus();
    const seen = listen(bus);
    const consumed: number[] = [];
    const recycled: ArrayBuffer[] = [];
    const lane = new WorkerLane(1, bus, { keepEvent: (e) => e.severity !== 'info', consumed: (n) => consumed.push(n), recycle: (b) => recycled.push(b) });
    lane.open({ name: 'a', size: null });
    const first = batch(1, 'a', 1, [
      { key: 1 }, { key: 1 }, { key: 2, outcome: 'unparsed' }, { key: 2, outcome: 'skipped' },
      { key: 3, mark: { time: 3, events: ['medium', 'info', 'high'] } },
      { key: 4 },
      { key: 4, mark: { time: null, web: { ip: '203.0.113.9', message: 'GET /x' } } },
    ]);
    lane.batch(queued(first));
    lane.batch(queued(batch(1, 'a', 8, [{ key: 5 }, { key: 6, mark: { time: 6, events: ['low'] } }, { key: 6, mark: { time: 6, web: { message: 'GET /y' } } }])));
    lane.end(5, { format: 'syslog', reason: 'why' });
    lane.announce();
    assert.equal(lane.pending, 10);
    assert.equal(taken, 0, 'a batch stays where its worker put it until the merger reaches it');
    assert.equal(lane.headKey(), 1);
    assert.equal(taken, 1, 'the front batch is taken for its first key, the next one not yet');
    lane.deliverUntil(4, true);
    assert.equal(taken, 2);
    assert.deepEqual(consumed, [7]); // the first batch is done: its worker may read on
    assert.deepEqual(recycled, [first.keys.buffer], 'and its buffer goes back to the thread that wrote it');
    assert.equal(lane.pending, 3);
    lane.deliverUntil(Infinity, false);
    lane.closeNow();
    assert.deepEqual(consumed, [7, 3]);
    assert.deepEqual(seen, [
      'start a',
      'lines a parsed x2', 'lines a unparsed x1', 'lines a skipped x1',
      'record a:5 parsed t=3', 'event a:5 medium', 'event a:5 high', // info dropped (--min-severity), as on one thread
      'lines a parsed x1',
      'record a:7 parsed t=null {"status":"404","ip":"203.0.113.9"} GET /x',
      'lines a parsed x1',
      'record a:9 parsed t=6', 'event a:9 low',
      'record a:10 parsed t=6 {"status":"404"} GET /y', // a 404 without an address: no ip field at all
      'end a syslog 25',
    ]);
  });

  it('merges with another lane by key, equal keys in input order, across batch ends', async () => {
    const bus = new Bus();
    const seen = listen(bus);
    const lanes = new Map<string, WorkerLane>();
    const items = ['a', 'b'].map((name) => ({ name }));
    await mergeLanes<{ name: string }, WorkerLane>(
      items,
      (_x): _x is SourceProblem & { name: string } => false,
      (index) => new WorkerLane(index, bus, { keepEvent: () => true, consumed: () => {} }),
      (source, lane) => {
        lanes.set(source.name, lane);
        // the worker answers later, in pieces
        setImmediate(() => {
          lane.open({ name: source.name, size: null });
          if (source.name === 'a') {
            lane.batch(queued(batch(1, 'a', 1, [{ key: 1 }, { key: 3 }])));
            setImmediate(() => { lane.batch(queued(batch(1, 'a', 3, [{ key: 3 }, { key: 5, mark: { time: 5, events: ['low'] } }]))); lane.end(0, { format: null, reason: '' }); });
          } else {
            lane.batch(queued(batch(2, 'b', 1, [{ key: 2 }, { key: 3 }, { key: 4 }])));
            lane.problem({ source: 'b', message: 'cannot read b: input/output error', code: 'EIO', level: 'error' });
            lane.end(0, { format: 'access', reason: '' });
          }
        });
        return Promise.resolve();
      },
      bus,
      { width: 16 },
    );
    assert.deepEqual(seen, [
      'start a', 'start b',
      'lines a parsed x1', 'lines b parsed x1', 'lines a parsed x1', 'lines a parsed x1', 'lines b parsed x2',
      'problem cannot read b: input/output error', 'end b access 10',
      'record a:4 parsed t=5', 'event a:4 low', 'end a null 20',
    ]);
  });

  it('counts folded lines like records: every line accounted for', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    const lane = new WorkerLane(1, bus, { keepEvent: () => true, consumed: () => {} });
    lane.open({ name: 'c', size: null });
    lane.announce();
    lane.batch(queued(batch(1, 'c', 1, [
      { key: 1 }, { key: 1, outcome: 'truncated' }, { key: 1, outcome: 'unparsed' }, { key: 1, outcome: 'skipped' },
      { key: 2, mark: { time: 2, events: ['high'] } }, { key: 2, outcome: 'unparsed', mark: { time: null, events: ['low'] } },
    ])));
    lane.end(0, { format: 'syslog', reason: '' });
    lane.deliverUntil(Infinity, false);
    lane.closeNow();
    const [s] = counter.summary().sources;
    assert.deepEqual([s!.lines, s!.parsed, s!.unparsed, s!.skipped, s!.truncated, s!.events], [6, 2, 2, 1, 1, 2]);
  });

  it('ends with a problem when its worker dies, keeping what had arrived', () => {
    const bus = new Bus();
    const seen = listen(bus);
    const lane = new WorkerLane(1, bus, { keepEvent: () => true, consumed: () => {} });
    lane.open({ name: 'a', size: null });
    lane.batch(queued(batch(1, 'a', 1, [{ key: 1 }])));
    lane.fail({ source: 'a', message: 'cannot read a: the worker thread reading it failed: boom', code: 'EWORKER', level: 'error' });
    assert.equal(lane.ended, true);
    lane.announce();
    lane.deliverUntil(Infinity, false);
    lane.closeNow();
    assert.deepEqual(seen, ['start a', 'lines a parsed x1', 'problem cannot read a: the worker thread reading it failed: boom', 'end a syslog 10']);
  });
});
