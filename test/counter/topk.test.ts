// The bounded heavy-hitters table: exact below capacity, bounded and never over-counting above it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TopK } from '../../src/counter/topk.js';
import type { Outcome } from '../../src/types.js';

describe('TopK', () => {
  it('is exact below capacity, most first and ties by key', () => {
    const t = new TopK(3);
    t.add('b', 'success');
    t.add('a', 'failure');
    t.add('a', 'success');
    t.add('c', 'unknown');
    t.add('a', 'failure');
    assert.deepEqual(t.top(10), [
      { key: 'a', count: 3, failures: 2, successes: 1 },
      { key: 'b', count: 1, failures: 0, successes: 1 },
      { key: 'c', count: 1, failures: 0, successes: 0 },
    ]);
    assert.equal(t.approximate, false);
    assert.equal(t.size, 3);
  });

  it('stays exact when the table is exactly full', () => {
    const t = new TopK(2);
    for (const k of ['x', 'y', 'x', 'y', 'x']) t.add(k, 'failure');
    assert.deepEqual(t.top(2), [
      { key: 'x', count: 3, failures: 3, successes: 0 },
      { key: 'y', count: 2, failures: 2, successes: 0 },
    ]);
    assert.equal(t.approximate, false);
  });

  it('top(n) returns at most n entries', () => {
    const t = new TopK(5);
    for (const k of ['a', 'b', 'c', 'a']) t.add(k, 'unknown');
    assert.deepEqual(t.top(1), [{ key: 'a', count: 2, failures: 0, successes: 0 }]);
    assert.deepEqual(t.top(0), []);
  });

  it('top(n) for any n is the start of the whole list sorted by count, then key (picked or sorted alike)', () => {
    const outcome = fc.constantFrom<Outcome>('failure', 'success', 'unknown');
    // few values against up to 120 keys: many ties, resolved by key; n on both sides of the insertion limit (64)
    const stream = fc.array(fc.tuple(fc.integer({ min: 0, max: 119 }), outcome), { maxLength: 500 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 130 }), stream, fc.integer({ min: 0, max: 140 }), (capacity, items, n) => {
      const t = new TopK(capacity);
      for (const [k, o] of items) t.add(`k${k}`, o);
      const all = t.top(capacity);
      const sorted = [...all].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      assert.deepEqual(all, sorted);
      assert.deepEqual(t.top(n), sorted.slice(0, n));
    }), { numRuns: 300 });
  });

  it('evicts the smallest key and counts the newcomer from its arrival', () => {
    const t = new TopK(2);
    t.add('a', 'failure');
    t.add('a', 'failure');
    t.add('b', 'failure'); // full: a=2, b=1
    t.add('c', 'success'); // replaces b (the minimum); c is reported from its arrival: 1, not 2
    assert.deepEqual(t.top(5), [
      { key: 'a', count: 2, failures: 2, successes: 0 },
      { key: 'c', count: 1, failures: 0, successes: 1 },
    ]);
    assert.equal(t.approximate, true);
    assert.equal(t.size, 2);
  });

  it('holds no more than capacity keys for a million distinct keys, and keeps the heavy hitter exact', () => {
    const t = new TopK(10_000);
    for (let i = 0; i < 1_000_000; i++) {
      t.add(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 'failure');
      if (i % 10 === 0) t.add('203.0.113.9', 'failure');
    }
    assert.equal(t.size, 10_000);
    assert.equal(t.approximate, true);
    assert.deepEqual(t.top(1), [{ key: '203.0.113.9', count: 100_000, failures: 100_000, successes: 0 }]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    assert.throws(() => new TopK(0), RangeError);
    assert.throws(() => new TopK(2.5), RangeError);
  });

  it('property: never over-counts, stays bounded, keeps every key seen more than n/capacity times', () => {
    const outcome = fc.constantFrom<Outcome>('failure', 'success', 'unknown');
    const stream = fc.array(fc.tuple(fc.integer({ min: 0, max: 25 }), outcome), { maxLength: 400 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), stream, (capacity, items) => {
      const t = new TopK(capacity);
      const truth = new Map<string, { count: number; failures: number; successes: number }>();
      for (const [n, o] of items) {
        const key = `k${n}`;
        t.add(key, o);
        const c = truth.get(key) ?? { count: 0, failures: 0, successes: 0 };
        c.count++;
        if (o === 'failure') c.failures++;
        if (o === 'success') c.successes++;
        truth.set(key, c);
      }
      assert.ok(t.size <= capacity);
      const reported = t.top(capacity);
      for (const e of reported) {
        const real = truth.get(e.key)!;
        assert.ok(e.count >= 1 && e.count <= real.count, `${e.key}: ${e.count} > ${real.count}`);
        assert.ok(e.failures <= real.failures && e.successes <= real.successes);
        assert.ok(e.failures + e.successes <= e.count);
      }
      const keys = new Set(reported.map((e) => e.key));
      for (const [key, real] of truth) {
        if (real.count > items.length / capacity) assert.ok(keys.has(key), `heavy hitter ${key} (${real.count}/${items.length}) lost`);
      }
      if (truth.size <= capacity) {
        assert.equal(t.approximate, false);
        for (const e of reported) assert.deepEqual({ count: e.count, failures: e.failures, successes: e.successes }, truth.get(e.key));
        assert.equal(reported.length, truth.size);
      } else {
        assert.equal(t.approximate, true);
      }
    }), { numRuns: 500 });
  });
});
