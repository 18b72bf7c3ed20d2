// Sliding windows keyed by address, user or phone, on event time: finds when N items (or N distinct values) of one
// key fall within W ms, whatever the order in which items arrive (several files read one after the other).
import type { Alert } from '../types.js';
import { copyString } from '../formats/intern.js';
import { KeyTable, type KeySlots } from './key-table.js';

export type Evidence = Alert['evidence'][number];

/**
 * One event in a window. What an alert shows of it (file, line, message) is held here rather than in an Evidence
 * object of its own: one object per stored event instead of two. Evidence objects are made only for alerts
 * (evidenceOf). Both values a distinct window may count are in it, so that one item, never changed once stored,
 * serves every window an event goes to (an auth failure goes to five): one object per event, not one per window.
 * Always built with these six properties in this order (one hidden class for every item).
 */
export interface WindowItem {
  t: number; // event time, ms since the epoch
  ip: string | null; // the event's address: what a window distinct by 'ip' counts
  user: string | null; // the event's account: what a window distinct by 'user' counts
  file: string;
  line: number;
  message: string;
}

/** What a window counts: items (null), or distinct addresses or accounts among them. */
export type Distinct = 'ip' | 'user' | null;

/** The alert's view of an item: a new object with exactly what alerts carry (they are serialised as they are). */
export function evidenceOf(item: WindowItem): Evidence {
  return { file: item.file, line: item.line, message: item.message };
}

export interface WindowOptions {
  windowMs: number;
  threshold: number;
  /** Count distinct addresses or accounts (the items' `ip` or `user`) instead of items. */
  distinct: Distinct;
  /** Event-time ms after an alert during which the same key does not alert again. */
  cooldownMs: number;
  /** Keys held at most; past it idle keys expire, then the least recently touched go. */
  maxKeys: number;
  /** The key index shared with the other windows keyed alike (key-table.ts); one of its own when left out. */
  keys?: KeySlots;
  /** Items held per key at most, the oldest dropped first; by default four thresholds (at least 32, at most 4,096). */
  perKey?: number;
  /**
   * Items a key keeps however many keys are held (see ITEM_BUDGET); by default the threshold (at most perKey): what
   * a window needs to reach it, so that items read in order find every window they would with more.
   */
  minPerKey?: number;
}

/**
 * Items a window holds in all before its keys keep fewer than perKey each, down to minPerKey: memory follows what a
 * log holds within a window, and a flood from many addresses at once held perKey items for each (10,000 addresses
 * failing 200 times within 8 minutes: ~400,000 items, ~230 bytes each, with the stores' 4,096 a key ~575 MB).
 */
export const ITEM_BUDGET = 65_536;

/**
 * Alert times a window remembers in all (`alertHistory`: the keys that alerted first are forgotten first), and per
 * key. ~0.5 MB; a key alerts at most once a cooldown, so 4,096 are months of one attacker's alerts.
 */
const HISTORY_TOTAL = 65_536;
const HISTORY_PER_KEY = 4096;

export interface Hit {
  count: number;
  first: number;
  last: number;
  /** Up to EVIDENCE_MAX items of the window, oldest first. */
  evidence: Evidence[];
}

export const EVIDENCE_MAX = 5;

/**
 * Characters of a message an item keeps for evidence. An item lives as long as its window holds it, and a window holds
 * up to ITEM_BUDGET of them: lines of 7 KB (a scanner's long query strings) kept ~94 MB of messages alive in a scan of
 * 50,000 such lines, and a line may be up to --max-line-bytes long.
 */
export const EVIDENCE_CHARS = 512;

/** The message as an item keeps it: whole up to EVIDENCE_CHARS, else its start, copied, and `...`. */
export function evidenceText(message: string): string {
  return message.length <= EVIDENCE_CHARS ? message : copyString(`${message.slice(0, EVIDENCE_CHARS)}...`);
}

/** What countIn found in a range. */
export interface Counted {
  count: number;
  /** Items of the range were dropped for the key's cap (perKey, ITEM_BUDGET): there were more than `count`. */
  more: boolean;
  /** Up to EVIDENCE_MAX items of the range, oldest first (evidenceOf gives what an alert shows of each). */
  readonly items: readonly WindowItem[];
  first: number;
  last: number;
}

const NONE: Counted = Object.freeze({
  count: 0, more: false, items: Object.freeze([]), first: Infinity, last: -Infinity,
});

/**
 * Items of one key are kept sorted by time. An in-order item prunes what fell out of its window; a late item (from a
 * file read after another) is inserted in place, so windows across files add up. Per key at most `perKey` items
 * (oldest dropped), and at most maxKeys keys (key-table.ts): memory is bounded whatever the input.
 */
export class KeyedWindows {
  private readonly table: KeyTable;
  private readonly opts: Required<Omit<WindowOptions, 'keys' | 'perKey' | 'minPerKey'>>;
  private readonly perKey: number;
  private readonly minPerKey: number;
  /** Where insert() put its item (a field, not a returned pair: no object per insert). */
  private insertedAt = 0;
  /** Alert times by key, in the order the keys first alerted, kept past the key table's forgetting. */
  private readonly alertHistory = new Map<string, number | number[]>();
  private historyTimes = 0;

  constructor(opts: WindowOptions) {
    // One shape for every window's options, whichever the caller built (with a `keys` or not): the hot paths read
    // them, and a second shape would make each read check two.
    this.opts = { windowMs: opts.windowMs, threshold: opts.threshold, distinct: opts.distinct, cooldownMs: opts.cooldownMs, maxKeys: opts.maxKeys };
    this.table = new KeyTable(this.opts, opts.keys);
    // Enough to hold a full window at the threshold twice over; a flood beyond that needs no more to be seen.
    this.perKey = opts.perKey ?? Math.min(4096, Math.max(32, opts.threshold * 4));
    this.minPerKey = Math.min(this.perKey, opts.minPerKey ?? opts.threshold);
  }

  get size(): number {
    return this.table.size;
  }

  /** Adds an item; returns a hit when a window holding it reaches the threshold and the key is not cooling down. */
  add(key: string, item: WindowItem): Hit | null {
    const slot = this.insert(key, item);
    const table = this.table;
    const items = table.items[slot]!;
    // A window counts at most the key's items (or their distinct values): fewer than the threshold in all can raise
    // nothing. Most adds end here (a key holds one to three items on average), before any item or cooldown is read.
    if (items.length < this.opts.threshold) return null;
    // A key cooling down raises nothing, whatever its window holds: a flood in cooldown builds no hits.
    if (this.coolingDown(key, slot, item.t)) return null;
    const hit = this.findWindow(items, this.insertedAt);
    if (hit === null) return null;
    this.noteAlert(key, slot, item.t);
    return hit;
  }

  /** Adds an item without looking for a window (for detectors that only query with countIn). */
  store(key: string, item: WindowItem): void {
    this.insert(key, item);
  }

  /** True (and the key's cooldown starts) unless the key alerted within the cooldown of t. */
  claim(key: string, t: number): boolean {
    const slot = this.table.find(key);
    if (slot < 0) return true; // forgotten: nothing to cool down from
    if (this.coolingDown(key, slot, t)) return false;
    this.noteAlert(key, slot, t);
    return true;
  }

  /**
   * Warm start: the key alerted at t in an earlier run (a stored alert), so its cooldown runs from t, as it would
   * had this run raised that alert. The key counts as touched at t, as after the item that raised it.
   */
  cool(key: string, t: number): void {
    const table = this.table;
    const slot = table.touch(key, null);
    this.noteAlert(key, slot, t);
    if (t > table.newest[slot]!) table.newest[slot] = t;
    if (t > table.newestTime) table.newestTime = t;
  }

  /**
   * Whether the key alerted within the cooldown of t, before or after it. Reading in time order, its latest alert is
   * the nearest. When reading went back in time (a file older than those read before it: a directory of more hosts'
   * logs than are read at once starts each later file back in time), the alerts raised near t then may be of a key
   * the table has since forgotten (idle keys go): those are in `alertHistory`. Without it every such file raised again
   * each alert the first files had raised: a directory of 40 copies of one host's log raised 14,450 alerts, where
   * 10 or 20 copies raise 950.
   */
  private coolingDown(key: string, slot: number, t: number): boolean {
    const c = this.opts.cooldownMs;
    if (Math.abs(t - this.table.lastAlert[slot]!) < c) return true;
    if (t >= this.table.newestTime) return false;
    const times = this.alertHistory.get(key);
    if (times === undefined) return false;
    if (typeof times === 'number') return Math.abs(t - times) < c;
    for (let i = times.length - 1; i >= 0; i--) if (Math.abs(t - times[i]!) < c) return true;
    return false;
  }

  /** The key alerted at t (or did in an earlier run: a warm start). */
  private noteAlert(key: string, slot: number, t: number): void {
    if (t > this.table.lastAlert[slot]!) this.table.lastAlert[slot] = t;
    const before = this.alertHistory.get(key);
    this.historyTimes++;
    if (before === undefined) {
      this.alertHistory.set(key, t); // most keys alert once: a number, not an array
    } else if (typeof before === 'number') {
      this.alertHistory.set(key, [before, t]);
    } else {
      before.push(t);
      if (before.length > HISTORY_PER_KEY) {
        before.shift(); // the first raised goes: the one just raised must stay
        this.historyTimes--;
      }
    }
    for (const [first, its] of this.alertHistory) {
      if (this.historyTimes <= HISTORY_TOTAL || first === key) break;
      this.alertHistory.delete(first);
      this.historyTimes -= typeof its === 'number' ? 1 : its.length;
    }
  }

  /** Drops the idle keys (watch mode calls it on a timer: nothing else would free them in a quiet stream). */
  expireIdle(): void {
    this.table.expireIdle();
  }


  /** Adds the item to the key's items; returns the key's slot, with the item's index in `insertedAt`. */
  private insert(key: string, item: WindowItem): number {
    const table = this.table;
    const slot = table.touch(key, item);
    if (table.created) {
      this.insertedAt = 0; // a new key, made with this item
      table.noteTime(item.t);
      return slot;
    }
    const items = table.items[slot]!;
    const distinct = this.opts.distinct;
    const value = distinct === null ? null : distinct === 'user' ? item.user : item.ip;
    if (value !== null) {
      // One item per value, its latest: a flood from one address cannot push the others out of a distinct window
      // (perKey items would otherwise all be that address, and an account attacked from five would look attacked
      // from one). An older item of a value already held adds nothing to count.
      const j = distinct === 'user' ? indexOfUser(items, value) : indexOfIp(items, value);
      if (j >= 0) {
        if (items[j]!.t > item.t) {
          this.insertedAt = j;
          return slot;
        }
        removeAt(items, j);
      }
    }
    const keys = table.size;
    const cap = keys * this.perKey <= ITEM_BUDGET ? this.perKey
      : Math.max(this.minPerKey, Math.floor(ITEM_BUDGET / keys));
    let i: number;
    if (item.t >= table.newest[slot]!) {
      // In order (nearly always): no item is after the key's newest time, so this one goes last. The column says
      // so without reading the last item (an old object: reading its time is a cache miss or two). What falls out
      // of its window goes first, then what the cap drops, and only then is it pushed: a push onto a full array
      // grows it by half and 16 slots, so an array held at its cap would otherwise keep twice the slots it needs.
      this.prune(items, item.t - this.opts.windowMs);
      const over = items.length - cap + 1;
      const kept = over > 0 ? this.drop(slot, items, over) : items;
      kept.push(item);
      table.newest[slot] = item.t;
      i = kept.length - 1;
    } else {
      i = this.insertLate(items, item);
      const over = items.length - cap;
      if (over > 0) {
        this.drop(slot, items, over);
        i = Math.max(0, i - over);
      }
    }
    table.noteTime(item.t);
    this.insertedAt = i;
    return slot;
  }

  /**
   * Puts an item older than its key's newest in its place, after every item of its time or before; returns where.
   * Pruned as an in-order item prunes, but only before its place: after a jump back in time (rotated files
   * concatenated newest first, a year guessed wrong, a clock reset) every item of a key seen again is "late" behind
   * the key's items from before the jump, and without this the items of the reading since piled up to perKey per key
   * (4,096 for the stores sequence.ts queries): auth.log twice over, 4,000,000 lines, ended with ~54 MB live instead
   * of ~15 MB, and took 1.7x as long. Both places are searched, not walked to: a log whose time keeps going back
   * (the same hours logged again and again) had every late item walk its key's items, up to perKey of them.
   */
  private insertLate(items: WindowItem[], item: WindowItem): number {
    let i = firstAfter(items, item.t, items.length);
    const n = firstAtOrAfter(items, item.t - this.opts.windowMs, 0, i);
    if (n > 0) {
      items.splice(0, n);
      i -= n;
    }
    if (i === items.length) items.push(item);
    else items.splice(i, 0, item);
    return i;
  }

  /**
   * Drops the key's k oldest items for its cap; the newest time among them says which look-ups had more (Counted.more).
   * Returns the key's array: a new one of exactly the items kept when the cap is met for the first time or shrank
   * (k > 1: more keys share the budget), else the same. An array grows by half and 16 slots at each push onto a full
   * one, and memmoves on shift: one rebuilt with room for its cap keeps that many slots, where those that grew on the
   * way up kept theirs (10,000 keys holding 6 to 10 items each kept 20 slots, and 40 once they held that many).
   */
  private drop(slot: number, items: WindowItem[], k: number): WindowItem[] {
    const table = this.table;
    const dropped = items[k - 1]!.t;
    const first = table.capped[slot] === -Infinity;
    if (dropped > table.capped[slot]!) table.capped[slot] = dropped;
    if (k > 1 || first) {
      // slice(k - 1) holds one more than kept, so the shift leaves one free slot: room for the push that follows
      const kept = items.slice(k - 1);
      kept.shift();
      table.items[slot] = kept;
      return kept;
    }
    items.shift();
    return items;
  }

  /** Items of a key within [from, to], without adding anything. */
  countIn(key: string, from: number, to: number): Counted {
    const slot = this.table.find(key);
    const items = slot < 0 ? undefined : this.table.items[slot]!;
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
    const dropped = this.table.capped[slot]!; // -Infinity: none
    return { count, more: dropped !== -Infinity && dropped >= from, items: found, first, last };
  }

  /** The latest item time of any key. */
  get newestTime(): number {
    return this.table.newestTime;
  }

  /** Drops the items before `before` (the item about to be pushed is not among them). */
  private prune(items: WindowItem[], before: number): void {
    let n = 0;
    while (n < items.length && items[n]!.t < before) n++;
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
      const distinct = this.opts.distinct;
      const count = distinct === null ? end - start + 1 : distinctCount(items, start, end, distinct);
      if (count >= this.opts.threshold) return toHit(items, start, end, count);
    }
    return null;
  }
}

/**
 * Items the searches below read one by one before they halve: the place sought is nearly always among the first
 * items (what a window prunes) or the last (an item late by a little), where a walk reads fewer items than a binary
 * search; halving bounds the rest.
 */
const WALK = 8;

/** The first index in [lo, hi) whose item's time is t or later, else hi (items are sorted by time). */
function firstAtOrAfter(items: readonly WindowItem[], t: number, lo: number, hi: number): number {
  for (const end = Math.min(hi, lo + WALK); lo < end; lo++) if (items[lo]!.t >= t) return lo;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index in [0, hi) whose item's time is after t, else hi, looking down from hi (items sorted by time). */
function firstAfter(items: readonly WindowItem[], t: number, hi: number): number {
  for (const end = Math.max(0, hi - WALK); hi > end; hi--) if (items[hi - 1]!.t <= t) return hi;
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** items.splice(j, 1) without the array of removed items splice returns. */
function removeAt(items: WindowItem[], j: number): void {
  for (let k = j + 1; k < items.length; k++) items[k - 1] = items[k]!;
  items.pop();
}

function indexOfUser(items: readonly WindowItem[], user: string): number {
  for (let j = items.length - 1; j >= 0; j--) if (items[j]!.user === user) return j;
  return -1;
}

function indexOfIp(items: readonly WindowItem[], ip: string): number {
  for (let j = items.length - 1; j >= 0; j--) if (items[j]!.ip === ip) return j;
  return -1;
}

/**
 * Distinct values in items[start..end]. A distinct window holds one item per value (insert keeps the latest), so
 * this is the number of items that have a value: no comparing of values.
 */
function distinctCount(items: readonly WindowItem[], start: number, end: number, by: 'ip' | 'user'): number {
  let n = 0;
  if (by === 'user') for (let k = start; k <= end; k++) { if (items[k]!.user !== null) n++; }
  else for (let k = start; k <= end; k++) if (items[k]!.ip !== null) n++;
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
