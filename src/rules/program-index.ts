// Indexes rules by the program they apply to, the record's format, and then by the gate fields a record has, so that
// a record runs only the rules that can apply to it: its program's rules merged with the generic ones, in rule order,
// without the rules whose formats leave its own out (no kernel rules for an access line), whose fields it lacks (no
// web rules for a syslog line), whose level it lacks, and without the field rules whose memo already knows that none
// of them matches the record's value (a repeated URL or User-Agent), split into main and fallback rules.
import type { LogRecord } from '../types.js';
import type { CompiledRule, WhereCondition } from './compile.js';
import type { Slotted } from './literal-scan.js';
import { FirstCharOrders, ScanCache } from './main-order.js';
import { answeredBy, readsMessageText, type Matcher } from './matcher.js';
import { judgeMask, presenceMask } from './presence-mask.js';
import type { ValueMemo } from './value-memo.js';

/** What a list holds: a rule, its slot in the engine, and which per-record mark can rule it out. */
export interface Gated extends Slotted {
  /**
   * 0: none (it always runs its matcher); 1: the case-sensitive literal scan; 2: the literal scan ignoring case;
   * 3: the first character of the message (the rule's anchored prefix starts with it), and the literal scan unless
   * the prefix holds a literal (main-order.ts `scanned`).
   */
  readonly gate: Gate;
  /** The rule's matcher, when it has one: a matcher answered by a field memo can be left out (`answeredBy`). */
  readonly match?: Matcher;
  /**
   * 1 per first-chars.ts entry a message may start with for the rule to match, or null/absent for any: only for a
   * rule whose match is read from the message alone, from its start (the engine's numbered twins).
   */
  readonly firstChars?: Uint8Array | null;
}

export type Gate = 0 | 1 | 2 | 3;

export interface RuleLists<T extends Gated> {
  /**
   * Whether a rule of the lists reads the message. When none does (an access record's lists hold field rules only),
   * the engine need not look at the message at all (its first read flattens a concatenated message).
   */
  readonly readsMessage: boolean;
  /**
   * First character code of a message (0-127; 128 for any other) -> the main and fallback rules it may match, in rule
   * order (main-order.ts). `Failed password ...` comes to the two sshd rules for `F` first, and nothing else runs once
   * one of them matched.
   */
  readonly byFirstChar: FirstCharOrders<T>;
  /** No rule at all (91% of the bench's access records, once their field memos have spoken): nothing to run. */
  readonly none: boolean;
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

/** What the index reads of a record. */
export type Selecting = Pick<LogRecord, 'program' | 'format' | 'level' | 'fields' | 'foreignText'>;

export interface ProgramIndex<T extends Gated> {
  /** The rules, in order, that can apply to the record (its program, format, level, fields, LogRecord.foreignText). */
  select(record: Selecting): RuleLists<T>;
}

// Distinct program names remembered for prefix (`postfix/*`) look-ups; past this they are computed each time.
const PROGRAM_CACHE_MAX = 1024;
// Kinds of record (format, request, level) per program with rules of their own; past this a kind gets all the rules.
const KIND_CACHE_MAX = 64;
// A kind of record: its message is text its program did not word (LogRecord.foreignText: a client's request line, an
// audit record's values): built-in rules for program text do not read it (CompiledRule.programText); it has a level:
// rules with `levels` need one.
const FOREIGN = 1;
const LEVEL = 2;
// Gate fields and value conditions per program tracked in a bit mask; rules gated by more are treated as ungated
// (still correct: they run).
const MAX_GATES = 26;
const MASK_CACHE_MAX = 256;
// Masks seen lately, direct-mapped (a power of two): consecutive access records differ in a few bits (GET or POST, 200
// or 304, a referer or none) on about half of the records, and a look-up here costs a hash and two loads, where the
// Map of every mask hashes the number and walks a bucket.
const RECENT_BITS = 6;
const RECENT_MASKS = 1 << RECENT_BITS;
// Field memos per program that can rule rules out (url and agent for web rules), as bits past the gate bits: the
// mask stays a small integer (30 bits, a V8 small integer).
const MAX_JUDGES = 4;
const JUDGE_SHIFT = MAX_GATES;
// What a record has and meets, without what the field memos know of its values.
const GATE_BITS = (1 << JUDGE_SHIFT) - 1;

/**
 * Whether the rule can match a record of this kind: its formats take the format, it is no rule for program text on
 * a record whose text its program did not word (a request line, an audit record), and it needs no level the record
 * lacks (what its matcher or the engine checks first).
 */
function takes(rule: CompiledRule, format: string | null, flags: number): boolean {
  if (rule.formats !== null && !rule.formats.has(format)) return false;
  if ((flags & FOREIGN) !== 0 && rule.programText) return false;
  return rule.levels === null || (flags & LEVEL) !== 0;
}

function accepts(rule: CompiledRule, program: string | null): boolean {
  if (rule.programs === null) return true;
  for (const p of rule.programs) {
    if (p === null ? program === null : program !== null && (p.endsWith('*') ? program.startsWith(p.slice(0, -1)) : program === p)) {
      return true;
    }
  }
  return false;
}

/** Whether the item's memos (its judge bits) all say that it answers NO_MATCH for the record (its mask). */
function judgedOut(judgedBy: number, mask: number): boolean {
  return judgedBy !== 0 && (judgedBy & mask) === judgedBy;
}

/**
 * The rules of one program and kind of record (ByKind), with their gates as bit masks and the lists per record mask,
 * cached. A record's mask has a bit per gate field it has, a bit per `where` value condition it meets
 * (`status: '401'`), and a bit per field memo that says no rule it answers for matches (`judges`). A rule that needs
 * a field the record lacks, a condition it fails, or whose memo says no, is left out of the record's lists: that
 * changes nothing but the work (the rule would answer NO_MATCH).
 */
class ProgramRules<T extends Gated> {
  private readonly gateNames: string[] = [];
  private readonly masks: number[];
  /** The `where` value conditions tracked (bits past the gate names), and the bits each item needs, all of them. */
  private readonly conditions: WhereCondition[] = [];
  private readonly needs: number[];
  /** Field memos that can rule out rules, and the bits (past the gate bits) that rule each item out, or 0. */
  private readonly judges: ValueMemo[] = [];
  private readonly judgedBy: number[];
  private readonly byMask = new Map<number, RuleLists<T>>();
  /** Masks of byMask seen lately and their lists, at recentAt (-1: none; a mask is never negative). */
  private readonly recentMasks = new Int32Array(RECENT_MASKS).fill(-1);
  private readonly recentLists: (RuleLists<T> | null)[] = new Array<RuleLists<T> | null>(RECENT_MASKS).fill(null);
  private lastMask = -1;
  private lastMaskLists: RuleLists<T> | null = null;

  /** The gate and condition bits of a fields object (presenceMask), and the judges' bits (judgeMask). */
  private readonly present: (fields: LogRecord['fields']) => number;
  private readonly judged: ((fields: LogRecord['fields'], judges: readonly ValueMemo[]) => number) | null;

  /**
   * `fresh`: every record of the kind comes with a fields object of its own (a request record's: an access line's
   * fields are made for it), so `lists` does not remember the last one: it never comes again, and storing each new
   * object into this long-lived one took the write barrier's slow path on every record.
   */
  constructor(private readonly items: readonly T[], private readonly scans: ScanCache, private readonly fresh = false) {
    this.masks = items.map((item) => this.gateMask(item.rule));
    this.needs = items.map((item) => this.conditionMask(item.rule));
    this.judgedBy = items.map((item) => this.judgeBits(item));
    this.present = presenceMask(this.gateNames, this.conditions);
    this.judged = this.judges.length === 0 ? null : judgeMask(this.judges.map((j) => j.name), JUDGE_SHIFT, this.judges.map((j) => j.active));
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

  /** The mask bits, past the gate bits, of the memos that rule the item out when all of them say so, or 0. */
  private judgeBits(item: T): number {
    const memos = item.match === undefined ? null : answeredBy(item.match);
    if (memos === null) return 0;
    let bits = 0;
    for (const memo of memos) {
      let i = memo.judges ? this.judges.indexOf(memo) : -1;
      if (i < 0 && memo.judges && this.judges.length < MAX_JUDGES) i = this.judges.push(memo) - 1;
      if (i < 0) return 0;
      bits |= 1 << (JUDGE_SHIFT + i);
    }
    return bits;
  }

  // The fields of the last record and their lists: formats share one frozen empty object for lines without
  // fields (every syslog line), and fields are never mutated.
  private lastFields: LogRecord['fields'] | null = null;
  private lastLists: RuleLists<T> | null = null;

  lists(fields: LogRecord['fields']): RuleLists<T> {
    if (this.fresh) return this.listsFor(fields);
    if (fields === this.lastFields) return this.lastLists!;
    const lists = this.listsFor(fields);
    this.lastFields = fields;
    this.lastLists = lists;
    return lists;
  }

  private listsFor(fields: LogRecord['fields']): RuleLists<T> {
    let mask = this.present(fields);
    if (this.judged !== null) mask |= this.judged(fields, this.judges);
    // Consecutive records mostly share a mask (an access log's GET 200 whose URL and agent say nothing): no look-up.
    if (mask === this.lastMask) return this.lastMaskLists!;
    return this.listsOfMask(mask);
  }

  /**
   * The lists for a mask other than the last one, cached. Kept out of listsFor: V8 inlines a record's whole path
   * (select, lists, listsFor, the generated mask functions, the memos' look-ups) into one function within a budget of
   * bytecode, and this code, run on a few records in a hundred, spent that budget (`--max-inlined-bytecode-size-
   * cumulative` raised on the same code: ~1,100 instructions less per access line).
   */
  private listsOfMask(mask: number): RuleLists<T> {
    const at = recentAt(mask);
    if (this.recentMasks[at] === mask) {
      const recent = this.recentLists[at]!;
      this.lastMask = mask;
      this.lastMaskLists = recent;
      return recent;
    }
    const hit = this.byMask.get(mask);
    if (hit !== undefined) {
      this.recentMasks[at] = mask;
      this.recentLists[at] = hit;
      this.lastMask = mask;
      this.lastMaskLists = hit;
      return hit;
    }
    // Cache full: the lists without memo bits, when known, rather than building new ones (they only run more rules).
    const full = this.byMask.size >= MASK_CACHE_MAX ? this.byMask.get(mask & GATE_BITS) : undefined;
    if (full !== undefined) return full;
    const applies = this.items.filter((_t, i) =>
      (this.masks[i] === 0 || (this.masks[i]! & mask) !== 0) && (this.needs[i]! & mask) === this.needs[i] && !judgedOut(this.judgedBy[i]!, mask));
    const lists = {
      readsMessage: applies.some((t) => t.gate !== 0 || readsMessageText(t.rule)),
      byFirstChar: new FirstCharOrders(applies, this.scans),
      none: applies.length === 0,
    };
    if (this.byMask.size < MASK_CACHE_MAX) this.byMask.set(mask, lists);
    return lists;
  }
}

/** A mask's place among the recent ones: the top bits of a multiplicative hash (masks differ in low and high bits). */
function recentAt(mask: number): number {
  return Math.imul(mask, 0x9e3779b1) >>> (32 - RECENT_BITS);
}

/**
 * The rules of one program, by kind of record: its format (a format's rules leave out those whose `formats` do not
 * take it: the kernel rules on access records), whether its text is foreign (a request line, an audit record: no
 * rules for program text) and whether it has a level (no rules with `levels` without one). Formats are the
 * registry's names: a few kinds per program.
 */
class ByKind<T extends Gated> {
  private readonly split = new Map<string | null, (ProgramRules<T> | undefined)[]>();
  private all: ProgramRules<T> | null = null;
  // The kind of the last record and its rules (a source keeps one format).
  private lastFormat: string | null = null;
  private lastFlags = -1;
  private last: ProgramRules<T> | null = null;

  private items: readonly T[] | null = null;

  /** `pick`: the program's rules, worked out when a record of the program first comes (most programs never do). */
  constructor(private readonly pick: () => readonly T[], private readonly scans: ScanCache) {}

  /** `flags`: FOREIGN and LEVEL. */
  of(format: string | null, flags: number): ProgramRules<T> {
    if (format === this.lastFormat && flags === this.lastFlags) return this.last!;
    let byFlags = this.split.get(format);
    if (byFlags === undefined && this.split.size < KIND_CACHE_MAX) this.split.set(format, (byFlags = []));
    // Past the bound, every rule of the program (their matchers check formats and levels): correct, only slower.
    const items = (this.items ??= this.pick());
    const rules = byFlags === undefined ? (this.all ??= new ProgramRules(items, this.scans)) : (byFlags[flags] ??= new ProgramRules(items.filter((t) => takes(t.rule, format, flags)), this.scans, (flags & FOREIGN) !== 0));
    this.lastFormat = format;
    this.lastFlags = flags;
    this.last = rules;
    return rules;
  }
}

export function indexByProgram<T extends Gated>(items: readonly T[]): ProgramIndex<T> {
  const ruleOf = (t: T): CompiledRule => t.rule;
  const scans = new ScanCache();
  const forProgram = (program: string | null): ByKind<T> =>
    new ByKind(() => items.filter((t) => accepts(ruleOf(t), program)), scans);
  // Rules for programs no rule names: the generic ones only.
  const others = new ByKind(() => items.filter((t) => ruleOf(t).programs === null), scans);
  // Records without a program: the generic rules and those that list null.
  const generic = forProgram(null);
  const exact = new Map<string, ByKind<T>>();
  const prefixes = new Set<string>();
  for (const item of items) {
    for (const p of ruleOf(item).programs ?? []) {
      if (p === null) continue;
      if (p.endsWith('*')) prefixes.add(p.slice(0, -1));
      else if (!exact.has(p)) exact.set(p, forProgram(p));
    }
  }
  // A program no rule names exactly takes the generic rules and those whose prefixes (`postfix/*`) it starts with:
  // programs that start with the same prefixes share their rules. Keyed by those prefixes, not by the name, so that
  // a log of ever new program names (past PROGRAM_CACHE_MAX) does not filter every rule for each of its lines.
  const prefixList = [...prefixes];
  const byPrefixes = new Map<string, ByKind<T>>();
  const withPrefixes = (program: string): ByKind<T> => {
    const matched = prefixList.filter((pre) => program.startsWith(pre));
    if (matched.length === 0) return others;
    const key = matched.join('\n');
    let found = byPrefixes.get(key);
    if (found === undefined) byPrefixes.set(key, (found = forProgram(program)));
    return found;
  };
  // The named programs, then the others as they come (`CRON`, `postfix/smtpd`): one look-up per record.
  const known = new Map(exact);
  const limit = exact.size + PROGRAM_CACHE_MAX;
  const lookUp = (program: string): ByKind<T> => {
    const found = withPrefixes(program);
    // The key is copied: the program name may be a slice of a line.
    if (known.size < limit) known.set((' ' + program).slice(1), found);
    return found;
  };
  // The program of the last record and its rules: consecutive lines mostly share their program, and formats intern
  // program names, so the compare is mostly one of identity (a Map look-up hashes and compares the name). A name a
  // format did not intern is a slice: it keeps one piece of input alive until the program changes (bounded).
  let lastProgram: string | null = null;
  let lastRules = generic;
  return {
    select(r) {
      const program = r.program;
      let rules = lastRules;
      if (program !== lastProgram) {
        rules = program === null ? generic : (known.get(program) ?? lookUp(program));
        lastProgram = program;
        lastRules = rules;
      }
      return rules.of(r.format, (r.foreignText === true ? FOREIGN : 0) | (r.level === null ? 0 : LEVEL)).lists(r.fields);
    },
  };
}
