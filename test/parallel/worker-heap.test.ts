// A worker thread's young generation is WORKER_YOUNG_MB, whatever --max-semi-space-size the process runs with.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { describe, it } from 'node:test';
import { WORKER_YOUNG_MB, workerOptions } from '../../src/parallel/pool.js';

/** Allocates ~200 MB of short-lived objects and reports the largest its young generation's new space grew. */
const PROBE = `
const { getHeapSpaceStatistics } = require('node:v8');
const { parentPort } = require('node:worker_threads');
let keep = [];
let peak = 0;
for (let i = 0; i < 2e6; i++) {
  keep.push({ i, s: 'x' + i });
  if (keep.length > 20000) keep = [];
  if ((i & 0xffff) === 0) peak = Math.max(peak, getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
}
parentPort.postMessage(peak);
`;

function newSpacePeak(): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(PROBE, { ...workerOptions({ rules: [], sigma: [] }), eval: true });
    w.once('message', (peak: number) => void w.terminate().then(() => resolve(peak)));
    w.once('error', reject);
  });
}

describe('worker heap', () => {
  it('a small young generation, even under bin/audit.js --max-semi-space-size=8 (16 MB of new space)', async () => {
    setFlagsFromString('--max-semi-space-size=8'); // what bin/audit.js runs with: it would win over resourceLimits
    const peak = await newSpacePeak();
    assert.equal(WORKER_YOUNG_MB, 6);
    assert.ok(peak > 0 && peak <= 4 * 1024 * 1024, `new space grew to ${peak} bytes`);
  });
});
