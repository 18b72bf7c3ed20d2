// The keys of one KeyedWindows and what is kept per key, as columns indexed by a slot number: the key's items, its
// newest item time, its last alert and its last touch. Forgets the keys reading has left behind, and when full the
// idle and then the least recently touched ones: at most maxKeys keys, whatever the input.
import type { WindowItem } from './window.js';

/** Slots allocated at first; the columns double up to maxKeys (most windows hold a few keys, not twenty thousand). */
const INITIAL_SLOTS = 64;

/**
 * Inserts between two sweeps for idle keys: at least this many, and at least a quarter of the keys held, so that a
 * sweep costs at most four key visits per insert. Often enough that idle items die young: an item that survives two
 * scavenges is promoted, and promoted garbage is what raised the peak RSS (not the live items, ~24 MB).
 */
const SWEEP_MIN = 256;

export interface KeyTableOptions {
  windowMs: number;
  cooldownMs: number;
  maxKeys: number;
}

/**
 * Key -> slot number in a Map, and per slot numbers in typed arrays rather than an object per key: a new key costs
 * no object and no boxed numbers, and a sweep reads the Map's entries and the columns, not one object per key held.
 */
export class KeyTable {
  private readonly slots = new Map<string, number>();
  /** By slot: the key's items, sorted by t (equal times keep arrival order); null for a free slot. */
  readonly items: (WindowItem[] | null)[] = [];
  /** By slot: the key's newest item time (or the time a warm start cooled it at); no item of the key is after it. */
  newest: Float64Array;
  /** By slot: event time of the key's last alert, -Infinity when none. */
  lastAlert: Float64Array;
  /** By slot: insertion counter at the last touch (least recently touched go first when the table is full). */
  private touched: Float64Array;
  /** Slots of forgotten keys, taken again before new ones. */
  private readonly free: number[] = [];
  private readonly opts: KeyTableOptions;
  /** The latest item time of any key. */
  newestTime = -Infinity;
  private inserts = 0;
  private nextSweep = SWEEP_MIN;
  /** Latest item time since the last sweep or the last jump back in time: where reading is now (see sweep). */
  private periodNewest = -Infinity;
  /** The key of the last touch and its slot: consecutive events often share a key (the lines of one attempt). */
  private lastKey: string | null = null;
  private lastSlot = -1;
  /** Whether the last touch() made the key (a field, not a returned pair: no object per touch). */
  created = false;

  constructor(opts: KeyTableOptions) {
    this.opts = opts;
    const n = Math.max(1, Math.min(opts.maxKeys, INITIAL_SLOTS));
    this.newest = new Float64Array(n);
    this.lastAlert = new Float64Array(n);
    this.touched = new Float64Array(n);
  }

  get size(): number {
    return this.slots.size;
  }

  /** The key's slot, -1 when it is not held. Not a touch. */
  find(key: string): number {
    return this.slots.get(key) ?? -1;
  }

  /** The key's slot, made when new with `first` as its only item (or none); `created` says which. */
  touch(key: string, first: WindowItem | null): number {
    const n = ++this.inserts;
    if (n >= this.nextSweep) this.sweep(n);
    // null tested apart: `key === null-or-string` is compiled as a generic compare, a string one is not (measured)
    const last = this.lastKey;
    let slot = last !== null && key === last ? this.lastSlot : this.slots.get(key);
    this.created = slot === undefined;
    if (slot === undefined) {
      if (this.slots.size >= this.opts.maxKeys) this.evict();
      slot = this.take();
      // a one-slot array: most keys are seen once or a few times (an empty one grows to 17 slots on its first push)
      this.items[slot] = first === null ? [] : [first];
      this.newest[slot] = first === null ? -Infinity : first.t;
      this.lastAlert[slot] = -Infinity;
      this.slots.set(key, slot);
    }
    this.touched[slot] = n; // a counter: cheaper than re-inserting the key (Map delete + set) on every touch
    this.lastKey = key;
    this.lastSlot = slot;
    return slot;
  }

  /** An item at t was stored: where reading is now. */
  noteTime(t: number): void {
    if (t > this.newestTime) this.newestTime = t;
    // Back by more than a window: another, older file has started; reading is now there.
    if (t > this.periodNewest || t < this.periodNewest - this.opts.windowMs) this.periodNewest = t;
  }

  /** Drops the idle keys (watch mode calls it on a timer: nothing else would free them in a quiet stream). */
  expireIdle(): void {
    this.lastKey = null; // the key may go
    const horizon = this.newestTime - this.opts.windowMs - this.opts.cooldownMs;
    for (const [key, slot] of this.slots) if (this.newest[slot]! < horizon) this.forget(key, slot);
  }

  private take(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    // free slots are taken first, so slots in use never pass the keys held: at most maxKeys
    const slot = this.items.length;
    if (slot === this.newest.length) this.grow();
    this.items.push(null);
    return slot;
  }

  private forget(key: string, slot: number): void {
    this.slots.delete(key);
    this.items[slot] = null; // its items may die now
    this.free.push(slot);
  }

  private grow(): void {
    const n = Math.max(this.newest.length + 1, Math.min(this.opts.maxKeys, this.newest.length * 2));
    this.newest = widen(this.newest, n);
    this.lastAlert = widen(this.lastAlert, n);
    this.touched = widen(this.touched, n);
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
    this.nextSweep = n + Math.max(SWEEP_MIN, this.slots.size >> 2);
    const now = this.periodNewest;
    this.periodNewest = -Infinity;
    if (now === -Infinity) return;
    const items = now - 2 * this.opts.windowMs;
    const alerts = now - this.opts.cooldownMs - this.opts.windowMs;
    this.lastKey = null; // the key may go
    const newest = this.newest;
    const lastAlert = this.lastAlert;
    // forEach rather than for-of: no [key, slot] pair made per key (a sweep visits every key); deleting the entry
    // being visited is allowed, and the visit order is the same
    this.slots.forEach((slot, key) => {
      if (newest[slot]! < items && lastAlert[slot]! < alerts) this.forget(key, slot);
    });
  }

  /**
   * When the table is full (many keys active at once, or keys ahead of the reading position): first every key idle
   * past window + cooldown relative to the newest time seen, then the least recently touched until a tenth is free.
   */
  private evict(): void {
    this.expireIdle();
    const target = Math.floor(this.opts.maxKeys * 0.9);
    if (this.slots.size <= target) return;
    const touched = this.touched;
    const byTouch = [...this.slots].sort((a, b) => touched[a[1]]! - touched[b[1]]!);
    for (let k = 0; k < byTouch.length && this.slots.size > target; k++) this.forget(byTouch[k]![0], byTouch[k]![1]);
  }
}

function widen(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
