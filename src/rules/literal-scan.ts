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
