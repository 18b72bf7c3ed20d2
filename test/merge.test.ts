// Several sources read at once and merged by time: the order of records depends only on their times and the order
// the inputs were named, never on which source's bytes arrived first; every line is still delivered once.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Bus } from '../src/bus.js';
import { Counter } from '../src/counter/counter.js';
import { Lane } from '../src/merge.js';
import { runPipeline, type PipelineOptions } from '../src/pipeline.js';
import { createEngine } from '../src/rules/engine.js';
import type { Source } from '../src/sources/expand.js';
import type { LogRecord, SourceProblem } from '../src/types.js';
import { memoryIo } from './helpers/io.js';

const at = (hms: string, text: string): string => `Nov 24 ${hms} web1 app[1]: ${text}`;

/** A source of these lines; `delayMs` between chunks of `perChunk` lines makes its reading slow. */
function source(name: string, lines: readonly string[], opts: { delayMs?: number; perChunk?: number; fail?: string } = {}): Source {
  const per = opts.perChunk ?? 1;
  return {
    name, path: `/logs/${name}`, size: null, mtime: new Date('2026-11-25T00:00:00Z'),
    open: async () => {
      if (opts.fail !== undefined) throw Object.assign(new Error(opts.fail), { code: 'EACCES' });
      return Readable.from((async function* () {
        for (let i = 0; i < lines.length; i += per) {
          if (opts.delayMs !== undefined) await sleep(opts.delayMs);
          yield Buffer.from(lines.slice(i, i + per).map((l) => l + '\n').join(''));
        }
      })());
    },
  };
}

const problem: SourceProblem = { source: 'gone.log', message: 'cannot read gone.log: no such file or directory', code: 'ENOENT', level: 'error' };

function options(extra: Partial<PipelineOptions> = {}): PipelineOptions {
  return { engine: createEngine({ rules: [] }), forcedFormat: null, maxLineBytes: 64 * 1024, since: null, until: null, keepEvent: () => true, ...extra };
}

/** Runs the pipeline and returns what reached the bus, in order: `file:line` for records, markers for the rest. */
async function run(items: (Source | SourceProblem)[], extra: Partial<PipelineOptions> = {}): Promise<{ order: string[]; bus: Bus; counter: Counter }> {
  const bus = new Bus();
  const counter = new Counter(bus, { top: 5 });
  const order: string[] = [];
  bus.on('sourceStart', (s) => order.push(`start ${s.name}`));
  bus.on('record', (r: LogRecord) => order.push(`${r.file}:${r.line}`));
  bus.on('problem', (p) => order.push(`problem ${p.source}`));
  bus.on('sourceEnd', (s) => order.push(`end ${s.name}`));
  await runPipeline(items, options(extra), bus, memoryIo());
  return { order, bus, counter };
}

const A = ['10:00:01', '10:00:03', '10:00:05'].map((t) => at(t, `a ${t}`));
const B = ['10:00:02', '10:00:04', '10:00:06'].map((t) => at(t, `b ${t}`));
const MERGED = ['start a', 'start b', 'a:1', 'b:1', 'a:2', 'b:2', 'a:3', 'end a', 'b:3', 'end b'];

describe('merging sources by time', () => {
  it('delivers the records of two files in time order', async () => {
    const { order } = await run([source('a', A), source('b', B)]);
    assert.deepEqual(order, MERGED);
  });

  it('gives the same order whichever file is slow to read', async () => {
    assert.deepEqual((await run([source('a', A, { delayMs: 15 }), source('b', B)])).order, MERGED);
    assert.deepEqual((await run([source('a', A), source('b', B, { delayMs: 15 })])).order, MERGED);
  });

  it('puts equal times in the order the inputs were named, and a line without a time after the line before it', async () => {
    const a = [at('10:00:01', 'a1'), 'garbage without a time', at('10:00:02', 'a3')];
    const b = [at('10:00:01', 'b1'), at('10:00:02', 'b2')];
    const { order } = await run([source('a', a), source('b', b)]);
    assert.deepEqual(order, ['start a', 'start b', 'a:1', 'a:2', 'b:1', 'a:3', 'end a', 'b:2', 'end b']);
  });

  it('reads one after another with mergeWidth 1', async () => {
    const { order } = await run([source('a', A), source('b', B)], { mergeWidth: 1 });
    assert.deepEqual(order, ['start a', 'a:1', 'a:2', 'a:3', 'end a', 'start b', 'b:1', 'b:2', 'b:3', 'end b']);
  });

  it('reads at most mergeWidth sources at once; the next one joins when one ends', async () => {
    const c = [at('10:00:00', 'c1')];
    const { order } = await run([source('a', A), source('b', B), source('c', c)], { mergeWidth: 2 });
    // c is older than everything, but it was not open yet: it comes when a ends
    assert.deepEqual(order, ['start a', 'start b', 'a:1', 'b:1', 'a:2', 'b:2', 'a:3', 'end a', 'start c', 'c:1', 'end c', 'b:3', 'end b']);
  });

  it('says problems in input order, at once: a missing input, a failed open (no start or end for it)', async () => {
    const { order, counter } = await run([source('a', A), problem, source('x', [], { fail: 'permission denied' }), source('b', B)]);
    assert.deepEqual(order, ['problem gone.log', 'start a', 'start b', 'problem x', 'a:1', 'b:1', 'a:2', 'b:2', 'a:3', 'end a', 'b:3', 'end b']);
    const s = counter.summary();
    assert.deepEqual(s.sources.map((x) => [x.name, x.lines]), [['a', 3], ['b', 3]]);
    assert.equal(s.problems.length, 2);
  });

  it('keeps every line of big interleaved files, each file in its own order', async () => {
    const n = 20_000;
    const stamp = (i: number): string => `${String(10 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    const a = Array.from({ length: n }, (_, i) => at(stamp(i), `a${i}`));
    const b = Array.from({ length: n }, (_, i) => at(stamp(i), `b${i}`));
    const bus = new Bus();
    const last = new Map<string, number>();
    let times: number[] = [];
    bus.on('record', (r) => {
      assert.equal(r.line, (last.get(r.file) ?? 0) + 1);
      last.set(r.file, r.line);
      times.push(r.time!);
    });
    await runPipeline([source('a', a, { perChunk: 700 }), source('b', b, { perChunk: 300, delayMs: 1 })], options(), bus, memoryIo());
    assert.deepEqual([last.get('a'), last.get('b')], [n, n]);
    assert.equal(times.length, 2 * n);
    assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]!), 'non-decreasing times');
    times = [];
  });

  it('stops on abort: nothing more is delivered, every started source still ends', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => at('10:00:01', `x${i}`));
    const ac = new AbortController();
    const bus = new Bus();
    let records = 0;
    const events: string[] = [];
    bus.on('record', () => { if (++records === 100) ac.abort('interrupt'); });
    bus.on('sourceStart', (s) => events.push(`start ${s.name}`));
    bus.on('sourceEnd', (s) => events.push(`end ${s.name}`));
    await runPipeline([source('a', lines, { perChunk: 50, delayMs: 1 }), source('b', lines, { perChunk: 50, delayMs: 1 })], options({ signal: ac.signal }), bus, memoryIo());
    assert.ok(records >= 100 && records < 10_000, String(records));
    assert.deepEqual(events, ['start a', 'start b', 'end a', 'end b']);
  });
});

describe('a lane', () => {
  const record = (line: number): LogRecord => ({ file: 'f', line, format: null, time: line, host: null, program: null, pid: null, level: null, message: '', fields: {}, raw: '' });

  it('pauses its reader past the high-water mark and resumes it once the merger has taken most of it', async () => {
    const lane = new Lane(1, new Bus(), true);
    const got: number[] = [];
    lane.open({ name: 'f', size: null }, (r) => got.push(r.line));
    for (let i = 1; i <= 255; i++) lane.push(record(i), 'parsed');
    assert.equal(lane.room(), null);
    lane.push(record(256), 'parsed');
    const paused = lane.room();
    assert.ok(paused !== null);
    let resumed = false;
    void paused.then(() => { resumed = true; });
    lane.deliverUntil(192, false); // 191 delivered, 65 left: still above the low-water mark
    await sleep(1);
    assert.equal(resumed, false);
    lane.deliverUntil(193, false);
    await sleep(1);
    assert.equal(resumed, true);
    assert.equal(got.length, 192);
    assert.equal(lane.pending, 64);
  });

  it('sorts a record with an impossible time with the record before it, so the merge cannot stall', () => {
    const lane = new Lane(1, new Bus(), true);
    lane.open({ name: 'f', size: null }, () => {});
    lane.push(record(5), 'parsed');
    lane.push({ ...record(6), time: Number.NaN }, 'parsed');
    lane.deliverUntil(5, true);
    assert.equal(lane.pending, 0);
  });
});
