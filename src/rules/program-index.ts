// Indexes rules by the program they apply to, and then by the gate fields a record has, so that a record runs only
// the rules that can apply to it: its program's rules merged with the generic ones, in rule order, without the
// rules whose fields it lacks (no web rules for a syslog line) and without the field rules whose memo already knows
// that none of them matches the record's value (a repeated URL or User-Agent), split into main and fallback rules.
import type { LogRecord } from '../types.js';
import type { CompiledRule, WhereCondition } from './compile.js';
import { LiteralScan, type Slotted } from './literal-scan.js';
import { anyLiteral, answeredBy, type Matcher } from './matcher.js';
import type { ValueMemo } from './value-memo.js';

/** What a list holds: a rule, its slot in the engine, and which per-record mark can rule it out. */
export interface Gated extends Slotted {
  /**
   * 0: none (it always runs its matcher); 1: the case-sensitive literal scan; 2: the literal gate ignoring case;
   * 3: the first character of the message (the rule's anchored prefix starts with it), and the literal scan unless
   * the prefix holds a literal (see `scanned`).
   */
  readonly gate: Gate;
  /** The rule's matcher, when it has one: a matcher answered by a field memo can be left out (`answeredBy`). */
  readonly match?: Matcher;
}

export type Gate = 0 | 1 | 2 | 3;

export interface RuleLists<T> {
  /** Rules that run only when no main rule matched. */
  readonly fallback: readonly T[];
  /** Whether the message holds a literal of a rule with gate 2 (tested once, when such a rule comes up). */
  readonly gateIgnoringCase: RegExp | null;
  /**
   * First character code of a message (0-127; 128 for any other) -> the main rules it may match, in rule order:
   * every rule without gate 3, and the gate 3 rules whose prefix starts with that character. `Failed password ...`
   * comes to the two sshd rules for `F` first, and nothing else runs once one of them matched.
   */
  readonly byFirstChar: readonly MainOrder[];
}

/** The main rules a message may match, as slots in rule order. */
export interface MainOrder {
  readonly slots: Int32Array;
  /** The index in `slots` past the last rule that is not 'first': once a 'first' rule matched, nothing past it runs. */
  readonly additiveEnd: number;
  /**
   * One scan of the message for every literal of these rules and of the fallback rules that need it (see
   * `scanned`), marking the rules whose literal it holds: most lines hold none or one. Run only when such a rule
   * comes up. One per first character: an `F` line does not look for the literals of the `p` rules.
   */
  readonly scan: LiteralScan | null;
}

/**
 * Whether the scan must find the rule's literal: gate 1, and gate 3 unless its prefix holds one of its literals
 * (the prefix check then proves the literal: `^Failed ` and `Failed `).
 */
export function scanned(t: Gated): boolean {
  if (t.gate === 1) return true;
  if (t.gate !== 3 || t.rule.literals.length === 0) return false;
  return !t.rule.literals.some((l) => t.rule.prefix.includes(l));
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

const OTHER = ASCII; // the entry for a message starting with a non-ASCII character, or empty

function firstCharTable<T extends Gated>(items: readonly T[]): MainOrder[] {
  const orderOf = (c: number): MainOrder => {
    const allowed = items.filter((t) => t.gate !== 3 || t.rule.prefix.charCodeAt(0) === c);
    const main = allowed.filter((t) => t.rule.mode !== 'fallback');
    let additiveEnd = 0;
    main.forEach((t, i) => {
      if (t.rule.mode !== 'first') additiveEnd = i + 1;
    });
    return { slots: Int32Array.from(main.map((t) => t.slot)), additiveEnd, scan: scanOf(allowed) };
  };
  const other = orderOf(OTHER);
  const table: MainOrder[] = [];
  for (let c = 0; c < ASCII; c++) table.push(items.some((t) => t.gate === 3 && t.rule.prefix.charCodeAt(0) === c) ? orderOf(c) : other);
  table.push(other);
  return table;
}

/** The rules whose literal the scan must find (see `scanned`). */
function scanOf<T extends Gated>(items: readonly T[]): LiteralScan | null {
  const gated = items.filter(scanned);
  return gated.length === 0 ? null : new LiteralScan(gated);
}

function gateIgnoringCase<T extends Gated>(items: readonly T[]): RegExp | null {
  const literals = new Set<string>();
  for (const t of items) if (t.gate === 2) for (const l of t.rule.literals) literals.add(l);
  return literals.size === 0 ? null : anyLiteral([...literals], 'i');
}

export interface ProgramIndex<T> {
  /** The rules, in order, that can apply to a record of this program with these fields (request: LogRecord.request). */
  select(program: string | null, fields: LogRecord['fields'], request: boolean): RuleLists<T>;
}

// Distinct program names remembered for prefix (`postfix/*`) look-ups; past this they are computed each time.
const PROGRAM_CACHE_MAX = 1024;
// Gate fields per program tracked in a bit mask; rules gated by more are treated as ungated (still correct).
const MAX_GATES = 25;
const MASK_CACHE_MAX = 256;
// The mask bit of a record whose message is a request line a client wrote: built-in rules for program text do
// not read it (CompiledRule.programText).
const REQUEST = 1 << MAX_GATES;
// Field memos per program that can rule rules out (url and agent for web rules), as bits past the request bit:
// the mask stays a small integer (30 bits).
const MAX_JUDGES = 4;
const JUDGE_SHIFT = MAX_GATES + 1;
// What a record has and meets, without what the field memos know of its values.
const GATE_BITS = (1 << JUDGE_SHIFT) - 1;


function accepts(rule: CompiledRule, program: string | null): boolean {
  if (rule.programs === null) return true;
  for (const p of rule.programs) {
    if (p === null ? program === null : program !== null && (p.endsWith('*') ? program.startsWith(p.slice(0, -1)) : program === p)) {
      return true;
    }
  }
  return false;
}

/**
 * The rules of one program, with their gates as bit masks and the lists per record mask, cached. A record's mask
 * has a bit per gate field it has, a bit per `where` value condition it meets (`status: '401'`), and a bit per field
 * memo that says no rule it answers for matches (`judges`). A rule that needs a field the record lacks, a condition
 * it fails, or whose memo says no, is left out of the record's lists: that changes nothing but the work (the rule
 * would answer NO_MATCH).
 */
class ProgramRules<T extends Gated> {
  private readonly gateNames: string[] = [];
  private readonly masks: number[];
  /** The `where` value conditions tracked (bits past the gate names), and the bits each item needs, all of them. */
  private readonly conditions: WhereCondition[] = [];
  private readonly needs: number[];
  /** Field memos that can rule out rules, and the bit (past the gate bits) each item is ruled out by, or 0. */
  private readonly judges: ValueMemo[] = [];
  private readonly judgedBy: number[];
  private readonly byMask = new Map<number, RuleLists<T>>();

  /** The gate and condition bits of a fields object (presenceMask). */
  private readonly present: (fields: LogRecord['fields']) => number;

  constructor(private readonly items: readonly T[]) {
    this.masks = items.map((item) => this.gateMask(item.rule));
    this.needs = items.map((item) => this.conditionMask(item.rule));
    this.judgedBy = items.map((item) => this.judgeBit(item));
    this.present = presenceMask(this.gateNames, this.conditions);
  }

  /** The bits of the rule's `where` value conditions (bits past the gate names; past MAX_GATES, not tracked). */
  private conditionMask(rule: CompiledRule): number {
    let mask = 0;
    for (const w of rule.where) {
      if (w.values === null) continue;
      const values = JSON.stringify(w.values);
      let k = this.conditions.findIndex((c) => c.field === w.field && JSON.stringify(c.values) === values);
      if (k < 0 && this.gateNames.length + this.conditions.length < MAX_GATES) k = this.conditions.push(w) - 1;
      if (k >= 0) mask |= 1 << (this.gateNames.length + k);
    }
    return mask;
  }

  private gateMask(rule: CompiledRule): number {
    if (rule.gate.length === 0) return 0;
    let mask = 0;
    for (const name of rule.gate) {
      let bit = this.gateNames.indexOf(name);
      if (bit < 0 && this.gateNames.length < MAX_GATES) bit = this.gateNames.push(name) - 1;
      if (bit < 0) return 0; // too many gates: always run this rule
      mask |= 1 << bit;
    }
    return mask;
  }

  /** The mask bit, past the gate bits, of the memo that can rule the item out, or 0. */
  private judgeBit(item: T): number {
    const memo = item.match === undefined ? null : answeredBy(item.match);
    if (memo === null || !memo.judges) return 0;
    let i = this.judges.indexOf(memo);
    if (i < 0 && this.judges.length < MAX_JUDGES) i = this.judges.push(memo) - 1;
    return i < 0 ? 0 : 1 << (JUDGE_SHIFT + i);
  }

  // The fields of the last record and their lists: formats share one frozen empty object for lines without
  // fields (every syslog line), and fields are never mutated.
  private lastFields: LogRecord['fields'] | null = null;
  private lastRequest = false;
  private lastLists: RuleLists<T> | null = null;

  /** `request`: the record's message is a request line a client wrote (LogRecord.request). */
  lists(fields: LogRecord['fields'], request: boolean): RuleLists<T> {
    if (fields === this.lastFields && request === this.lastRequest) return this.lastLists!;
    const lists = this.listsFor(fields, request);
    this.lastFields = fields;
    this.lastRequest = request;
    this.lastLists = lists;
    return lists;
  }

  private listsFor(fields: LogRecord['fields'], request: boolean): RuleLists<T> {
    let mask = this.present(fields) | (request ? REQUEST : 0);
    for (let i = 0; i < this.judges.length; i++) if (this.judges[i]!.nothingMatches(fields)) mask |= 1 << (JUDGE_SHIFT + i);
    const hit = this.byMask.get(mask);
    if (hit !== undefined) return hit;
    // Cache full: the lists without memo bits, when known, rather than building new ones (they only run more rules).
    const full = this.byMask.size >= MASK_CACHE_MAX ? this.byMask.get(mask & GATE_BITS) : undefined;
    if (full !== undefined) return full;
    const applies = this.items.filter((t, i) =>
      (this.masks[i] === 0 || (this.masks[i]! & mask) !== 0) && (this.needs[i]! & mask) === this.needs[i] && (this.judgedBy[i]! & mask) === 0
      && !(request && t.rule.programText));
    const lists = {
      fallback: applies.filter((t) => t.rule.mode === 'fallback'),
      gateIgnoringCase: gateIgnoringCase(applies),
      byFirstChar: firstCharTable(applies),
    };
    if (this.byMask.size < MASK_CACHE_MAX) this.byMask.set(mask, lists);
    return lists;
  }
}

/**
 * The bit mask of the names a fields object has (bit i: `names[i]` is not undefined there), then of the conditions
 * it meets (bit names.length + k: the value of `conditions[k].field` is one of its values, as the matcher's `where`
 * check reads it), as a function built with each name as a constant key: each read then has its own inline cache,
 * which sees the few shapes the fields of one format take. A loop reading `fields[names[i]]` is one megamorphic
 * read for all names: 11 gate names cost ~220 ns per record against ~25 (measured on access-like objects), most of
 * it for the names a record lacks. A plain read, not hasOwnProperty: an inherited name only lets a rule through that
 * its matcher then rejects. Names and values (from rule specs, possibly a user's) are written as JSON string
 * literals: they can only ever be a key and strings to compare with.
 */
function presenceMask(names: readonly string[], conditions: readonly WhereCondition[]): (fields: LogRecord['fields']) => number {
  const lit = (s: string): string => JSON.stringify(s);
  const reads = names.map((name, i) => `if (f[${lit(name)}] !== undefined) m |= ${1 << i};`);
  conditions.forEach((c, k) => {
    const equal = c.values!.map((v) => `v === ${lit(v)}`).join(' || ');
    reads.push(`{ const v = f[${lit(c.field)}]; if (${equal}) m |= ${1 << (names.length + k)}; }`);
  });
  try {
    return new Function('f', `let m = 0;\n${reads.join('\n')}\nreturn m;`) as (fields: LogRecord['fields']) => number;
  } catch {
    // Code generation refused (node --disallow-code-generation-from-strings): the same answers, read in a loop.
    return (f) => {
      let m = 0;
      for (let i = 0; i < names.length; i++) if (f[names[i]!] !== undefined) m |= 1 << i;
      for (let k = 0; k < conditions.length; k++) {
        const c = conditions[k]!;
        if (c.values!.includes(f[c.field] as string)) m |= 1 << (names.length + k);
      }
      return m;
    };
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
  // The named programs, then the others as they come (`CRON`, `postfix/smtpd`): one look-up per record.
  const known = new Map(exact);
  const limit = exact.size + PROGRAM_CACHE_MAX;
  const lookUp = (program: string): ProgramRules<T> => {
    const found = prefixed && items.some((t) => ruleOf(t).programs !== null && accepts(ruleOf(t), program)) ? forProgram(program) : others;
    // The key is copied: the program name may be a slice of a line.
    if (known.size < limit) known.set((' ' + program).slice(1), found);
    return found;
  };
  return {
    select(program, fields, request) {
      const rules = program === null ? generic : (known.get(program) ?? lookUp(program));
      return rules.lists(fields, request);
    },
  };
}
