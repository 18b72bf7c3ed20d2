// Indexes rules by the program they apply to, and then by the gate fields a record has, so that a record runs only
// the rules that can apply to it: its program's rules merged with the generic ones, in rule order, without the
// rules whose fields it lacks (no web rules for a syslog line), split into main and fallback rules.
import type { LogRecord } from '../types.js';
import type { CompiledRule } from './compile.js';
import { LiteralScan, type Slotted } from './literal-scan.js';
import { anyLiteral } from './matcher.js';

/** What a list holds: a rule, its slot in the engine, and which per-record mark can rule it out. */
export interface Gated extends Slotted {
  /**
   * 0: none (it always runs its matcher); 1: the case-sensitive literal scan; 2: the literal gate ignoring case;
   * 3: the first character of the message (the rule's anchored prefix starts with it), and the literal scan.
   */
  readonly gate: Gate;
}

export type Gate = 0 | 1 | 2 | 3;

export interface RuleLists<T> {
  /** Rules that run only when no main rule matched. */
  readonly fallback: readonly T[];
  /** The main rules that no per-record mark can rule out (gates 0 and 2), in order. */
  readonly mainOpen: readonly T[];
  /**
   * One scan of the message for every literal of the rules with gate 1 (and gate 3), marking the rules whose
   * literal it holds: most lines hold none or one.
   */
  readonly scan: LiteralScan | null;
  /** The slots of the rules with gate 1, in order. */
  readonly scanned: Int32Array;
  /** Whether the message holds a literal of a rule with gate 2 (tested once, when such a rule comes up). */
  readonly gateIgnoringCase: RegExp | null;
  /**
   * First character code of a message (ASCII) -> the slots of the rules (gate 3) whose prefix starts with it:
   * `Failed password ...` marks two sshd rules, and no scan reads the message for their literals.
   */
  readonly byFirstChar: readonly (Int32Array | undefined)[];
}

/** A rule that reads only the message and has literals: a literal scan can rule it out. */
export function literalGated(rule: CompiledRule): boolean {
  return rule.literals.length > 0 && readsMessage(rule);
}

function readsMessage(rule: CompiledRule): boolean {
  return rule.decode === null && rule.fields.length === 1 && rule.fields[0] === 'message';
}

/** Which mark can rule the rule out (see Gated). */
export function gateOf(rule: CompiledRule): Gate {
  if (rule.prefix !== '' && readsMessage(rule) && rule.prefix.charCodeAt(0) < ASCII) return 3;
  if (!literalGated(rule)) return 0;
  return rule.regex?.ignoreCase === true ? 2 : 1;
}

const ASCII = 128;

function firstCharTable<T extends Gated>(items: readonly T[]): (Int32Array | undefined)[] {
  const table: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(ASCII).fill(undefined);
  for (let c = 0; c < ASCII; c++) {
    const slots = items.filter((t) => t.gate === 3 && t.rule.prefix.charCodeAt(0) === c).map((t) => t.slot);
    if (slots.length > 0) table[c] = Int32Array.from(slots);
  }
  return table;
}

/** Rules with gate 1, and rules with gate 3 and literals (a prefix alone does not prove the literal is there). */
function scanOf<T extends Gated>(items: readonly T[]): LiteralScan | null {
  const gated = items.filter((t) => t.gate === 1 || (t.gate === 3 && t.rule.literals.length > 0));
  return gated.length === 0 ? null : new LiteralScan(gated);
}

function gateIgnoringCase<T extends Gated>(items: readonly T[]): RegExp | null {
  const literals = new Set<string>();
  for (const t of items) if (t.gate === 2) for (const l of t.rule.literals) literals.add(l);
  return literals.size === 0 ? null : anyLiteral([...literals], 'i');
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
class ProgramRules<T extends Gated> {
  private readonly gateNames: string[] = [];
  private readonly masks: number[];
  private readonly byMask = new Map<number, RuleLists<T>>();

  constructor(private readonly items: readonly T[]) {
    this.masks = items.map((item) => {
      const gate = item.rule.gate;
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

  // The fields of the last record and their lists: formats share one frozen empty object for lines without
  // fields (every syslog line), and fields are never mutated.
  private lastFields: LogRecord['fields'] | null = null;
  private lastLists: RuleLists<T> | null = null;

  lists(fields: LogRecord['fields']): RuleLists<T> {
    if (fields === this.lastFields) return this.lastLists!;
    const lists = this.listsFor(fields);
    this.lastFields = fields;
    this.lastLists = lists;
    return lists;
  }

  private listsFor(fields: LogRecord['fields']): RuleLists<T> {
    let mask = 0;
    // A plain read, not hasOwnProperty: an inherited name only lets a rule through that its matcher then rejects.
    for (let i = 0; i < this.gateNames.length; i++) if (fields[this.gateNames[i]!] !== undefined) mask |= 1 << i;
    const hit = this.byMask.get(mask);
    if (hit !== undefined) return hit;
    const applies = this.items.filter((_, i) => this.masks[i] === 0 || (this.masks[i]! & mask) !== 0);
    const lists = {
      fallback: applies.filter((t) => t.rule.mode === 'fallback'),
      mainOpen: applies.filter((t) => t.rule.mode !== 'fallback' && (t.gate === 0 || t.gate === 2)),
      scan: scanOf(applies),
      scanned: Int32Array.from(applies.filter((t) => t.gate === 1).map((t) => t.slot)),
      gateIgnoringCase: gateIgnoringCase(applies),
      byFirstChar: firstCharTable(applies),
    };
    if (this.byMask.size < MASK_CACHE_MAX) this.byMask.set(mask, lists);
    return lists;
  }
}

export function indexByProgram<T extends Gated>(items: readonly T[]): ProgramIndex<T> {
  const ruleOf = (t: T): CompiledRule => t.rule;
  const forProgram = (program: string | null): ProgramRules<T> =>
    new ProgramRules(items.filter((t) => accepts(ruleOf(t), program)));
  // Rules for programs no rule names: the generic ones only.
  const others = new ProgramRules(items.filter((t) => ruleOf(t).programs === null));
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
