// Interns short strings that records repeat on every line (host and program names): one independent copy per
// distinct value, so that maps downstream neither keep whole lines alive nor hold a million equal strings.

/** Copies a string so that it no longer references the line it was sliced from. */
export function copyString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1); // V8 copies short slices anyway
}

/**
 * A copy that shares nothing with `s` and is flat (one sequential string): for the values that become Map keys
 * downstream (events' addresses and accounts, TopK's keys). copyString() makes a sliced string of a fresh one for 13
 * characters or more, and V8 compares two strings of which one is sliced in its runtime, where two flat ones are
 * compared inline: a Map hit on a 14-character address costs ~3x as much with a sliced key or a sliced query
 * (measured). A join builds a flat string; it costs more than the slice for long text, so messages keep copyString.
 */
export function flatCopy(s: string): string {
  return s.length < 13 ? s : [s.slice(0, 12), s.slice(12)].join('');
}

export interface Interner {
  (text: string, start: number, end: number): string;
}

/**
 * An interner for text[start, end). Bounded: once `max` distinct values are held (an attacker can invent hosts),
 * further values are copied but not remembered.
 */
export function createInterner(max = 4096): Interner {
  const table = new Map<string, string>();
  // A few recent values in slots chosen by length and end characters: lines repeat a handful of hosts and programs,
  // and comparing in place slices nothing, where the Map needs a slice and its hash.
  const recent = new Array<string>(RECENT).fill('');
  return (text: string, start: number, end: number): string => {
    const n = end - start;
    if (n <= 0) return '';
    const slot = (n * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(end - 1)) & (RECENT - 1);
    const seen = recent[slot]!;
    if (seen.length === n && sameAt(text, start, seen)) return seen;
    const key = start === 0 && end === text.length ? text : text.slice(start, end);
    let value = table.get(key);
    if (value === undefined) {
      value = copyString(key);
      if (table.size < max) table.set(value, value);
    }
    recent[slot] = value;
    return value;
  };
}

const RECENT = 64; // a power of two

/** True when text holds `value` at `start`. For short values: cheaper than startsWith(value, start) here. */
export function sameAt(text: string, start: number, value: string): boolean {
  for (let i = value.length - 1; i >= 0; i--) {
    if (text.charCodeAt(start + i) !== value.charCodeAt(i)) return false;
  }
  return true;
}

/** Values a createValueInterner generation holds for events' addresses and accounts: more than a flood's attackers. */
export const RECENT_VALUES = 16_384;

/**
 * Interns whole values that tables downstream keep as keys and windows hold by the thousand (events' addresses and
 * accounts): one flat copy (`copy`) per distinct value among the recent ones, so that a flood's items share their
 * address instead of holding one copy each (10,000 addresses failing over and over: 135,000 copies alive), and every
 * Map meets the string it hashed before. Bounded: once `max` values are held they become the old generation, looked
 * up (and brought back) on a miss, and the generation before is let go: at most 2 x max values, the recent ones.
 */
export function createValueInterner(max: number, copy: (s: string) => string = flatCopy): (s: string) => string {
  let young = new Map<string, string>();
  let old = new Map<string, string>();
  return (s: string): string => {
    let v = young.get(s);
    if (v !== undefined) return v;
    v = old.get(s) ?? copy(s);
    if (young.size >= max) {
      old = young;
      young = new Map();
    }
    young.set(v, v);
    return v;
  };
}
