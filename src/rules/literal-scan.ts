// One scan of a message for every literal of a rule list, marking which rules can match: a line then runs only the
// rules whose literal it holds (a `Connection closed by` line runs one sshd rule, not thirty includes()). A marked
// rule runs without its literal test (the scan found it), then its pattern.
import type { CompiledRule } from './compile.js';
import { anyLiteral } from './matcher.js';

/** A rule a LiteralScan can mark, by its slot in the engine's stamp array. */
export interface Slotted {
  readonly rule: CompiledRule;
  readonly slot: number;
}

const NONE = new Int32Array(0);

export class LiteralScan {
  private readonly regex: RegExp;
  /** A literal -> the slots of the rules that hold it or a prefix of it. */
  private readonly slotsOf = new Map<string, Int32Array>();

  /** Every rule must have literals, matched case-sensitively. */
  constructor(rules: readonly Slotted[]) {
    const literals = new Set<string>();
    for (const r of rules) for (const l of r.rule.literals) literals.add(l);
    // Longest first: at a position, the alternation then reports the longest literal there, and every other
    // literal that starts there is a prefix of it.
    const sorted = [...literals].sort((a, b) => b.length - a.length);
    for (const text of sorted) {
      const slots = rules.filter((r) => r.rule.literals.some((l) => text.startsWith(l))).map((r) => r.slot);
      this.slotsOf.set(text, Int32Array.from(slots));
    }
    this.regex = anyLiteral(sorted, 'g');
  }

  /** Sets stamp[slot] = no for every rule whose literal occurs in text. */
  mark(text: string, stamp: Int32Array, no: number): void {
    const re = this.regex;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      // m[0] is one of the literals as written, so always in the map.
      const slots = this.slotsOf.get(m[0]) ?? NONE;
      for (let i = 0; i < slots.length; i++) stamp[slots[i]!] = no;
      // Literals can overlap (`Connection closed by ` and `by authenticating user `): look again one further on.
      re.lastIndex = m.index + 1;
    }
  }
}

/** A rule as the engine knows it: whether the scan must find its literal, and the first characters it can match. */
export interface Scanned extends Slotted {
  readonly scanned: boolean;
  /** first-chars.ts entries its pattern can start with, or null for any. */
  readonly firstChars: Uint8Array | null;
  readonly gate: number;
}

// Rule lists tracked (each a table of first characters), and distinct narrowed scans made (lists and characters
// that leave the same rules share one); past these, a list's own scan is used.
const MAX_LISTS = 256;
const MAX_SCANS = 512;
const FIRST_CHARS = 129;

/**
 * The scans of a list's rules narrowed to those a message's first character allows (first-chars.ts), made when first
 * needed: a `Received disconnect` line looks for the two literals of the one sshd rule that can start with `R`, not
 * for the fifteen of all the sshd and pam rules. A rule left out is passed over by the engine before it asks.
 */
export class NarrowScans {
  private readonly byLists = new Map<object, (LiteralScan | null | undefined)[]>();
  /** The rules' slots, joined -> their scan. */
  private readonly bySlots = new Map<string, LiteralScan | null>();
  private lastLists: object | null = null;
  private last: (LiteralScan | null | undefined)[] = [];

  /**
   * The scan for a message starting with entry `c` whose candidates are `slots` (of `items`) and `fallback`; `full` is
   * the scan of all their literals (used past the bound on lists).
   */
  of<T extends Scanned>(lists: object, c: number, slots: Int32Array, items: readonly T[], fallback: readonly T[], full: LiteralScan | null): LiteralScan | null {
    let byChar = lists === this.lastLists ? this.last : this.byLists.get(lists);
    if (byChar === undefined) {
      if (this.byLists.size >= MAX_LISTS) return full;
      byChar = new Array<LiteralScan | null | undefined>(FIRST_CHARS).fill(undefined);
      this.byLists.set(lists, byChar);
    }
    this.lastLists = lists;
    this.last = byChar;
    let scan = byChar[c];
    if (scan === undefined) scan = byChar[c] = this.narrowed(c, [...slots].map((s) => items[s]!).concat(fallback), full);
    return scan;
  }

  private narrowed(c: number, candidates: readonly Scanned[], full: LiteralScan | null): LiteralScan | null {
    const allows = (t: Scanned): boolean =>
      t.scanned && (t.firstChars === null || t.firstChars[c] === 1) && (t.gate !== 3 || t.rule.prefix.charCodeAt(0) === c);
    const kept = candidates.filter(allows);
    if (kept.length === 0) return null;
    const key = kept.map((t) => t.slot).join(',');
    let scan = this.bySlots.get(key);
    if (scan === undefined) {
      if (this.bySlots.size >= MAX_SCANS) return full;
      scan = new LiteralScan(kept);
      this.bySlots.set(key, scan);
    }
    return scan;
  }
}
