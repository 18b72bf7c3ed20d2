// One scan of a message for every literal of a rule list, marking which rules can match: a line then runs only the
// rules whose literal it holds (a `Connection closed by` line runs one sshd rule, not thirty includes()). A marked
// rule runs without its literal test (the scan found it), then its pattern. The rules that match ignoring case (the
// app rules) have a scan of their own, which is also their gate: a line none of their literals is in runs none.
import type { CompiledRule } from './compile.js';
import { anyLiteral, escapeLiteral } from './matcher.js';

/** What a LiteralScan marks, by its slot in a stamp array: a rule's literals, or a Sigma rule's needed text (sigma/engine.ts). */
export interface Marked {
  readonly rule: { readonly literals: readonly string[] };
  readonly slot: number;
}

/** A rule a LiteralScan can mark, by its slot in the engine's stamp array. */
export interface Slotted extends Marked {
  readonly rule: CompiledRule;
}

const NONE = new Int32Array(0);
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Literal -> the slots of the rules holding it or a literal `startsWith` says starts it; longest literals first. */
function slotsByLiteral(rules: readonly Marked[], startsWith: (text: string, l: string) => boolean): Map<string, Int32Array> {
  const literals = new Set<string>();
  for (const r of rules) for (const l of r.rule.literals) literals.add(l);
  // Longest first: at a position, the alternation then reports the longest literal there, and every other
  // literal that starts there starts it.
  const sorted = [...literals].sort((a, b) => b.length - a.length);
  const slotsOf = new Map<string, Int32Array>();
  for (const text of sorted) {
    const slots = rules.filter((r) => r.rule.literals.some((l) => startsWith(text, l))).map((r) => r.slot);
    slotsOf.set(text, Int32Array.from(slots));
  }
  return slotsOf;
}

export class LiteralScan {
  private readonly regex: RegExp;
  /** A literal -> the slots of the rules that hold it or a prefix of it. */
  private readonly slotsOf: Map<string, Int32Array>;
  /**
   * Match length -> the slots of the one literal of that length, when only one has it: a match is one of the
   * literals as written, so its length names it without hashing the matched text (a Map look-up with a fresh string
   * hashes it, and compares a sliced one in V8's runtime).
   */
  private readonly byLength: (Int32Array | undefined)[] = [];

  /** Every rule must have literals, matched case-sensitively. */
  constructor(rules: readonly Marked[]) {
    this.slotsOf = slotsByLiteral(rules, (text, l) => text.startsWith(l));
    const count: number[] = [];
    for (const text of this.slotsOf.keys()) count[text.length] = (count[text.length] ?? 0) + 1;
    for (const [text, slots] of this.slotsOf) if (count[text.length] === 1) this.byLength[text.length] = slots;
    this.regex = anyLiteral([...this.slotsOf.keys()], 'g');
  }

  /** Sets stamp[slot] = no for every rule whose literal occurs in text. */
  mark(text: string, stamp: Int32Array, no: number): void {
    const re = this.regex;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      // m[0] is one of the literals as written, so always in the map.
      const found = m[0];
      const slots = this.byLength[found.length] ?? this.slotsOf.get(found) ?? NONE;
      for (let i = 0; i < slots.length; i++) stamp[slots[i]!] = no;
      // Literals can overlap (`Connection closed by ` and `by authenticating user `): look again one further on.
      re.lastIndex = m.index + 1;
    }
  }

  /** As mark, and appends to `found` each slot it stamps that was not stamped `no` yet. */
  collect(text: string, stamp: Int32Array, no: number, found: number[]): void {
    const re = this.regex;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const slots = this.byLength[m[0].length] ?? this.slotsOf.get(m[0]) ?? NONE;
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i]!;
        if (stamp[s] === no) continue;
        stamp[s] = no;
        found.push(s);
      }
      re.lastIndex = m.index + 1;
    }
  }
}

/**
 * The same for rules whose literals are found ignoring case (gate 2: the app rules' `login failed` in any case).
 * It replaces both the list's gate ignoring case (one test for any of these literals) and each rule's own literal
 * test: one pass over the message, which on most lines finds nothing, as the gate did.
 */
export class LiteralScanIgnoringCase {
  /**
   * The literals in two regexes: those of ASCII alone, and the others (`验证码`, `注册`). One alternation of both
   * found the same marks but ran ~1.6x as long on a line holding neither (V8, 175,000 sshd messages: 0.32 against
   * 0.19 µs, and 0.26 with the second regex run too), as the app rules' scan runs on every syslog line no sshd rule
   * took (23% of an auth.log). Ignoring case without the `u` flag, an ASCII literal matches only ASCII text, and every
   * literal found at a position is a prefix of the longest one there: the two regexes mark the rules one would.
   */
  private readonly regexes: readonly RegExp[];
  private readonly slotsOf: Map<string, Int32Array>;
  /** Each literal (longest first) as `^literal$` ignoring case, to name a match found in another case. */
  private readonly whole: { readonly re: RegExp; readonly slots: Int32Array }[] = [];

  /** Every rule must have literals. */
  constructor(rules: readonly Marked[]) {
    // `l` starts `text` ignoring case exactly as the scan's regex compares them (same flags).
    this.slotsOf = slotsByLiteral(rules, (text, l) => new RegExp('^' + escapeLiteral(l), 'i').test(text));
    for (const [text, slots] of this.slotsOf) this.whole.push({ re: new RegExp('^(?:' + escapeLiteral(text) + ')$', 'i'), slots });
    const literals = [...this.slotsOf.keys()]; // longest first (slotsByLiteral), and so in each part
    const ascii = literals.filter((l) => ASCII_ONLY.test(l));
    const other = literals.filter((l) => !ASCII_ONLY.test(l));
    this.regexes = [ascii, other].filter((part) => part.length > 0).map((part) => anyLiteral(part, 'gi'));
  }

  /** Sets stamp[slot] = no for every rule one of whose literals occurs in text, ignoring case. */
  mark(text: string, stamp: Int32Array, no: number): void {
    for (let r = 0; r < this.regexes.length; r++) {
      const re = this.regexes[r]!;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const slots = this.slotsOf.get(m[0]) ?? this.named(m[0]);
        for (let i = 0; i < slots.length; i++) stamp[slots[i]!] = no;
        re.lastIndex = m.index + 1;
      }
    }
  }

  /**
   * The slots of a match in another case than its literal (`Registered`): the first literal equal to it ignoring
   * case. Literals equal ignoring case start the same literals, so they mark the same rules.
   */
  private named(found: string): Int32Array {
    for (const w of this.whole) if (w.re.test(found)) return w.slots;
    return NONE;
  }
}
