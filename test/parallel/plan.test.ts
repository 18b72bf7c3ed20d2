// When a scan uses worker threads, and how many: --threads N workers up to one per CPU; auto needs two CPUs and 32 MB.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUTO_MIN_BYTES, scanWorkers, splitWorkers, workersFor } from '../../src/parallel/plan.js';
import { builtinRules } from '../../src/rules/compose.js';
import type { Source } from '../../src/sources/expand.js';
import type { SourceProblem } from '../../src/types.js';

const rules = builtinRules();
const eligible = { rules, sigma: [], noStore: true };

function file(name: string, size: number | null, path: string | null = `/logs/${name}`): Source {
  return { name, path, size, mtime: null, open: () => Promise.reject(new Error('not opened in this test')) };
}
const missing: SourceProblem = { source: 'gone', message: 'cannot read gone: no such file or directory', code: 'ENOENT', level: 'error' };

describe('scanWorkers', () => {
  it('auto: one worker per CPU, from 32 MB on (on two CPUs, the main thread reading blocks too); none on one CPU', () => {
    assert.deepEqual(scanWorkers({ threads: null, ...eligible }, 2), { workers: 2, rules, sigma: [], minBytes: 32 * 1024 * 1024, mainReads: true });
    assert.deepEqual(scanWorkers({ threads: null, ...eligible }, 8), { workers: 8, rules, sigma: [], minBytes: 32 * 1024 * 1024, mainReads: false });
    assert.equal(scanWorkers({ threads: null, ...eligible }, 1), null);
  });

  it('--threads N: N workers at any size, at most one per CPU but at least one; 1 is none', () => {
    assert.deepEqual(scanWorkers({ threads: 3, ...eligible }, 8), { workers: 3, rules, sigma: [], minBytes: 0, mainReads: false });
    assert.deepEqual(scanWorkers({ threads: 2, ...eligible }, 2), { workers: 2, rules, sigma: [], minBytes: 0, mainReads: true });
    assert.deepEqual(scanWorkers({ threads: 16, ...eligible }, 2), { workers: 2, rules, sigma: [], minBytes: 0, mainReads: true });
    assert.deepEqual(scanWorkers({ threads: 2, ...eligible }, 1), { workers: 1, rules, sigma: [], minBytes: 0, mainReads: false });
    assert.equal(scanWorkers({ threads: 1, ...eligible }, 8), null);
  });

  it('the scan\'s own rules and Sigma rules go with the plan; none with the event store', () => {
    const site = rules.slice(0, 3);
    assert.deepEqual(scanWorkers({ threads: 4, rules: site, sigma: [], noStore: true }, 8)?.rules, site);
    assert.equal(scanWorkers({ threads: null, rules, sigma: [], noStore: false }, 8), null);
  });
});

describe('splitWorkers', () => {
  const big = [file('a', 64 * 1024 * 1024)];

  it('one file in blocks: the workers, or one fewer when the main thread reads blocks too', () => {
    assert.equal(splitWorkers(big, { workers: 2, minBytes: 0 }, 4 * 1024 * 1024), 2);
    assert.equal(splitWorkers(big, { workers: 2, minBytes: 0, mainReads: true }, 4 * 1024 * 1024), 1);
    assert.equal(splitWorkers(big, { workers: 8, minBytes: 0, mainReads: true }, 4 * 1024 * 1024), 7);
    assert.equal(splitWorkers([file('a', 8 * 1024 * 1024 - 1)], { workers: 2, minBytes: 0, mainReads: true }, 4 * 1024 * 1024), 0);
  });
});

describe('workersFor', () => {
  const plan = { workers: 4, minBytes: 0 };

  it('never more workers than files, nor than are read at once', () => {
    assert.equal(workersFor([file('a', 10), missing, file('b', 10)], plan, 16), 2);
    assert.equal(workersFor([file('a', 10), file('b', 10), file('c', 10), file('d', 10), file('e', 10)], plan, 16), 4);
    assert.equal(workersFor([file('a', 10), file('b', 10), file('c', 10)], plan, 2), 2);
  });

  it('none for one file, for files read one after another, or without a plan', () => {
    assert.equal(workersFor([file('a', 10), missing], plan, 16), 0);
    assert.equal(workersFor([file('a', 10), file('b', 10)], plan, 1), 0);
    assert.equal(workersFor([file('a', 10), file('b', 10)], null, 16), 0);
  });

  it('none when a source is standard input or a pipe (not reopened by path)', () => {
    assert.equal(workersFor([file('a', 10), file('(stdin)', null, null)], plan, 16), 0);
    assert.equal(workersFor([file('a', 10), file('/dev/fd/63', null)], plan, 16), 0);
  });

  it('auto: none below the size that pays for a thread', () => {
    const auto = { workers: 1, minBytes: AUTO_MIN_BYTES };
    assert.equal(workersFor([file('a', 16 * 1024 * 1024), file('b', 16 * 1024 * 1024 - 1)], auto, 16), 0);
    assert.equal(workersFor([file('a', 16 * 1024 * 1024), file('b', 16 * 1024 * 1024)], auto, 16), 1);
  });
});
