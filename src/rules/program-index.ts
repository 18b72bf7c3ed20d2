// Indexes rules by the program they apply to, and then by the gate fields a record has, so that a record runs only
// the rules that can apply to it: its program's rules merged with the generic ones, in rule order, without the
// rules whose fields it lacks (no web rules for a syslog line), split into main and fallback rules.
import type { LogRecord } from '../types.js';
import type { CompiledRule } from './compile.js';
import { anyLiteral } from './matcher.js';

export interface RuleLists<T> {
  /** 'first' and 'additive' rules, in order. */
  readonly main: readonly T[];
  /** Rules that run only when no main rule matched. */
  readonly fallback: readonly T[];
  /**
   * Every literal of the listed rules that read the message only (literalGated): when the message has none of
   * them, one regex test skips all those rules instead of one includes() per rule. One gate for the rules whose
   * literals are case-sensitive, one (ignoring case) for the rules with the `i` flag.
   */
  readonly literalGate: RegExp | null;
  readonly literalGateIgnoringCase: RegExp | null;
  /**
   * main and fallback without the rules that literalGate rules out, for a message it does not match: most lines
   * (every access-log line) then loop over a third of the rules. Same rules, same order, so the same events.
   */
  readonly mainWithoutLiteral: readonly T[];
  readonly fallbackWithoutLiteral: readonly T[];
}

/** A rule that reads only the message and has literals: one of the list's literal gates can rule it out. */
export function literalGated(rule: CompiledRule): boolean {
  return rule.literals.length > 0 && rule.decode === null && rule.fields.length === 1 && rule.fields[0] === 'message';
}

/** A rule literalGate can rule out: literal-gated and case-sensitive. */
function caseSensitiveGated(rule: CompiledRule): boolean {
  return literalGated(rule) && !(rule.regex?.ignoreCase ?? false);
}

function literalGate(rules: readonly CompiledRule[], ignoreCase: boolean): RegExp | null {
  const literals = new Set<string>();
  for (const r of rules) {
    if (literalGated(r) && (r.regex?.ignoreCase ?? false) === ignoreCase) for (const l of r.literals) literals.add(l);
  }
  return literals.size === 0 ? null : anyLiteral([...literals], ignoreCase ? 'i' : '');
}

export interface ProgramIndex<T> {
  /** The rules, in order, that can apply to a record of this program with these fields. */
  select(program: string | null, fields: LogRecord['fields']): RuleLists<T>;
}

// Distinct program names remembered for prefix (`postfix/*`) look-ups; past this they are computed each time.
const PROGRAM_CACHE_MAX = 1024;
// Gate fields per program tracked in a bit mask; rules gated by more are treated as ungated (still correct).
const MAX_GATES = 30;
const MASK_CACHE_MAX = 256;

function accepts(rule: CompiledRule, program: string | null): boolean {
  if (rule.programs === null) return true;
  for (const p of rule.programs) {
    if (p === null ? program === null : program !== null && (p.endsWith('*') ? program.startsWith(p.slice(0, -1)) : program === p)) {
      return true;
    }
  }
  return false;
}

/** The rules of one program, with their gates as bit masks and the lists per record mask, cached. */
class ProgramRules<T> {
  private readonly gateNames: string[] = [];
  private readonly masks: number[];
  private readonly byMask = new Map<number, RuleLists<T>>();

  constructor(private readonly items: readonly T[], private readonly ruleOf: (t: T) => CompiledRule) {
    this.masks = items.map((item) => {
      const gate = ruleOf(item).gate;
      if (gate.length === 0) return 0;
      let mask = 0;
      for (const name of gate) {
        let bit = this.gateNames.indexOf(name);
        if (bit < 0 && this.gateNames.length < MAX_GATES) bit = this.gateNames.push(name) - 1;
        if (bit < 0) return 0; // too many gates: always run this rule
        mask |= 1 << bit;
      }
      return mask;
    });
  }

  lists(fields: LogRecord['fields']): RuleLists<T> {
    let mask = 0;
    // A plain read, not hasOwnProperty: an inherited name only lets a rule through that its matcher then rejects.
    for (let i = 0; i < this.gateNames.length; i++) if (fields[this.gateNames[i]!] !== undefined) mask |= 1 << i;
    const hit = this.byMask.get(mask);
    if (hit !== undefined) return hit;
    const applies = this.items.filter((_, i) => this.masks[i] === 0 || (this.masks[i]! & mask) !== 0);
    const main = applies.filter((t) => this.ruleOf(t).mode !== 'fallback');
    const fallback = applies.filter((t) => this.ruleOf(t).mode === 'fallback');
    const lists = {
      main,
      fallback,
      literalGate: literalGate(applies.map(this.ruleOf), false),
      literalGateIgnoringCase: literalGate(applies.map(this.ruleOf), true),
      mainWithoutLiteral: main.filter((t) => !caseSensitiveGated(this.ruleOf(t))),
      fallbackWithoutLiteral: fallback.filter((t) => !caseSensitiveGated(this.ruleOf(t))),
    };
    if (this.byMask.size < MASK_CACHE_MAX) this.byMask.set(mask, lists);
    return lists;
  }
}

export function indexByProgram<T>(items: readonly T[], ruleOf: (t: T) => CompiledRule): ProgramIndex<T> {
  const forProgram = (program: string | null): ProgramRules<T> =>
    new ProgramRules(items.filter((t) => accepts(ruleOf(t), program)), ruleOf);
  // Rules for programs no rule names: the generic ones only.
  const others = new ProgramRules(items.filter((t) => ruleOf(t).programs === null), ruleOf);
  // Records without a program: the generic rules and those that list null.
  const generic = forProgram(null);
  const exact = new Map<string, ProgramRules<T>>();
  let prefixed = false;
  for (const item of items) {
    for (const p of ruleOf(item).programs ?? []) {
      if (p === null) continue;
      if (p.endsWith('*')) prefixed = true;
      else if (!exact.has(p)) exact.set(p, forProgram(p));
    }
  }
  const cache = new Map<string, ProgramRules<T>>();
  const byPrefix = (program: string): ProgramRules<T> => {
    const hit = cache.get(program);
    if (hit !== undefined) return hit;
    const found = items.some((t) => ruleOf(t).programs !== null && accepts(ruleOf(t), program)) ? forProgram(program) : others;
    // The key is copied: the program name may be a slice of a line.
    if (cache.size < PROGRAM_CACHE_MAX) cache.set((' ' + program).slice(1), found);
    return found;
  };
  return {
    select(program, fields) {
      const rules = program === null ? generic : (exact.get(program) ?? (prefixed ? byPrefix(program) : others));
      return rules.lists(fields);
    },
  };
}
