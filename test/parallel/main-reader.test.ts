// The main thread as a reader of blocks (plan.ts mainReads): a block waits until a worker has room for it, or until
// the merger has nothing to deliver and the main thread reads none; a dead worker still ends the file with one line.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Bus } from '../../src/bus.js';
import { BlockLane, type BlockSource } from '../../src/parallel/block-lane.js';
import type { BlockJob } from '../../src/parallel/protocol.js';
import { readWithDeadWorker } from './dead-worker.js';
import { writePair, type Pair } from './pair.js';

describe('BlockLane with the main thread reading', () => {
  it('gives a worker blocks while it has room, and the main thread the next one only once the merger waits', () => {
    const started: string[] = [];
    let worker = 0;
    let main = 0;
    const ranges = [{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 20, end: 30 }, { start: 30, end: 40 }, { start: 40, end: null }];
    const source: BlockSource = {
      next: () => ranges.shift() ?? null,
      start: (job: BlockJob, _sink, onMain) => {
        started.push(`${job.start} ${onMain ? 'main' : 'worker'}`);
        if (onMain) main++;
        else worker++;
      },
      shares: { workerRoom: () => worker < 2, mainFree: () => main === 0 },
    };
    const lane = new BlockLane(1, new Bus(), source, { keepEvent: () => true, ahead: 3, format: 'syslog', aborted: () => false });
    lane.begin();
    assert.deepEqual(started, ['0 worker', '10 worker'], 'the other blocks wait: the worker is full, the merger busy');
    assert.notEqual(lane.ready(), null, 'nothing to deliver yet');
    assert.deepEqual(started, ['0 worker', '10 worker', '20 main']);
    assert.notEqual(lane.ready(), null);
    assert.deepEqual(started, ['0 worker', '10 worker', '20 main'], 'the main thread reads one block at a time');
    assert.equal(ranges.length, 2, 'a block is cut only when a reader takes it');
  });

  it('ends the file at Ctrl-C even when no reader took a block', async () => {
    let aborted = false;
    const ranges = [{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 20, end: null }];
    const source: BlockSource = {
      next: () => ranges.shift() ?? null,
      start: () => {}, // never answers: nothing was read when Ctrl-C comes
      shares: { workerRoom: () => false, mainFree: () => false },
    };
    const lane = new BlockLane(1, new Bus(), source, { keepEvent: () => true, ahead: 3, format: 'syslog', aborted: () => aborted });
    lane.begin();
    aborted = true;
    lane.stop();
    assert.equal(lane.ended, true);
  });
});

describe('a dead worker while the main thread reads blocks too', () => {
  let pair: Pair;
  before(() => { pair = writePair(6_000, 10); });
  after(() => rmSync(pair.dir, { recursive: true, force: true }));

  it('ends the file with one line saying so', async () => {
    const counter = await readWithDeadWorker(pair.auth);
    assert.deepEqual(counter.summary().problems.map((p) => [p.code, p.message]), [
      ['EWORKER', `cannot read ${pair.auth}: the worker thread reading it failed: boom while reading ${pair.auth}`],
    ]);
  });
});
