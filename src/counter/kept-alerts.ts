// The alerts kept for the summary, at most `capacity`: past it a new alert replaces the first of the least important
// kept (lower severity, then fewer events), found through a heap instead of a scan of every kept alert.
import { severityRank, type Alert } from '../types.js';

/**
 * Alerts in arrival order, each replaced in place. The heap holds their indices, the least important on top, and
 * among equally important ones the lowest index: a total order, so the top is exactly the alert a scan from the
 * start would pick (what the summary showed before the heap).
 */
export class KeptAlerts {
  readonly capacity: number;
  private readonly alerts: Alert[] = [];
  /** Severity rank per index, read by the heap's compares (severityRank searches a list). */
  private readonly ranks: number[] = [];
  /** Indices into `alerts`; built when the list first fills. */
  private heap: number[] | null = null;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`KeptAlerts capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  add(a: Alert): void {
    if (this.alerts.length < this.capacity) {
      this.alerts.push(a);
      this.ranks.push(severityRank(a.severity));
      return;
    }
    const heap = (this.heap ??= this.buildHeap());
    const least = heap[0]!;
    const rank = severityRank(a.severity);
    // replaced only by an alert that matters more: higher severity, or as high and more events
    if (!(rank > this.ranks[least]! || (rank === this.ranks[least]! && a.count > this.alerts[least]!.count))) return;
    this.alerts[least] = a;
    this.ranks[least] = rank;
    this.siftDown(0);
  }

  /** A copy, in arrival order (replacements in the place of what they replaced). */
  list(): Alert[] {
    return [...this.alerts];
  }

  /** True when the alert at index i should be nearer the top than the one at j. */
  private lessThan(i: number, j: number): boolean {
    const ri = this.ranks[i]!;
    const rj = this.ranks[j]!;
    if (ri !== rj) return ri < rj;
    const ci = this.alerts[i]!.count;
    const cj = this.alerts[j]!.count;
    return ci !== cj ? ci < cj : i < j;
  }

  private buildHeap(): number[] {
    const heap = this.alerts.map((_, i) => i);
    this.heap = heap;
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    return heap;
  }

  private siftDown(i: number): void {
    const heap = this.heap!;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.lessThan(heap[right]!, heap[left]!) ? right : left;
      if (!this.lessThan(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  }
}
