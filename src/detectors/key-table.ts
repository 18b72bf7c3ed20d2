// The keys of one KeyedWindows and what is kept per key, as columns indexed by a slot number: the key's items, its
// newest item time, its last alert and its last touch. Forgets the keys reading has left behind, and when full the
// idle and then the least recently touched ones: at most maxKeys keys, whatever the input. Tables keyed alike share
// the key -> slot index (KeySlots), each keeping its own columns.
import type { WindowItem } from './window.js';

/**
 * Slots allocated at first; the columns double as the index's slots need (most windows hold a few keys, not twenty
 * thousand). An index holds only keys some table of it holds: at most the sum of their maxKeys.
 */
const INITIAL_SLOTS = 64;

/**
 * Inserts between two sweeps for idle keys: at least this many, and at least a quarter of the keys held, so that a
 * sweep costs at most four key visits per insert (times the tables sharing the index, whose keys it visits too).
 * Often enough that idle items die young: an item that survives two scavenges is promoted, and promoted garbage is
 * what raised the peak RSS (not the live items, ~24 MB).
 */
const SWEEP_MIN = 256;

export interface KeyTableOptions {
  windowMs: number;
  cooldownMs: number;
  maxKeys: number;
}

/**
 * Key -> slot number, shared by the tables that are keyed alike (an auth failure goes to three tables by its address
 * and two by its account): the tables touched one after another with the same key look it up once (the last key is
 * kept, and the event hands every table the very same string), where each table had a Map of its own. A slot stays
 * while at least one table holds its key; each table keeps its own columns by slot number and decides on its own
 * which keys it holds, so what a table holds, sweeps and evicts is what it was with a Map of its own.
 */
export class KeySlots {
  private readonly slots = new Map<string, number>();
  /** By slot: the key, and how many tables hold it (a slot is freed when none does). */
  private readonly keys: string[] = [];
  private readonly refs: number[] = [];
  private readonly free: number[] = [];
  /** The key of the last look-up and its slot. */
  private lastKey: string | null = null;
  private lastSlot = -1;

  /** Slots handed out so far (free ones included): the length a table's columns may need. */
  get length(): number {
    return this.keys.length;
  }

  /** The key's slot, -1 when no table holds it. */
  find(key: string): number {
    // null tested apart: `key === null-or-string` is compiled as a generic compare, a string one is not (measured)
    const last = this.lastKey;
    if (last !== null && key === last) return this.lastSlot;
    const slot = this.slots.get(key);
    if (slot === undefined) return -1;
    this.lastKey = key;
    this.lastSlot = slot;
    return slot;
  }

  /** A slot for a key that find() did not find, held by no table yet. */
  add(key: string): number {
    let slot: number;
    if (this.free.length > 0) {
      slot = this.free.pop()!;
      this.keys[slot] = key;
    } else {
      slot = this.keys.length;
      this.keys.push(key);
      this.refs.push(0);
    }
    this.slots.set(key, slot);
    this.lastKey = key;
    this.lastSlot = slot;
    return slot;
  }

  /**
   * Visits the slot of every key some table holds (deleting the visited one is allowed): a table's sweep costs the
   * keys held, not the slots ever handed out.
   */
  forEachSlot(visit: (slot: number) => void): void {
    this.slots.forEach(visit);
  }

  /** A table starts holding the slot's key. */
  hold(slot: number): void {
    this.refs[slot]!++;
  }

  /** A table stops holding the slot's key; the last one frees the slot. */
  release(slot: number): void {
    if (--this.refs[slot]! > 0) return;
    this.slots.delete(this.keys[slot]!);
    this.keys[slot] = ''; // the key may die now
    this.free.push(slot);
    if (slot === this.lastSlot) this.lastKey = null;
  }
}

/**
 * Per slot numbers in typed arrays rather than an object per key: a new key costs no object and no boxed numbers,
 * and a sweep reads the columns, not one object per key held. Slots are the key index's (KeySlots), shared or not.
 */
export class KeyTable {
  private readonly keys: KeySlots;
  /** Keys this table holds (the index may hold more, for other tables). */
  private held = 0;
  /** By slot: the key's items, sorted by t (equal times keep arrival order); null when this table does not hold it. */
  readonly items: (WindowItem[] | null)[] = [];
  /** By slot: the key's newest item time (or the time a warm start cooled it at); no item of the key is after it. */
  newest: Float64Array;
  /** By slot: event time of the key's latest alert (the latest in time, not the last raised), -Infinity when none. */
  lastAlert: Float64Array;
  /** By slot: the newest time of an item dropped for the per-key cap (window.ts perKey), -Infinity when none. */
  capped: Float64Array;
  /** By slot: insertion counter at the last touch (least recently touched go first when the table is full). */
  private touched: Float64Array;
  private readonly opts: KeyTableOptions;
  /** The latest item time of any key. */
  newestTime = -Infinity;
  private inserts = 0;
  private nextSweep = SWEEP_MIN;
  /** Latest item time since the last sweep or the last jump back in time: where reading is now (see sweep). */
  private periodNewest = -Infinity;
  /** Whether the last touch() made the key (a field, not a returned pair: no object per touch). */
  created = false;

  /** `keys`: the key index shared with other tables keyed alike (see KeySlots); one of its own when left out. */
  constructor(opts: KeyTableOptions, keys?: KeySlots) {
    this.opts = opts;
    this.keys = keys ?? new KeySlots();
    const n = Math.max(1, Math.min(opts.maxKeys, INITIAL_SLOTS));
    this.newest = new Float64Array(n);
    this.lastAlert = new Float64Array(n);
    this.capped = new Float64Array(n);
    this.touched = new Float64Array(n);
  }

  get size(): number {
    return this.held;
  }

  /** The key's slot, -1 when it is not held. Not a touch. */
  find(key: string): number {
    const slot = this.keys.find(key);
    return slot >= 0 && this.holds(slot) ? slot : -1;
  }

  /** The key's slot, made when new with `first` as its only item (or none); `created` says which. */
  touch(key: string, first: WindowItem | null): number {
    const n = ++this.inserts;
    if (n >= this.nextSweep) this.sweep(n);
    const slot = this.keys.find(key);
    if (slot < 0 || !this.holds(slot)) return this.make(key, slot, first, n);
    this.created = false;
    this.touched[slot] = n; // a counter: cheaper than re-inserting the key (Map delete + set) on every touch
    return slot;
  }

  /**
   * touch() of a key this table does not hold; `found` is its slot in the index (held by other tables), or -1. Apart
   * from touch: the common path stays small enough for V8 to inline it into the windows' add.
   */
  private make(key: string, found: number, first: WindowItem | null, n: number): number {
    this.created = true;
    // evict frees only keys this table holds: neither a slot found for others nor a missing key changes
    if (this.held >= this.opts.maxKeys) this.evict();
    const slot = found >= 0 ? found : this.keys.add(key);
    this.keys.hold(slot);
    this.held++;
    this.cover(slot);
    // a one-slot array: most keys are seen once or a few times (an empty one grows to 17 slots on its first push)
    this.items[slot] = first === null ? [] : [first];
    this.newest[slot] = first === null ? -Infinity : first.t;
    this.lastAlert[slot] = -Infinity;
    this.capped[slot] = -Infinity;
    this.touched[slot] = n;
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
    const horizon = this.newestTime - this.opts.windowMs - this.opts.cooldownMs;
    this.keys.forEachSlot((slot) => {
      if (this.holds(slot) && this.newest[slot]! < horizon) this.forget(slot);
    });
  }

  private holds(slot: number): boolean {
    return slot < this.items.length && this.items[slot] !== null;
  }

  /** Columns long enough for the slot (the index's slots grow with every table that shares it). */
  private cover(slot: number): void {
    if (slot >= this.newest.length) this.grow(this.keys.length);
    while (this.items.length <= slot) this.items.push(null);
  }

  private forget(slot: number): void {
    this.items[slot] = null; // its items may die now
    this.held--;
    this.keys.release(slot);
  }

  private grow(need: number): void {
    const n = Math.max(need, this.newest.length * 2);
    this.newest = widen(this.newest, n);
    this.lastAlert = widen(this.lastAlert, n);
    this.capped = widen(this.capped, n);
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
    this.nextSweep = n + Math.max(SWEEP_MIN, this.held >> 2);
    const now = this.periodNewest;
    this.periodNewest = -Infinity;
    if (now === -Infinity) return;
    const itemsBefore = now - 2 * this.opts.windowMs;
    const alerts = now - this.opts.cooldownMs - this.opts.windowMs;
    const newest = this.newest;
    const lastAlert = this.lastAlert;
    this.keys.forEachSlot((slot) => {
      if (this.holds(slot) && newest[slot]! < itemsBefore && lastAlert[slot]! < alerts) this.forget(slot);
    });
  }

  /**
   * When the table is full (many keys active at once, or keys ahead of the reading position): first every key idle
   * past window + cooldown relative to the newest time seen, then the least recently touched until a tenth is free.
   */
  private evict(): void {
    this.expireIdle();
    const target = Math.floor(this.opts.maxKeys * 0.9);
    if (this.held <= target) return;
    const touched = this.touched;
    const heldSlots: number[] = [];
    this.keys.forEachSlot((slot) => {
      if (this.holds(slot)) heldSlots.push(slot);
    });
    heldSlots.sort((a, b) => touched[a]! - touched[b]!);
    for (let k = 0; k < heldSlots.length && this.held > target; k++) this.forget(heldSlots[k]!);
  }
}

function widen(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
