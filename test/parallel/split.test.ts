// One file read in blocks on worker threads puts on the bus exactly what one reader puts there: the same events with
// the same line numbers, alerts, problems and line accounting, in the same order. Small blocks (a few KB) so that
// many cuts fall on the cases that carry something from line to line: CRLF, blank and over-long lines, a byte-order
// mark inside the file, 404s without a time, and python tracebacks inside a syslog file (a stateful parser).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { before, describe, it } from 'node:test';
import { Bus } from '../../src/bus.js';
import { Counter } from '../../src/counter/counter.js';
import { defaultConfig } from '../../src/detectors/config.js';
import { createDetectors } from '../../src/detectors/detectors.js';
import { findFormat } from '../../src/formats/registry.js';
import { BlockLane, type BlockSource } from '../../src/parallel/block-lane.js';
import { BlockCutter } from '../../src/parallel/blocks.js';
import type { ParallelPlan } from '../../src/parallel/plan.js';
import type { BlockJob } from '../../src/parallel/protocol.js';
import { collectSources, runPipeline, type PipelineOptions } from '../../src/pipeline.js';
import { builtinRules } from '../../src/rules/compose.js';
import { createEngine } from '../../src/rules/engine.js';
import { memoryIo } from '../helpers/io.js';
import { tempDir } from '../helpers/tmp.js';
import { MAX_LINE_BYTES, writePair, writeTracebackLog, type Pair } from './pair.js';

const SPLIT: ParallelPlan = { workers: 2, minBytes: 0, blockBytes: 4096 };
/** One worker thread, and the main thread reading the blocks the worker has no room for. */
const MAIN_TOO: ParallelPlan = { ...SPLIT, mainReads: true };

interface Seen {
  /** Events, alerts, problems and source ends, in bus order, as JSON. */
  out: string[];
  summary: string;
  /** Lines that came folded from workers (0: the file was read on the main thread). */
  folded: number;
  /** The bytes progress was told of. */
  bytes: number;
}

async function scan(path: string, parallel: ParallelPlan | null, extra: Partial<PipelineOptions> = {}): Promise<Seen> {
  const io = memoryIo();
  const bus = new Bus();
  const counter = new Counter(bus, { top: 10 });
  const detectors = createDetectors(defaultConfig(), (a) => bus.emit('alert', a));
  const out: string[] = [];
  let folded = 0;
  let bytes = 0;
  bus.on('bytes', (n) => { bytes += n; });
  bus.on('event', (e) => { detectors.event(e); out.push(JSON.stringify(e)); });
  bus.on('record', (r, o) => detectors.record(r, o));
  bus.on('alert', (a) => out.push(JSON.stringify(a)));
  bus.on('problem', (p) => out.push(p.message));
  bus.on('sourceEnd', (s) => out.push(`end ${s.name} ${s.format} ${s.bytes} ${s.detection}`));
  bus.on('lines', (_f, _o, n) => { folded += n; });
  const { items } = await collectSources([path], io);
  const opts: PipelineOptions = {
    engine: createEngine({ rules: builtinRules() }), forcedFormat: null, maxLineBytes: MAX_LINE_BYTES, since: null, until: null,
    keepEvent: () => true, parallel, ...extra,
  };
  await runPipeline(items, opts, bus, io);
  return { out, summary: JSON.stringify(counter.summary()), folded, bytes };
}

/** The scan in blocks equals the scan on one thread, with two workers and with one worker and the main thread. */
async function sameInBlocks(path: string, extra: Partial<PipelineOptions> = {}): Promise<Seen> {
  const one = await scan(path, null, extra);
  assert.equal(one.folded, 0);
  let split: Seen | null = null;
  for (const plan of [SPLIT, MAIN_TOO]) {
    split = await scan(path, plan, extra);
    assert.deepEqual(split.out, one.out);
    assert.equal(split.summary, one.summary);
    assert.equal(split.bytes, one.bytes, 'progress is told of every byte once, blocks read again included');
  }
  return split!;
}

describe('one file read in blocks', () => {
  let pair: Pair;
  let dir: string;
  before(() => {
    pair = writePair(12_000, 9_000);
    dir = tempDir('audit-split-');
  });

  it('an auth.log (CRLF, blank, garbage and over-long lines): same events, alerts and accounting', async () => {
    const split = await sameInBlocks(pair.auth);
    assert.ok(split.folded > 1000, `folded ${split.folded}`);
    assert.ok(split.out.length > 5000, String(split.out.length));
  });

  it('with --input-format: every block parses with the forced format', async () => {
    const split = await sameInBlocks(pair.auth, { forcedFormat: findFormat('journal') ?? null });
    assert.ok(split.folded > 1000, `folded ${split.folded}`);
  });

  it('an access log with 404 bursts (web_scan reads those records) and --since', async () => {
    await sameInBlocks(pair.access);
    await sameInBlocks(pair.access, { since: Date.parse('2026-11-24T10:30:00Z') });
  });

  it('404s without a time of their own take the time of the blocks before', async () => {
    const path = join(dir, 'requests.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const ip = `203.0.113.${i % 3}`;
      if (i % 40 === 0) lines.push(JSON.stringify({ time: `2026-11-24T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:00Z`, level: 'info', msg: 'request', status: 200, ip, url: '/' }));
      else lines.push(JSON.stringify({ level: 'info', msg: 'request', status: 404, ip, url: `/wp-admin/x${i}.php` }));
    }
    writeFileSync(path, lines.join('\n') + '\n');
    const split = await sameInBlocks(path);
    assert.ok(split.out.some((l) => l.includes('"web_scan"') || l.includes('web.scan')), 'the 404s raise an alert');
  });

  it('a byte-order mark at the start of a line inside the file stays a character of that line', async () => {
    const path = join(dir, 'bom.log');
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const bom = i % 3 === 0 ? '\ufeff' : '';
      lines.push(`${bom}Nov 24 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:00 web1 sshd[${i}]: Failed password for root from 203.0.113.${i % 9} port 22 ssh2`);
    }
    writeFileSync(path, lines.join('\n'));
    await sameInBlocks(path);
  });

  it('python tracebacks in a syslog file: a block whose parser needed the state of the block before is read again', async () => {
    const path = join(dir, 'mixed.log');
    writeTracebackLog(path);
    const split = await sameInBlocks(path);
    assert.ok(split.folded > 0, 'read in blocks');
  });

  it('reads a python log whole (its format keeps state), and a gzip file whole', async () => {
    const py = join(dir, 'app.log');
    const lines: string[] = [];
    for (let i = 0; i < 1500; i++) lines.push(`2026-11-24 10:00:${String(i % 60).padStart(2, '0')},000 ERROR app: failed login for user=u${i}`, 'Traceback (most recent call last):', '  File "a.py", line 1');
    writeFileSync(py, lines.join('\n') + '\n');
    assert.equal((await sameInBlocks(py)).folded, 0);
    const gz = join(dir, 'auth.log.gz');
    writeFileSync(gz, gzipSync(lines.join('\n')));
    assert.equal((await sameInBlocks(gz)).folded, 0);
  });

  for (const plan of [SPLIT, MAIN_TOO]) it(`stops at Ctrl-C: the file still ends, and what was delivered adds up (${plan.mainReads === true ? 'main thread reading too' : 'workers'})`, async () => {
    const ac = new AbortController();
    const io = memoryIo();
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    let lines = 0;
    const ends: string[] = [];
    bus.on('lines', (_f, _o, n) => { lines += n; if (lines >= 1000) ac.abort('interrupt'); });
    bus.on('sourceEnd', (s) => ends.push(s.name));
    const { items } = await collectSources([pair.auth], io);
    await runPipeline(items, {
      engine: createEngine({ rules: builtinRules() }), forcedFormat: null, maxLineBytes: MAX_LINE_BYTES, since: null, until: null,
      keepEvent: () => true, parallel: plan, signal: ac.signal,
    }, bus, io);
    assert.deepEqual(ends, [pair.auth]);
    const s = counter.summary();
    assert.ok(s.totals.lines >= 1000 && s.totals.lines < 12_000, String(s.totals.lines));
    for (const x of s.sources) assert.equal(x.lines, x.parsed + x.unparsed + x.skipped + x.truncated);
  });
});

describe('BlockCutter', () => {
  it('cuts after the first line end at or past each block size, and the last block runs to the end', () => {
    const dir = tempDir('audit-cut-');
    const path = join(dir, 'x.log');
    writeFileSync(path, 'aaaa\nbb\ncccccccc\nd\n\neee');
    const cutter = new BlockCutter(path, 23, 5);
    const got: unknown[] = [];
    for (let b = cutter.next(); b !== null; b = cutter.next()) got.push(b);
    // a block ends just past the first '\n' at or after its start + 5 - 1; the last one, without a '\n', runs to the end
    assert.deepEqual(got, [{ start: 0, end: 5 }, { start: 5, end: 17 }, { start: 17, end: null }]);
    assert.deepEqual(new BlockCutter(path, 23, 100).next(), { start: 0, end: null });
  });
});

describe('BlockLane', () => {
  it('starts every later block locked on the format of the first lines, before the first block has ended', () => {
    const jobs: BlockJob[] = [];
    const ranges = [{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 20, end: 30 }, { start: 30, end: null }];
    const source: BlockSource = { next: () => ranges.shift() ?? null, start: (job) => { jobs.push(job); } };
    const lane = new BlockLane(1, new Bus(), source, { keepEvent: () => true, ahead: 2, format: 'access', aborted: () => false });
    lane.begin();
    // nothing has answered yet: the first block and `ahead` more are being read
    assert.deepEqual(jobs, [
      { start: 0, end: 10, locked: null, states: null },
      { start: 10, end: 20, locked: 'access', states: null },
      { start: 20, end: 30, locked: 'access', states: null },
    ]);
  });

  it('starts no block while stdout is blocked, and goes on once it drains', async () => {
    const jobs: BlockJob[] = [];
    const ranges = [{ start: 0, end: 10 }, { start: 10, end: null }];
    const source: BlockSource = { next: () => ranges.shift() ?? null, start: (job) => { jobs.push(job); } };
    let drained: () => void = () => {};
    let blocked: Promise<void> | null = new Promise<void>((resolve) => { drained = resolve; });
    const lane = new BlockLane(1, new Bus(), source, {
      keepEvent: () => true, ahead: 2, format: 'syslog', aborted: () => false, backpressure: () => blocked,
    });
    lane.begin();
    assert.equal(jobs.length, 0);
    blocked = null;
    drained();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(jobs.map((j) => j.start), [0, 10]);
  });
});
