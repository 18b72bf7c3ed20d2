// A bounded heavy-hitters table (Space-Saving): counts, failures and successes per key, never more than `capacity`
// keys whatever the number of distinct keys seen, so that a million spoofed addresses cannot exhaust memory.
import { flatCopy } from '../formats/intern.js';
import type { Outcome, TopEntry } from '../types.js';

/** Slots allocated at first; the columns double up to `capacity` (most scans see a few keys, not ten thousand). */
const INITIAL_SLOTS = 64;

/** Longest list top() picks by insertion; a longer one is sorted whole (insertion costs up to n moves per key). */
const SELECT_MAX = 64;

/**
 * Space-Saving (Metwally et al., 2005). Below capacity the counts are exact and no heap is kept. Once full, a new key
 * takes the slot of the key with the smallest count, inherits that count as its error, and starts its own failures
 * and successes from zero. Every key seen more than n / capacity times is guaranteed to be in the table.
 *
 * What top() reports is `count - error`: the occurrences since the key last entered the table. It never exceeds
 * the truth, and it is the truth for a key never evicted (always, while below capacity).
 *
 * Slots are columns (typed arrays indexed by slot number) rather than an object per key: an add touches a few
 * numbers, the heap compares counts that sit side by side, and ten thousand slots are a handful of objects for the
 * garbage collector to visit, not ten thousand.
 */
export class TopK {
  readonly capacity: number;
  /** Key -> slot number. */
  private readonly slots = new Map<string, number>();
  private readonly keys: string[] = [];
  /** Space-Saving's count: occurrences since insertion plus `error`. The heap is ordered on it. */
  private counts: Float64Array;
  /** The count of the key this slot replaced: how much `count` may overstate. */
  private errors: Float64Array;
  private failures: Float64Array;
  private successes: Float64Array;
  /** A min-heap of slot numbers on count, built when the table first fills (no upkeep while exact). */
  private heap: Int32Array | null = null;
  /** Where each slot sits in the heap (valid once the heap is built). */
  private heapIndex: Int32Array | null = null;
  private evictions = 0;
  /**
   * The key and slot of the last add: consecutive events often name the same key (one host; the lines of one
   * attempt), and a string compare is cheaper than a Map look-up. A slot handed to another key gets a new lastKey.
   */
  private lastKey: string | null = null;
  private lastSlot = -1;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`TopK capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    const n = Math.min(capacity, INITIAL_SLOTS);
    this.counts = new Float64Array(n);
    this.errors = new Float64Array(n);
    this.failures = new Float64Array(n);
    this.successes = new Float64Array(n);
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
    // null tested apart: `key === null-or-string` is compiled as a generic compare, a string one is not (measured)
    const last = this.lastKey;
    let slot = last !== null && key === last ? this.lastSlot : this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size < this.capacity ? this.insert(key) : this.replaceMin(key);
    } else {
      this.counts[slot]++;
      if (this.heap !== null) siftDown(this.heap, this.heapIndex!, this.counts, this.heapIndex![slot]!);
    }
    if (outcome === 'failure') this.failures[slot]++;
    else if (outcome === 'success') this.successes[slot]++;
    // the caller's string: a caller that hands over the same string object again (rules/event.ts reuses the last
    // address and account) is answered by a pointer compare. One string is held, whatever it is.
    this.lastKey = key;
    this.lastSlot = slot;
  }

  /** The `n` keys seen most, most first (ties by key, for stable output). */
  top(n: number): TopEntry[] {
    const size = this.slots.size;
    const want = Math.min(Math.max(0, n), size);
    // A summary asks for ten of up to ten thousand keys: the best few are kept in order as the slots go by, instead
    // of sorting them all (three full tables: ~0.4 G instructions of a 2,000,000-line auth.log scan). Keys are
    // unique, so the order is total and both ways give the same list; a long list is sorted whole.
    const slots = want > SELECT_MAX ? this.sortedSlots() : this.bestSlots(want);
    const out: TopEntry[] = [];
    for (let k = 0; k < want; k++) {
      const s = slots[k]!;
      out.push({ key: this.keys[s]!, count: this.counts[s]! - this.errors[s]!, failures: this.failures[s]!, successes: this.successes[s]! });
    }
    return out;
  }

  /** True when slot a comes before slot b in top(): more occurrences, then the smaller key. */
  private before(a: number, b: number): boolean {
    const ca = this.counts[a]! - this.errors[a]!;
    const cb = this.counts[b]! - this.errors[b]!;
    if (ca !== cb) return ca > cb;
    return this.keys[a]! < this.keys[b]!;
  }

  /** The `want` first slots in top()'s order, by insertion into a list of that length. */
  private bestSlots(want: number): number[] {
    const best: number[] = [];
    if (want === 0) return best;
    for (let s = 0; s < this.slots.size; s++) {
      if (best.length === want && !this.before(s, best[want - 1]!)) continue;
      let i = best.length === want ? want - 1 : best.length;
      while (i > 0 && this.before(s, best[i - 1]!)) i--;
      if (best.length === want) best.pop();
      best.splice(i, 0, s);
    }
    return best;
  }

  private sortedSlots(): number[] {
    const all: number[] = [];
    for (let s = 0; s < this.slots.size; s++) all.push(s);
    return all.sort((a, b) => (this.before(a, b) ? -1 : 1));
  }

  /** A new key in the next free slot, counted once; builds the heap when that fills the table. */
  private insert(key: string): number {
    const slot = this.slots.size;
    if (slot === this.counts.length) this.grow();
    const copy = flatCopy(key);
    this.keys.push(copy);
    this.counts[slot] = 1;
    this.slots.set(copy, slot);
    if (slot + 1 === this.capacity) this.buildHeap();
    return slot;
  }

  /** The least counted key's slot goes to `key`, counted once more than that key was. */
  private replaceMin(key: string): number {
    const heap = this.heap!; // full implies built
    const slot = heap[0]!;
    this.slots.delete(this.keys[slot]!);
    const copy = flatCopy(key);
    this.keys[slot] = copy;
    this.slots.set(copy, slot);
    this.errors[slot] = this.counts[slot]!;
    this.counts[slot]++;
    this.failures[slot] = 0;
    this.successes[slot] = 0;
    siftDown(heap, this.heapIndex!, this.counts, 0);
    this.evictions++;
    return slot;
  }

  private grow(): void {
    const n = Math.min(this.capacity, this.counts.length * 2);
    this.counts = widen(this.counts, n);
    this.errors = widen(this.errors, n);
    this.failures = widen(this.failures, n);
    this.successes = widen(this.successes, n);
  }

  /** Slots in the order their keys came (the order a heap of the keys as they came would start from). */
  private buildHeap(): void {
    const n = this.capacity;
    const heap = new Int32Array(n);
    const heapIndex = new Int32Array(n);
    for (let i = 0; i < n; i++) heap[i] = heapIndex[i] = i;
    for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(heap, heapIndex, this.counts, i);
    this.heap = heap;
    this.heapIndex = heapIndex;
  }
}

function widen(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

/** Counts only grow, so a slot only ever moves down. */
function siftDown(heap: Int32Array, heapIndex: Int32Array, counts: Float64Array, i: number): void {
  const n = heap.length;
  const item = heap[i]!;
  const count = counts[item]!;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && counts[heap[right]!]! < counts[heap[left]!]! ? right : left;
    const c = heap[child]!;
    if (counts[c]! >= count) break;
    heap[i] = c;
    heapIndex[c] = i;
    i = child;
  }
  heap[i] = item;
  heapIndex[item] = i;
}
