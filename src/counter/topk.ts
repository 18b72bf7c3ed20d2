// A bounded heavy-hitters table (Space-Saving): counts, failures and successes per key, never more than `capacity`
// keys whatever the number of distinct keys seen, so that a million spoofed addresses cannot exhaust memory.
import { copyString } from '../formats/intern.js';
import type { Outcome, TopEntry } from '../types.js';

interface Slot {
  key: string;
  /** Space-Saving's count: occurrences since insertion plus `error`. The heap is ordered on it. */
  count: number;
  /** The count of the key this slot replaced: how much `count` may overstate. */
  error: number;
  failures: number;
  successes: number;
  /** Position in the heap (valid once the heap is built). */
  index: number;
}

/**
 * Space-Saving (Metwally et al., 2005). Below capacity the counts are exact and no heap is kept. Once full, a new key
 * takes the slot of the key with the smallest count, inherits that count as its error, and starts its own failures
 * and successes from zero. Every key seen more than n / capacity times is guaranteed to be in the table.
 *
 * What top() reports is `count - error`: the occurrences since the key last entered the table. It never exceeds
 * the truth, and it is the truth for a key never evicted (always, while below capacity).
 */
export class TopK {
  readonly capacity: number;
  private readonly slots = new Map<string, Slot>();
  /** A min-heap on count, built when the table first fills; null before (no upkeep while exact). */
  private heap: Slot[] | null = null;
  private evictions = 0;
  /**
   * The slot of the last add: consecutive events often name the same key (one host; the lines of one attempt), and a
   * string compare is cheaper than a Map look-up. A slot handed to another key (replaceMin) no longer matches.
   */
  private last: Slot | null = null;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`TopK capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  /** True once a key had to be forgotten: counts are then lower bounds. */
  get approximate(): boolean {
    return this.evictions > 0;
  }

  /** The number of keys held (at most capacity). */
  get size(): number {
    return this.slots.size;
  }

  add(key: string, outcome: Outcome): void {
    const last = this.last;
    const slot = last !== null && last.key === key ? last : this.slots.get(key);
    if (slot !== undefined) {
      slot.count++;
      tally(slot, outcome);
      if (this.heap !== null) siftDown(this.heap, slot.index);
      this.last = slot;
      return;
    }
    if (this.slots.size < this.capacity) {
      const fresh: Slot = { key: copyString(key), count: 1, error: 0, failures: 0, successes: 0, index: -1 };
      tally(fresh, outcome);
      this.slots.set(fresh.key, fresh);
      if (this.slots.size === this.capacity) this.heap = buildHeap(this.slots);
      this.last = fresh;
      return;
    }
    this.last = this.replaceMin(key, outcome);
  }

  /** The `n` keys seen most, most first (ties by key, for stable output). */
  top(n: number): TopEntry[] {
    const all = [...this.slots.values()];
    all.sort((a, b) => b.count - b.error - (a.count - a.error) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return all.slice(0, Math.max(0, n)).map((s) => ({ key: s.key, count: s.count - s.error, failures: s.failures, successes: s.successes }));
  }

  private replaceMin(key: string, outcome: Outcome): Slot {
    const heap = this.heap!; // full implies built
    const min = heap[0]!;
    this.slots.delete(min.key);
    min.key = copyString(key);
    min.error = min.count;
    min.count++;
    min.failures = 0;
    min.successes = 0;
    tally(min, outcome);
    this.slots.set(min.key, min);
    siftDown(heap, 0);
    this.evictions++;
    return min;
  }
}

function tally(slot: Slot, outcome: Outcome): void {
  if (outcome === 'failure') slot.failures++;
  else if (outcome === 'success') slot.successes++;
}

function buildHeap(slots: Map<string, Slot>): Slot[] {
  const heap = [...slots.values()];
  for (let i = 0; i < heap.length; i++) heap[i]!.index = i;
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
  return heap;
}

/** Counts only grow, so a slot only ever moves down. */
function siftDown(heap: Slot[], i: number): void {
  const n = heap.length;
  const item = heap[i]!;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && heap[right]!.count < heap[left]!.count ? right : left;
    const c = heap[child]!;
    if (c.count >= item.count) break;
    heap[i] = c;
    c.index = i;
    i = child;
  }
  heap[i] = item;
  item.index = i;
}
