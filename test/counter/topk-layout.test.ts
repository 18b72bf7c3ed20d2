// TopK keeps its slots in typed arrays: the same Space-Saving steps as the table of one object per key it replaced,
// so the same keys are evicted and the same counts reported (the summary's bytes depend on which equal-count key goes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TopK } from '../../src/counter/topk.js';
import type { Outcome, TopEntry } from '../../src/types.js';

interface Slot { key: string; count: number; error: number; failures: number; successes: number; index: number }

/** The object-per-key table as it was (session 4), kept here as the reference. */
class ObjectTopK {
  private readonly slots = new Map<string, Slot>();
  private heap: Slot[] | null = null;
  evictions = 0;
  constructor(private readonly capacity: number) {}

  add(key: string, outcome: Outcome): void {
    let slot = this.slots.get(key);
    if (slot !== undefined) {
      slot.count++;
      if (this.heap !== null) siftDown(this.heap, slot.index);
    } else if (this.slots.size < this.capacity) {
      slot = { key, count: 1, error: 0, failures: 0, successes: 0, index: -1 };
      this.slots.set(key, slot);
      if (this.slots.size === this.capacity) {
        const heap = [...this.slots.values()];
        heap.forEach((s, i) => { s.index = i; });
        for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
        this.heap = heap;
      }
    } else {
      slot = this.heap![0]!;
      this.slots.delete(slot.key);
      slot.key = key;
      slot.error = slot.count;
      slot.count++;
      slot.failures = 0;
      slot.successes = 0;
      this.slots.set(key, slot);
      siftDown(this.heap!, 0);
      this.evictions++;
    }
    if (outcome === 'failure') slot.failures++;
    else if (outcome === 'success') slot.successes++;
  }

  top(n: number): TopEntry[] {
    const all = [...this.slots.values()];
    all.sort((a, b) => b.count - b.error - (a.count - a.error) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return all.slice(0, n).map((s) => ({ key: s.key, count: s.count - s.error, failures: s.failures, successes: s.successes }));
  }
}

function siftDown(heap: Slot[], i: number): void {
  const item = heap[i]!;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const child = left + 1 < heap.length && heap[left + 1]!.count < heap[left]!.count ? left + 1 : left;
    if (heap[child]!.count >= item.count) break;
    heap[i] = heap[child]!;
    heap[i]!.index = i;
    i = child;
  }
  heap[i] = item;
  item.index = i;
}

describe('TopK (typed-array slots)', () => {
  it('evicts exactly the keys the object table evicted, with the same counts, over many ties', () => {
    const outcome = fc.constantFrom<Outcome>('failure', 'success', 'unknown');
    // few distinct keys against small capacities: most adds tie with others, many evict
    const stream = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), outcome), { maxLength: 600 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), stream, (capacity, items) => {
      const t = new TopK(capacity);
      const ref = new ObjectTopK(capacity);
      for (const [n, o] of items) {
        t.add(`10.0.0.${n}`, o);
        ref.add(`10.0.0.${n}`, o);
      }
      assert.deepEqual(t.top(capacity), ref.top(capacity));
      assert.equal(t.approximate, ref.evictions > 0);
    }), { numRuns: 400 });
  });

  it('grows its columns past the first allocation and keeps every count', () => {
    const t = new TopK(1000);
    for (let round = 0; round < 3; round++) for (let i = 0; i < 300; i++) t.add(`user${i}`, i % 2 === 0 ? 'failure' : 'success');
    t.add('user7', 'failure');
    assert.equal(t.size, 300);
    assert.equal(t.approximate, false);
    assert.deepEqual(t.top(2), [
      { key: 'user7', count: 4, failures: 1, successes: 3 },
      { key: 'user0', count: 3, failures: 3, successes: 0 },
    ]);
  });

  it('counts a key whose slot was handed to another key afresh (the last-key shortcut does not keep it)', () => {
    const t = new TopK(2);
    t.add('a', 'failure');
    t.add('a', 'failure');
    t.add('b', 'failure'); // full: a=2, b=1 (b is the minimum)
    t.add('c', 'success'); // takes b's slot: c=2 with error 1
    t.add('b', 'failure'); // b comes back: takes the minimum again (a=2 or c=2: the heap's pick), not c's count
    assert.equal(t.size, 2);
    const top = t.top(2);
    assert.ok(top.some((e) => e.key === 'b' && e.count === 1 && e.failures === 1), JSON.stringify(top));
  });
});
