// Every job's batches wait in the job's own port until the merger reaches them (pool.ts Inbox): each port is closed
// once its job ended and all its batches were taken (before the pool closes, in a scan that ends normally, blocks read
// again included), and with the pool otherwise (Ctrl-C, a dead worker); a block's batches are taken in its turn only.
import assert from 'node:assert/strict';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { MessagePort as Port } from 'node:worker_threads';
import { Bus } from '../../src/bus.js';
import { BlockLane, type BlockSource } from '../../src/parallel/block-lane.js';
import { EventPacker } from '../../src/parallel/event-pack.js';
import type { ParallelPlan } from '../../src/parallel/plan.js';
import { WorkerPool, type JobSink, type Queued } from '../../src/parallel/pool.js';
import { OUTCOME_CODE, type Batch, type BlockJob } from '../../src/parallel/protocol.js';
import { collectSources, runPipeline, type PipelineOptions } from '../../src/pipeline.js';
import { builtinRules } from '../../src/rules/compose.js';
import { createEngine } from '../../src/rules/engine.js';
import { memoryIo } from '../helpers/io.js';
import { tempDir } from '../helpers/tmp.js';
import { readWithDeadWorker } from './dead-worker.js';
import { MAX_LINE_BYTES, writePair, writeTracebackLog, type Pair } from './pair.js';

// The pool's end of each job's port, seen by replacing node:worker_threads' MessageChannel (the ES module bindings
// follow the CommonJS exports: syncBuiltinESMExports) and MessagePort's close, for the duration of each test.
const threads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
const { MessageChannel: RealChannel, MessagePort: RealPort } = threads;
const realClose = RealPort.prototype.close;
const realPoolClose = WorkerPool.prototype.close;
let made: Port[] = [];
let closed = new Set<Port>();
/** Ports of the pool still open when its close() began (null: not closed yet). */
let openAtPoolClose: number | null = null;

function stillOpen(): number {
  return made.filter((p) => !closed.has(p)).length;
}

beforeEach(() => {
  made = [];
  closed = new Set();
  openAtPoolClose = null;
  threads.MessageChannel = class extends RealChannel {
    constructor() {
      super();
      made.push(this.port1);
    }
  };
  syncBuiltinESMExports();
  RealPort.prototype.close = function (this: Port): void {
    closed.add(this);
    realClose.call(this);
  };
  WorkerPool.prototype.close = function (this: WorkerPool): Promise<void> {
    openAtPoolClose = stillOpen();
    return realPoolClose.call(this);
  };
});

afterEach(() => {
  threads.MessageChannel = RealChannel;
  syncBuiltinESMExports();
  RealPort.prototype.close = realClose;
  WorkerPool.prototype.close = realPoolClose;
});

async function scan(paths: string[], parallel: ParallelPlan, extra: Partial<PipelineOptions> = {}, onEvent = (): void => {}): Promise<void> {
  const io = memoryIo();
  const bus = new Bus();
  bus.on('event', onEvent);
  const { items } = await collectSources(paths, io);
  await runPipeline(items, {
    engine: createEngine({ rules: builtinRules() }), forcedFormat: null, maxLineBytes: MAX_LINE_BYTES, since: null, until: null,
    keepEvent: () => true, parallel, ...extra,
  }, bus, io);
}

describe('the ports batches wait in', () => {
  let pair: Pair;
  let dir: string;
  before(() => {
    pair = writePair(6_000, 10);
    dir = tempDir('audit-ports-');
    writeFileSync(join(dir, 'empty.log'), '');
    copyFileSync(pair.auth, join(dir, 'auth-copy.log'));
    writeTracebackLog(join(dir, 'mixed.log')); // blocks read again
  });
  after(() => rmSync(pair.dir, { recursive: true, force: true }));

  it('are all closed before the pool is: several files, an empty one among them, two workers and the main thread', async () => {
    await scan([pair.auth, pair.access, join(dir, 'empty.log'), join(dir, 'auth-copy.log')], { workers: 3, minBytes: 0, mainReads: true });
    assert.equal(made.length, 4, 'one port per file');
    assert.equal(openAtPoolClose, 0);
  });

  it('are all closed before the pool is: one file in blocks, the main thread reading some', async () => {
    await scan([pair.auth], { workers: 2, minBytes: 0, blockBytes: 4096, mainReads: true });
    assert.ok(made.length > 10, `one port per block (${made.length})`);
    assert.equal(openAtPoolClose, 0);
  });

  it('are all closed before the pool is when blocks are read again (their first reading\'s batches taken and dropped)', async () => {
    await scan([join(dir, 'mixed.log')], { workers: 2, minBytes: 0, blockBytes: 4096, mainReads: true });
    assert.ok(made.length > 10, `one port per block and reading (${made.length})`);
    assert.equal(openAtPoolClose, 0);
  });

  it('are all closed with the pool at Ctrl-C, batches left untaken', async () => {
    const ctl = new AbortController();
    await scan([pair.auth], { workers: 2, minBytes: 0, blockBytes: 4096, mainReads: true }, { signal: ctl.signal }, () => ctl.abort());
    assert.ok(made.length > 0);
    assert.equal(stillOpen(), 0);
  });

  it('are all closed with the pool when a worker dies', async () => {
    const counter = await readWithDeadWorker(pair.auth);
    assert.equal(counter.summary().problems.length, 1);
    assert.ok(made.length > 0);
    assert.equal(stillOpen(), 0);
  });
});

describe('a block\'s batches', () => {
  /** A batch of `n` parsed lines, keys from 1, and how often it was taken. */
  function queued(n: number, takes: number[], at: number): Queued {
    const b: Batch = {
      t: 'batch', id: at, first: 1, keys: Float64Array.from({ length: n }, (_, i) => i + 1),
      outcomes: new Uint8Array(n).fill(OUTCOME_CODE.parsed), marks: new Float64Array(0), events: new EventPacker().take(),
      web: [], bytes: 10, format: 'syslog', reason: 'why',
    };
    return { lines: n, bytes: 10, format: 'syslog', reason: 'why', take: () => { takes[at]!++; return b; } };
  }

  it('are taken only when the merger reaches them, after the blocks before, with their line numbers then', () => {
    const sinks: JobSink[] = [];
    const ranges = [{ start: 0, end: 10 }, { start: 10, end: null }];
    const source: BlockSource = { next: () => ranges.shift() ?? null, start: (_job: BlockJob, sink) => { sinks.push(sink); } };
    const lane = new BlockLane(1, new Bus(), source, { keepEvent: () => true, ahead: 3, format: 'syslog', aborted: () => false });
    lane.begin();
    assert.equal(sinks.length, 2);
    const takes = [0, 0];
    sinks[0]!.open({ name: 'f', size: null });
    sinks[1]!.batch(queued(3, takes, 1)); // the second block's, before the first's: it waits
    sinks[1]!.end(0, { format: 'syslog', reason: 'why' }, { lines: 3, lastParsedTime: null, stateful: false, states: {} });
    assert.deepEqual(takes, [0, 0]);
    sinks[0]!.batch(queued(2, takes, 0));
    assert.deepEqual(takes, [0, 0], 'the first block streams, but its batch is taken only when the merger asks');
    assert.equal(lane.headKey(), 1);
    assert.deepEqual(takes, [1, 0]);
    lane.deliverUntil(Infinity, false);
    sinks[0]!.end(0, { format: 'syslog', reason: 'why' }, { lines: 2, lastParsedTime: null, stateful: false, states: {} });
    assert.deepEqual(takes, [1, 0], 'its block\'s turn came: queued on the lane, still not taken');
    assert.equal(lane.pending, 3);
    assert.equal(lane.headKey(), 1);
    assert.deepEqual(takes, [1, 1]);
  });
});
