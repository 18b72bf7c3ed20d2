// The pipeline on worker threads: lines folded on the bus, every line accounted for, Ctrl-C ending every source, a
// dead worker as a one-line problem, standard input on the main thread, and the --threads flag.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Bus } from '../../src/bus.js';
import { main } from '../../src/cli.js';
import { parseScanOptions } from '../../src/commands/scan.js';
import { Counter } from '../../src/counter/counter.js';
import { mergeLanes } from '../../src/merge.js';
import { WorkerPool } from '../../src/parallel/pool.js';
import { WorkerLane } from '../../src/parallel/worker-lane.js';
import { collectSources, runPipeline, type PipelineOptions } from '../../src/pipeline.js';
import { builtinRules } from '../../src/rules/compose.js';
import { createEngine } from '../../src/rules/engine.js';
import { isProblem } from '../../src/sources/expand.js';
import { memoryIo } from '../helpers/io.js';
import { MAX_LINE_BYTES, writePair, type Pair } from './pair.js';
import { busTraffic } from './traffic.js';

function options(extra: Partial<PipelineOptions> = {}): PipelineOptions {
  return {
    engine: createEngine({ rules: builtinRules() }), forcedFormat: null, maxLineBytes: MAX_LINE_BYTES, since: null, until: null,
    keepEvent: () => true, parallel: { workers: 2, minBytes: 0 }, ...extra,
  };
}

describe('the pipeline on worker threads', () => {
  let pair: Pair;
  before(() => { pair = writePair(60_000, 60_000); });
  after(() => rmSync(pair.dir, { recursive: true, force: true }));

  it('folds event-less lines and still accounts for every line of each file', async () => {
    const io = memoryIo();
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    let folded = 0;
    bus.on('lines', (_f, _o, n) => { folded += n; });
    const { items } = await collectSources([pair.auth, pair.access], io);
    await runPipeline(items, options(), bus, io);
    const s = counter.summary();
    assert.ok(folded > 30_000, `folded ${folded}`);
    assert.deepEqual(s.sources.map((x) => [x.lines, x.parsed + x.unparsed + x.skipped + x.truncated, x.unparsed, x.truncated]), [
      [60_000, 60_000, 6000, 13],
      [60_000, 60_000, 594, 0],
    ]);
  });

  it('puts the same records accounting and events on the bus with one worker reading both files', async () => {
    const seen = async (parallel: PipelineOptions['parallel']): Promise<string[]> => {
      const io = memoryIo();
      const { bus, text } = busTraffic();
      const { items } = await collectSources([pair.access, 'fixtures/logs/syslog', pair.auth], io);
      await runPipeline(items, options({ parallel }), bus, io);
      return text();
    };
    const one = await seen(null);
    assert.ok(one.length > 40_000, String(one.length));
    assert.deepEqual(await seen({ workers: 1, minBytes: 0 }), one);
  });

  it('on two CPUs, the main thread reads one file and a worker the others, with the same bus traffic as one thread', async () => {
    // Which thread each read went to: pool.read's last argument says the main thread (MainReader).
    const onMain: boolean[] = [];
    const read = WorkerPool.prototype.read;
    WorkerPool.prototype.read = function (this: WorkerPool, ...args: Parameters<WorkerPool['read']>): void {
      onMain.push(args[4] === true);
      read.apply(this, args);
    };
    let sources = 0;
    const seen = async (parallel: PipelineOptions['parallel'], mergeWidth?: number): Promise<string[]> => {
      const io = memoryIo();
      const { bus, text } = busTraffic();
      const { items } = await collectSources([pair.access, 'fixtures/logs/syslog', pair.auth, 'fixtures/logs/nope.log'], io);
      sources = items.filter((item) => !isProblem(item)).length;
      await runPipeline(items, options({ parallel, mergeWidth }), bus, io);
      return text();
    };
    try {
      // every file at once (the main thread takes the first), and two at a time (it takes the next file once free)
      for (const width of [undefined, 2]) {
        const one = await seen(null, width);
        assert.ok(one.length > 40_000, String(one.length));
        onMain.length = 0;
        assert.deepEqual(await seen({ workers: 2, minBytes: 0, mainReads: true }, width), one, `width ${width ?? 'default'}`);
        assert.ok(sources >= 3, String(sources));
        assert.equal(onMain.length, sources);
        assert.ok(onMain[0] === true && onMain.filter((m) => m).length < sources, onMain.join());
      }
    } finally {
      WorkerPool.prototype.read = read;
    }
  });

  it('reads standard input on the main thread, without workers', async () => {
    const io = memoryIo({ stdin: 'Nov 24 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2\n' });
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    let folded = 0;
    bus.on('lines', () => { folded++; });
    const { items } = await collectSources(['-', pair.auth], io);
    await runPipeline(items, options(), bus, io);
    assert.equal(folded, 0);
    assert.deepEqual(counter.summary().sources.map((x) => [x.name, x.lines]), [['(stdin)', 1], [pair.auth, 60_000]]);
  });

  it('stops at Ctrl-C: nothing more is delivered, every started source still ends, counts add up', async () => {
    const io = memoryIo();
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    const ac = new AbortController();
    const order: string[] = [];
    let lines = 0;
    bus.on('lines', (_f, _o, n) => { lines += n; if (lines >= 2000) ac.abort('interrupt'); });
    bus.on('sourceStart', (s) => order.push(`start ${s.name}`));
    bus.on('sourceEnd', (s) => order.push(`end ${s.name}`));
    const { items } = await collectSources([pair.auth, pair.access], io);
    await runPipeline(items, options({ signal: ac.signal }), bus, io);
    assert.deepEqual(order, [`start ${pair.auth}`, `start ${pair.access}`, `end ${pair.auth}`, `end ${pair.access}`]);
    const s = counter.summary();
    assert.ok(s.totals.lines >= 2000 && s.totals.lines < 60_000, String(s.totals.lines));
    for (const x of s.sources) assert.equal(x.lines, x.parsed + x.unparsed + x.skipped + x.truncated);
  });

  it('says a dead worker as one line per source it was reading, and goes on', async () => {
    const io = memoryIo();
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    const { items } = await collectSources([pair.auth, 'fixtures/logs/nope.log', pair.access], io);
    const pool = new WorkerPool(1, bus, new URL('./crash-worker.js', import.meta.url));
    const job = { mtime: null, now: 0, forced: null, maxLineBytes: 1024, since: null, until: null, block: null };
    try {
      await mergeLanes(
        items, isProblem,
        (index) => new WorkerLane(index, bus, { keepEvent: () => true, consumed: (n) => pool.consumed(index, n) }),
        (source, lane) => { pool.read(lane.index, { ...job, name: source.name, path: source.path! }, source.size, lane); return Promise.resolve(); },
        bus, { width: 16 },
      );
    } finally {
      await pool.close();
    }
    assert.deepEqual(counter.summary().problems.map((p) => [p.code, p.message]), [
      ['ENOENT', 'cannot read fixtures/logs/nope.log: no such file or directory'],
      ['EWORKER', `cannot read ${pair.auth}: the worker thread reading it failed: boom while reading ${pair.auth}`],
      ['EWORKER', `cannot read ${pair.access}: the worker thread reading it failed: boom while reading ${pair.auth}`],
    ]);
  });
});

describe('--json to a slow reader on worker threads', () => {
  let pair: Pair;
  before(() => { pair = writePair(20_000, 20_000); });
  after(() => rmSync(pair.dir, { recursive: true, force: true }));

  it('writes the same lines as a single-threaded scan to a fast one', async () => {
    const chunks: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb): void {
        chunks.push(chunk);
        setTimeout(cb, 1);
      },
    });
    const io = { ...memoryIo(), out: slow };
    const args = ['scan', '--json', '--max-line-bytes', String(MAX_LINE_BYTES), pair.auth, pair.access];
    assert.equal(await main([...args.slice(0, 2), '--threads', '3', ...args.slice(2)], io), 0);
    const fast = memoryIo();
    assert.equal(await main([...args.slice(0, 2), '--threads', '1', ...args.slice(2)], fast), 0);
    assert.equal(Buffer.concat(chunks).toString('utf8'), fast.stdout());
  });
});

describe('--threads', () => {
  it('takes a whole number from 1', async () => {
    const io = memoryIo();
    assert.equal(await main(['scan', '--threads', '0', 'fixtures/logs/example'], io), 2);
    assert.equal(io.stderr(), 'audit: --threads: 0 is out of range (1 to 64)\n');
    const word = memoryIo();
    assert.equal(await main(['scan', '--threads', 'many', 'fixtures/logs/example'], word), 2);
    assert.equal(word.stderr(), "audit: --threads: 'many' is neither a whole number nor 'auto'\n");
  });

  it("is one thread unless asked; 'auto' gives the same output (below 32 MB it stays on one thread too)", async () => {
    const def = memoryIo();
    const auto = memoryIo();
    assert.equal(await main(['scan', '--json', 'fixtures/logs/multi-host'], def), 0);
    assert.equal(await main(['scan', '--json', '--threads', 'auto', 'fixtures/logs/multi-host'], auto), 0);
    assert.equal(auto.stdout(), def.stdout());
    const raw = { top: '10', minSeverity: 'info', maxLineBytes: '1m', webhookFormat: 'generic', webhookSpool: 's.ndjson', webhookTimeout: '5s' };
    assert.equal(parseScanOptions(['a', 'b'], raw, memoryIo()).threads, 1);
    assert.equal(parseScanOptions(['a', 'b'], { ...raw, threads: 'auto' }, memoryIo()).threads, null);
  });

  it('with standard input among the inputs, scans on one thread with the same result', async () => {
    const stdin = 'Nov 24 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2\n';
    const one = memoryIo({ stdin });
    const two = memoryIo({ stdin });
    assert.equal(await main(['scan', '--json', '--threads', '1', '-', 'fixtures/logs/multi-host'], one), 0);
    assert.equal(await main(['scan', '--json', '--threads', '2', '-', 'fixtures/logs/multi-host'], two), 0);
    assert.equal(two.stdout(), one.stdout());
    assert.match(one.stdout(), /"file":"\(stdin\)"/);
  });
});
