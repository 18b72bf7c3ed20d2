// A pre-test for a field gate's regex (field-gate.ts): from the pattern's source, the short strings ("grams", one to
// three characters) one of which every match must contain, read from a value in one pass over its characters with
// two tables and a set. A value holding none of them cannot match, and skips the regex: most URLs of an access log (a new
// `/products/12345` or `?page=9` costs ~20 instructions a character instead of the whole alternation). Patterns the
// analysis does not fully understand get no filter (they always run the regex). The built-in gates' grams are worked
// out ahead (gram-table.ts).
import { knownGrams } from './gram-table.js';

/** A gram: one to three characters, ASCII (lowercase under `i`), every character from U+0080 up written as NON_ASCII. */
type Grams = Set<string>;

/** A parsed pattern: a sequence of items; a group holds alternatives. */
type Item =
  // set null: too many characters; min: the least count of its quantifier; once: no quantifier (or {1})
  | { readonly kind: 'char'; readonly set: ReadonlySet<number> | null; readonly min: number; readonly once: boolean }
  | { readonly kind: 'group'; readonly alts: readonly Item[][]; readonly min: number; readonly once: boolean }
  | { readonly kind: 'empty' }; // an assertion (^ $ \b \B): matches no character

/** The source could not be read with certainty: no filter. */
class Unknown extends Error {}

const MAX_SET = 32; // a class with more characters is no use as a gram
const MAX_GRAMS = 512;

/**
 * Every character from U+0080 up counts as this one code, in grams and values alike (a gram with it then stands for
 * any of them: it can only let more values through). Without `u`, no such character matches an ASCII one, even
 * ignoring case.
 */
const NON_ASCII = 127;
const fromU80 = (c: number): number => (c >= 128 ? NON_ASCII : c);
const DIGITS = new Set([48, 49, 50, 51, 52, 53, 54, 55, 56, 57]);
// \s: tab, LF, VT, FF, CR, space, and non-ASCII spaces (NBSP, U+2028...).
const SPACES = new Set([9, 10, 11, 12, 13, 32, NON_ASCII]);
const WIDE_ESCAPES = new Set(['D', 'w', 'W', 'S']);
const CONTROL: Readonly<Record<string, number>> = { t: 9, n: 10, v: 11, f: 12, r: 13, '0': 0 };
/** One shared set per character code: a long alternation is mostly literal characters. */
const SINGLES: ReadonlySet<number>[] = Array.from({ length: 128 }, (_, c) => new Set([c]));
const single = (c: number): ReadonlySet<number> => SINGLES[c]!;

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  alternatives(inGroup: boolean): Item[][] {
    const alts: Item[][] = [[]];
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === ')') {
        if (!inGroup) throw new Unknown();
        return alts;
      }
      this.i++;
      if (c === '|') alts.push([]);
      else alts[alts.length - 1]!.push(this.quantified(this.atom(c)));
    }
    if (inGroup) throw new Unknown();
    return alts;
  }

  private atom(c: string): Item {
    if (c === '^' || c === '$') return { kind: 'empty' };
    if (c === '.') return { kind: 'char', set: null, min: 1, once: true };
    if (c === '(') {
      if (this.s[this.i] === '?') {
        if (this.s[this.i + 1] !== ':') throw new Unknown(); // look-arounds, named groups
        this.i += 2;
      }
      const alts = this.alternatives(true);
      this.i++; // ')'
      return { kind: 'group', alts, min: 1, once: true };
    }
    if (c === '[') return { kind: 'char', set: this.charClass(), min: 1, once: true };
    if (c === '\\') {
      const e = this.s[this.i++];
      if (e === 'b' || e === 'B') return { kind: 'empty' };
      return { kind: 'char', set: this.escape(e), min: 1, once: true };
    }
    if ('*+?{}])'.includes(c)) throw new Unknown();
    return { kind: 'char', set: single(fromU80(c.charCodeAt(0))), min: 1, once: true };
  }

  /** The characters an escape stands for (outside or inside a class), null for \d \w \s and their negations. */
  private escape(e: string | undefined): Set<number> | null {
    if (e === undefined) throw new Unknown();
    if (WIDE_ESCAPES.has(e)) return null;
    if (e === 'd') return new Set(DIGITS);
    if (e === 's') return new Set(SPACES);
    const control = CONTROL[e];
    if (control !== undefined && (e !== '0' || !/[0-9]/.test(this.s[this.i] ?? ''))) return new Set([control]);
    if (e === 'x' || e === 'u') {
      const n = e === 'x' ? 2 : 4;
      const hex = this.s.slice(this.i, this.i + n);
      if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex)) throw new Unknown();
      this.i += n;
      return new Set([fromU80(parseInt(hex, 16))]);
    }
    if (/[A-Za-z0-9_]/.test(e)) throw new Unknown(); // back-references, \c, \k, \p...: not read
    return new Set([e.charCodeAt(0)]); // an escaped punctuation character stands for itself
  }

  private charClass(): Set<number> | null {
    let negated = false;
    if (this.s[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const set = new Set<number>();
    let wide = negated;
    for (let first = true; ; first = false) {
      const c = this.s[this.i++];
      if (c === undefined || (c === ']' && first)) throw new Unknown();
      if (c === ']') break;
      let from: Set<number> | null;
      if (c === '\\') {
        const e = this.s[this.i++];
        from = e === 'b' ? new Set([8]) : this.escape(e);
      } else from = new Set([fromU80(c.charCodeAt(0))]);
      if (this.s[this.i] === '-' && this.s[this.i + 1] !== ']' && from !== null && from.size === 1) {
        this.i++;
        const d = this.s[this.i++]!;
        if (d === '\\' || d.charCodeAt(0) >= 128 || [...from][0]! >= NON_ASCII) throw new Unknown(); // not read
        const [lo, hi] = [[...from][0]!, d.charCodeAt(0)];
        if (hi - lo >= MAX_SET) wide = true;
        else for (let k = lo; k <= hi; k++) set.add(k);
        continue;
      }
      if (from === null) wide = true;
      else for (const k of from) set.add(k);
    }
    return wide || set.size > MAX_SET ? null : set;
  }

  /** The item with its quantifier, if any: its least count, and whether it is exactly one. */
  private quantified(item: Item): Item {
    const c = this.s[this.i];
    let min: number;
    let once = false;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.s.slice(this.i));
      if (m === null) throw new Unknown(); // a literal brace: not read
      this.i += m[0].length - 1;
      min = Number(m[1]);
      once = min === 1 && (m[2] === undefined || m[3] === '1');
    } else return item;
    this.i++;
    if (this.s[this.i] === '?') this.i++; // lazy
    if (item.kind === 'empty') throw new Unknown();
    return { ...item, min: Math.min(min, 1), once };
  }
}

/**
 * How likely a character is in a URL (rough: `/` in all, then English letter frequency): the rarer a pattern's grams,
 * the more values skip its regex. Only the choice of grams depends on it, never their correctness.
 */
const WEIGHTS = new Float64Array(128).map((_, c) => weightOf(c));

function weightOf(c: number): number {
  const ch = String.fromCharCode(c);
  if (ch === '/') return 100;
  if (ch === ' ') return 6;
  if (c < 32) return 0.2;
  if ('etaoinsrp.-_=&?0123456789'.includes(ch)) return 12;
  if ('hldcum'.includes(ch)) return 8;
  if ('fgwyb'.includes(ch)) return 5;
  if (c >= 97 && c <= 122) return 2;
  return 1;
}

/**
 * Grams that letter frequencies rate rare but that ordinary URLs hold all the time (`/blog/`, `/login`, `newsletter`,
 * `/socks`, `/jackets`, `/icons/`): a pattern that needs `log` (`/wp-login.php`) then picks `wp-` instead. Only the
 * choice of grams.
 */
const COMMON_IN_URLS = new Set(['log', 'sle', 'ock', 'cke', 'on', 'con', 'ion', 'acc', 'cce', 'ven', 'lec']);
const COMMON_FACTOR = 50;

function score(grams: Grams): number {
  let n = 0;
  for (const g of grams) n += gramScore(g);
  return n;
}

function gramScore(g: string): number {
  let w = 1;
  for (let k = 0; k < g.length; k++) w *= WEIGHTS[g.charCodeAt(k)]!;
  w = g.length === 1 ? w * 60 : g.length === 2 ? w : w / 40;
  return COMMON_IN_URLS.has(g) ? w * COMMON_FACTOR : w;
}

/**
 * The characters every match of the item starts with (`edge` 'first') or ends with ('last'), or null when not known:
 * a character item, or a group whose every alternative begins (ends) with such an item. Assertions are skipped.
 */
function edgeChars(t: Item, edge: 'first' | 'last'): ReadonlySet<number> | null {
  if (t.kind === 'empty' || t.min < 1) return null;
  if (t.kind === 'char') return t.set;
  const out = new Set<number>();
  for (const alt of t.alts) {
    const chars = alt.filter((x) => x.kind !== 'empty');
    const end = edge === 'first' ? chars[0] : chars[chars.length - 1];
    const set = end === undefined ? null : edgeChars(end, edge);
    if (set === null) return null;
    for (const c of set) out.add(c);
  }
  return out.size > MAX_SET ? null : out;
}

/** Every string made of one character of each set (folded). */
function product(sets: readonly ReadonlySet<number>[], fold: (c: number) => number): Grams {
  let out: string[] = [''];
  for (const set of sets) out = out.flatMap((p) => [...set].map((c) => p + String.fromCharCode(fold(c))));
  return new Set(out);
}

/**
 * The score `product(sets)` would have (see score), or Infinity when it would be too large, worked out without
 * making its strings: the grams of every candidate pair and triple of a long alternation took ~100 ms to build at
 * start-up, and only the best of each sequence is kept.
 */
const seen = new Uint8Array(128);

function productScore(sets: readonly ReadonlySet<number>[], fold: (c: number) => number): number {
  let size = 1;
  let weight = 1;
  for (const set of sets) {
    size *= set.size; // before folding, as the strings are made
    if (size > MAX_GRAMS) return Infinity;
    let sum = 0;
    seen.fill(0);
    for (const c of set) {
      const f = fold(c);
      if (seen[f] === 0) sum += WEIGHTS[f]!;
      seen[f] = 1;
    }
    weight *= sum; // the distinct folded strings are every combination of distinct folded characters
  }
  if (size === 1) return gramScore(product(sets, fold).values().next().value!); // one gram: it may be a common one
  return sets.length === 1 ? weight * 60 : sets.length === 2 ? weight : weight / 40;
}

/** The grams one of which every match of the sequence holds, or null. */
function ofSequence(items: readonly Item[], fold: (c: number) => number): Grams | null {
  let best: Grams | readonly ReadonlySet<number>[] | null = null;
  let bestScore = Infinity;
  const consider = (g: Grams | readonly ReadonlySet<number>[] | null): void => {
    if (g === null) return;
    const s = g instanceof Set ? (g.size > MAX_GRAMS ? Infinity : score(g)) : productScore(g as readonly ReadonlySet<number>[], fold);
    if (s < bestScore) {
      best = g;
      bestScore = s;
    }
  };
  // Assertions take no character: their neighbours stay adjacent.
  const chars = items.filter((t): t is Exclude<Item, { kind: 'empty' }> => t.kind !== 'empty');
  chars.forEach((t, k) => {
    if (t.min < 1) return;
    if (t.kind === 'group') consider(ofAlternatives(t.alts, fold));
    else if (t.set !== null) consider([t.set]);
    // Two neighbours that each take at least one character: the last character of one is next to the first of the
    // other in every match; with a single character between them, the three are.
    const next = chars[k + 1];
    const last = edgeChars(t, 'last');
    const first = next === undefined ? null : edgeChars(next, 'first');
    if (last === null || first === null) return;
    consider([last, first]);
    const after = chars[k + 2];
    const third = after === undefined ? null : edgeChars(after, 'first');
    if (next!.kind === 'char' && next!.once && third !== null) consider([last, first, third]);
  });
  const chosen = best as Grams | readonly ReadonlySet<number>[] | null;
  return chosen === null || chosen instanceof Set ? chosen : product(chosen as readonly ReadonlySet<number>[], fold);
}

function ofAlternatives(alts: readonly Item[][], fold: (c: number) => number): Grams | null {
  const all: Grams = new Set();
  for (const alt of alts) {
    const g = ofSequence(alt, fold);
    if (g === null) return null;
    for (const x of g) all.add(x);
  }
  return all.size <= MAX_GRAMS ? all : null;
}

/**
 * The grams of a pattern (lowercase when `i`), or null when it has none for certain: flags other than `i`, a
 * construct not read, an alternative that needs no character from a small set, or a non-ASCII one.
 */
export function requiredGrams(source: string, flags: string): Grams | null {
  if (!/^i?$/.test(flags)) return null;
  const ignoreCase = flags === 'i';
  const fold = (c: number): number => (ignoreCase && c >= 65 && c <= 90 ? c | 0x20 : c);
  try {
    // Under `i` a letter gram stands for both cases (values are folded at test time).
    return ofAlternatives(new Reader(source).alternatives(false), fold);
  } catch (e) {
    if (e instanceof Unknown) return null;
    throw e;
  }
}

/**
 * A test that is false only for values that hold none of the pattern's grams (then the regex cannot match), or null
 * when the pattern has no grams.
 */
export function gramFilter(source: string, flags: string): ((value: string) => boolean) | null {
  const grams = knownGrams(source, flags) ?? requiredGrams(source, flags);
  if (grams === null) return null;
  // one: the one-character grams; two: 1 for a two-character gram, 2 for the start of a three-character one.
  const one = new Uint8Array(128);
  const two = new Uint8Array(128 * 128);
  const three = new Set<number>();
  for (const g of grams) {
    const [a, b, c] = [g.charCodeAt(0), g.charCodeAt(1), g.charCodeAt(2)];
    if (g.length === 1) one[a] = 1;
    else if (g.length === 2) two[(a << 7) | b]! |= 1;
    else {
      two[(a << 7) | b]! |= 2;
      three.add((a << 14) | (b << 7) | c);
    }
  }
  const fold = flags === 'i';
  return (v) => {
    let p2 = -1;
    let p1 = -1;
    for (let i = 0; i < v.length; i++) {
      let c = v.charCodeAt(i);
      if (c >= 128) c = NON_ASCII;
      else if (fold && c >= 65 && c <= 90) c |= 0x20;
      if (one[c] === 1) return true;
      if (p1 >= 0) {
        if ((two[(p1 << 7) | c]! & 1) !== 0) return true;
        if (p2 >= 0 && (two[(p2 << 7) | p1]! & 2) !== 0 && three.has((p2 << 14) | (p1 << 7) | c)) return true;
      }
      p2 = p1;
      p1 = c;
    }
    return false;
  };
}
