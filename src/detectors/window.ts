// Sliding windows keyed by address, user or phone, on event time: finds when N items (or N distinct values) of one
// key fall within W ms, whatever the order in which items arrive (several files read one after the other).
import type { Alert } from '../types.js';

export type Evidence = Alert['evidence'][number];

/**
 * One event in a window. What an alert shows of it (file, line, message) is held here rather than in an Evidence
 * object of its own: one object per stored event instead of two. Evidence objects are made only for alerts
 * (evidenceOf). Always built with these five properties in this order (one hidden class for every item).
 */
export interface WindowItem {
  t: number; // event time, ms since the epoch
  value: string | null; // what is counted distinct (a user, an address), or null
  file: string;
  line: number;
  message: string;
}

/** The alert's view of an item: a new object with exactly what alerts carry (they are serialised as they are). */
export function evidenceOf(item: WindowItem): Evidence {
  return { file: item.file, line: item.line, message: item.message };
}

export interface WindowOptions {
  windowMs: number;
  threshold: number;
  /** Count distinct `value`s instead of items. */
  distinct: boolean;
  /** Event-time ms after an alert during which the same key does not alert again. */
  cooldownMs: number;
  /** Keys held at most; past it idle keys expire, then the least recently touched go. */
  maxKeys: number;
}

export interface Hit {
  count: number;
  first: number;
  last: number;
  /** Up to EVIDENCE_MAX items of the window, oldest first. */
  evidence: Evidence[];
}

export const EVIDENCE_MAX = 5;

/** What countIn found in a range. */
export interface Counted {
  count: number;
  /** Up to EVIDENCE_MAX items of the range, oldest first (evidenceOf gives what an alert shows of each). */
  readonly items: readonly WindowItem[];
  first: number;
  last: number;
}

const NONE: Counted = Object.freeze({ count: 0, items: Object.freeze([]), first: Infinity, last: -Infinity });

interface KeyState {
  items: WindowItem[]; // sorted by t; equal times keep arrival order
  newest: number;
  lastAlert: number; // event time of the last alert, -Infinity when none
  touched: number; // insertion counter at the last touch: least recently touched go first when the table is full
}

/**
 * Inserts between two sweeps for idle keys: at least this many, and at least a quarter of the keys held, so that a
 * sweep costs at most four key visits per insert. Often enough that idle items die young: an item that survives two
 * scavenges is promoted, and promoted garbage is what raised the peak RSS (not the live items, ~24 MB).
 */
const SWEEP_MIN = 256;

/**
 * Items of one key are kept sorted by time. An in-order item prunes what fell out of its window; a late item (from a
 * file read after another) is inserted in place, so windows across files add up. Per key at most `perKey` items
 * (oldest dropped), and at most maxKeys keys: memory is bounded whatever the input.
 */
export class KeyedWindows {
  private readonly keys = new Map<string, KeyState>();
  private readonly opts: WindowOptions;
  private readonly perKey: number;
  private newest = -Infinity;
  private inserts = 0;
  private nextSweep = SWEEP_MIN;
  /** Latest item time since the last sweep or the last jump back in time: where reading is now (see sweep). */
  private periodNewest = -Infinity;
  /** The key of the last touch and its state: consecutive events often share a key (the lines of one attempt). */
  private lastKey: string | null = null;
  private lastState: KeyState | null = null;
  /** Where insert() put its item (a field, not a returned pair: no object per insert). */
  private insertedAt = 0;

  constructor(opts: WindowOptions) {
    this.opts = opts;
    // Enough to hold a full window at the threshold twice over; a flood beyond that needs no more to be seen.
    this.perKey = Math.min(4096, Math.max(32, opts.threshold * 4));
  }

  get size(): number {
    return this.keys.size;
  }

  /** Adds an item; returns a hit when a window holding it reaches the threshold and the key is not cooling down. */
  add(key: string, item: WindowItem): Hit | null {
    const state = this.insert(key, item);
    const index = this.insertedAt;
    // A key cooling down raises nothing, whatever its window holds: a flood in cooldown builds no hits.
    if (this.cooling(state, item.t)) return null;
    const hit = this.findWindow(state.items, index);
    if (hit === null) return null;
    state.lastAlert = item.t;
    return hit;
  }

  /** Adds an item without looking for a window (for detectors that only query with countIn). */
  store(key: string, item: WindowItem): void {
    this.insert(key, item);
  }

  /** True (and the key's cooldown starts) unless the key alerted within the cooldown of t. */
  claim(key: string, t: number): boolean {
    const state = this.keys.get(key);
    if (state === undefined) return true; // forgotten: nothing to cool down from
    if (this.cooling(state, t)) return false;
    state.lastAlert = t;
    return true;
  }

  /**
   * Warm start: the key alerted at t in an earlier run (a stored alert), so its cooldown runs from t, as it would
   * had this run raised that alert. The key counts as touched at t, as after the item that raised it.
   */
  cool(key: string, t: number): void {
    const state = this.touch(key);
    if (t > state.lastAlert) state.lastAlert = t;
    if (t > state.newest) state.newest = t;
    if (t > this.newest) this.newest = t;
  }

  private cooling(state: KeyState, t: number): boolean {
    return Math.abs(t - state.lastAlert) < this.opts.cooldownMs;
  }

  /** Adds the item to the key's items; returns the key's state, with the item's index in `insertedAt`. */
  private insert(key: string, item: WindowItem): KeyState {
    const state = this.touch(key);
    const items = state.items;
    if (this.opts.distinct && item.value !== null) {
      // One item per value, its latest: a flood from one address cannot push the others out of a distinct window
      // (perKey items would otherwise all be that address, and an account attacked from five would look attacked
      // from one). An older item of a value already held adds nothing to count.
      const j = indexOfValue(items, item.value);
      if (j >= 0) {
        if (items[j]!.t > item.t) {
          this.insertedAt = j;
          return state;
        }
        removeAt(items, j);
      }
    }
    let i = items.length;
    while (i > 0 && items[i - 1]!.t > item.t) i--;
    if (i === items.length) items.push(item);
    else items.splice(i, 0, item);
    if (item.t >= state.newest) {
      state.newest = item.t;
      this.prune(items, item.t - this.opts.windowMs);
      i = items.length - 1;
    }
    if (items.length > this.perKey) {
      items.shift();
      if (i > 0) i--;
    }
    if (item.t > this.newest) this.newest = item.t;
    // Back by more than a window: another, older file has started; reading is now there.
    if (item.t > this.periodNewest || item.t < this.periodNewest - this.opts.windowMs) this.periodNewest = item.t;
    this.insertedAt = i;
    return state;
  }

  /** Items of a key within [from, to], without adding anything. */
  countIn(key: string, from: number, to: number): Counted {
    const items = this.keys.get(key)?.items;
    // Items are sorted by time: most look-ups (a success read after the failures) end here, allocating nothing.
    if (items === undefined || items.length === 0 || items[0]!.t > to || items[items.length - 1]!.t < from) return NONE;
    let count = 0;
    let first = Infinity;
    let last = -Infinity;
    const found: WindowItem[] = [];
    for (const it of items) {
      if (it.t < from || it.t > to) continue;
      count++;
      if (it.t < first) first = it.t;
      if (it.t > last) last = it.t;
      if (found.length < EVIDENCE_MAX) found.push(it);
    }
    return { count, items: found, first, last };
  }

  /** The latest item time of any key. */
  get newestTime(): number {
    return this.newest;
  }

  private touch(key: string): KeyState {
    const n = ++this.inserts;
    if (n >= this.nextSweep) this.sweep(n);
    // null tested apart: `key === null-or-string` is compiled as a generic compare, a string one is not (measured)
    const last = this.lastKey;
    let state = last !== null && key === last ? this.lastState! : this.keys.get(key);
    if (state !== undefined) {
      state.touched = n; // a counter: cheaper than re-inserting the key (Map delete + set) on every touch
    } else {
      if (this.keys.size >= this.opts.maxKeys) this.evict();
      state = { items: [], newest: -Infinity, lastAlert: -Infinity, touched: n };
      this.keys.set(key, state);
    }
    this.lastKey = key;
    this.lastState = state;
    return state;
  }

  /**
   * Forgets the keys that reading has left behind, so that the table holds only active keys (a million addresses
   * seen once each no longer fill it). "Now" is the latest time since the last sweep, not the latest
   * ever: an older file read after a newer one still keeps its own keys, and keys ahead of now are kept. A key goes
   * when its items are older than two windows (one to spare for items a little out of order) and its last alert
   * older than cooldown + window; an item arriving later in time could then neither meet them nor be cooled down
   * by them, so what is found does not change as long as time moves forward, or back by less than a window.
   */
  private sweep(n: number): void {
    this.nextSweep = n + Math.max(SWEEP_MIN, this.keys.size >> 2);
    const now = this.periodNewest;
    this.periodNewest = -Infinity;
    if (now === -Infinity) return;
    const items = now - 2 * this.opts.windowMs;
    const alerts = now - this.opts.cooldownMs - this.opts.windowMs;
    this.lastKey = null; // the key may go
    // forEach rather than for-of: no [key, state] pair made per key (a sweep visits every key); deleting the entry
    // being visited is allowed, and the visit order is the same
    const keys = this.keys;
    keys.forEach((state, key) => {
      if (state.newest < items && state.lastAlert < alerts) keys.delete(key);
    });
  }

  /**
   * When the table is full (many keys active at once, or keys ahead of the reading position): first every key idle
   * past window + cooldown relative to the newest time seen, then the least recently touched until a tenth is free.
   */
  private evict(): void {
    this.expireIdle();
    const target = Math.floor(this.opts.maxKeys * 0.9);
    if (this.keys.size <= target) return;
    const byTouch = [...this.keys].sort((a, b) => a[1].touched - b[1].touched);
    for (let k = 0; k < byTouch.length && this.keys.size > target; k++) this.keys.delete(byTouch[k]![0]);
  }

  /** Drops the idle keys (watch mode calls it on a timer: nothing else would free them in a quiet stream). */
  expireIdle(): void {
    this.lastKey = null; // the key may go
    const horizon = this.newest - this.opts.windowMs - this.opts.cooldownMs;
    for (const [key, state] of this.keys) if (state.newest < horizon) this.keys.delete(key);
  }

  private prune(items: WindowItem[], before: number): void {
    let n = 0;
    while (n < items.length - 1 && items[n]!.t < before) n++;
    if (n > 4) items.splice(0, n);
    else for (; n > 0; n--) items.shift(); // most prunes drop an item or two: splice would build an array of them
  }

  /**
   * The first window [end - W, end] that holds item i and reaches the threshold, trying each possible end from
   * item i on (only i itself when items arrive in order).
   */
  private findWindow(items: readonly WindowItem[], i: number): Hit | null {
    const w = this.opts.windowMs;
    const limit = items[i]!.t + w;
    let start = 0;
    for (let end = i; end < items.length && items[end]!.t <= limit; end++) {
      const endT = items[end]!.t;
      while (items[start]!.t < endT - w) start++;
      if (start > i) break;
      const count = this.opts.distinct ? distinctCount(items, start, end) : end - start + 1;
      if (count >= this.opts.threshold) return toHit(items, start, end, count);
    }
    return null;
  }
}

/** items.splice(j, 1) without the array of removed items splice returns. */
function removeAt(items: WindowItem[], j: number): void {
  for (let k = j + 1; k < items.length; k++) items[k - 1] = items[k]!;
  items.pop();
}

function indexOfValue(items: readonly WindowItem[], value: string): number {
  for (let j = items.length - 1; j >= 0; j--) if (items[j]!.value === value) return j;
  return -1;
}

/**
 * Distinct values in items[start..end]. A distinct window holds one item per value (insert keeps the latest), so
 * this is the number of items that have a value: no comparing of values.
 */
function distinctCount(items: readonly WindowItem[], start: number, end: number): number {
  let n = 0;
  for (let k = start; k <= end; k++) if (items[k]!.value !== null) n++;
  return n;
}

function toHit(items: readonly WindowItem[], start: number, end: number, count: number): Hit {
  const evidence: Evidence[] = [];
  for (let k = start; k <= end && evidence.length < EVIDENCE_MAX; k++) {
    const e = items[k]!;
    const prev = evidence[evidence.length - 1];
    if (prev === undefined || prev.line !== e.line || prev.file !== e.file) evidence.push(evidenceOf(e)); // one line, several events
  }
  return { count, first: items[start]!.t, last: items[end]!.t, evidence };
}
