// A bounded memo of rule answers per value of one record field: access logs repeat their URLs (static assets,
// health checks, API endpoints) and User-Agents, and a rule that reads one field answers the same for the same
// value, so a repeated value skips decoding and regexes. One memo per field per engine; each rule has a slot. A
// value that every rule reading the field alone answered NO_MATCH for lets a record skip those rules altogether
// (`nothingMatchesIn`, asked by program-index.ts through presence-mask.ts's judgeMask).
import type { LogRecord } from '../types.js';
import type { Match } from './matcher.js';
import { flatCopy } from '../formats/intern.js';
import { anyLiteral } from './any-literal.js';
import { decodeWeb } from './web/decode.js';

/**
 * A proof, cheaper than the rule, that a counted rule answers NO_MATCH for a raw value: true means it does (its
 * field gate or literal prefilter turns the value away, matcher.ts `quickNo`); false means not known.
 */
export type QuickNo = (raw: string) => boolean;

/**
 * The literals a counted rule's QuickNo looks for in the raw value (not decoded): when the value holds none of them
 * (in any case if `ignoreCase`), the QuickNo says NO_MATCH. A memo whose counted rules all have some tests all their
 * literals with one regex first (`anyHeld`): the referer's two header rules, on most access lines.
 */
export interface RawLiterals {
  readonly literals: readonly string[];
  readonly ignoreCase: boolean;
}

// Literals `anyHeld` may join: printable ASCII. Ignoring case, an ASCII letter then matches only ASCII letters (a
// non-ASCII character never folds to ASCII without the `u` flag), so the joined regex finds a value whenever one
// rule's own test (case-sensitive or not) would; and V8's alternations ignoring case can miss a match when they hold
// U+212A or U+017F (s9-s9msg.md), which ASCII leaves out.
const JOINABLE = /^[\x20-\x7e]+$/;

/** A slot not answered yet for this value (a Match is false, undefined or a groups object: never null). */
export const UNSET = null;
export type Answer = Match | typeof UNSET;
/** The answers of one value, by slot. */
export type Answers = Answer[];

/** Values kept (a power of two). On the nginx bench, 4,096 slots find 82% of URLs and all User-Agents. */
export const SLOTS = 4096;
// Longer values are not kept: they are rare (often attacks), and the memo's memory stays bounded by SLOTS x this.
export const MAX_VALUE_LENGTH = 256;
/**
 * Values kept besides, for a memo whose misses are dear (`deepen`): a value whose spot holds another value of the
 * same length, most often one of a family of User-Agents that differ only in version digits, which the fingerprint
 * does not read (on a generated real-looking log, 894 agents gave 36 fingerprints, one of them for 286 iPhone
 * agents), is looked up by its whole text in a Map (V8 hashes it natively: ~2,000 instructions, against a few
 * microseconds for the scanner's regex it spares). Replaced in turn, oldest first.
 */
export const DEEP = 512;
const NOTHING = 1;
const SOMETHING = 2;
/** What an empty spot holds: longer than any value kept, so no value asked about (a string) is ever equal to it. */
const NO_KEY = '\u0000'.repeat(MAX_VALUE_LENGTH + 1);

/**
 * Where a value is kept: a hash of its length and of 8 of its characters, the last 4 (where ids, page numbers and
 * file names differ) and 4 spread over the rest. Hashing all of a fresh slice, as a Map does, costs about as much as
 * the regexes the memo saves (Map.get measured 100-200 ns and ~2,000 instructions per look-up of an agent here), and
 * each character read costs ~45 instructions (a charCodeAt on a sliced string): 16 samples were ~1,300 instructions
 * per access line. A collision only evicts, or is turned away (see `answers`).
 */
export function spot(v: string): number {
  return fingerprint(v) & (SLOTS - 1);
}

/** Characters read at the end of a value (see `spot`), and how many more are read, spread over the rest. */
const TAIL = 4;
const SPREAD = 4;

/** The hash `spot` is taken from (32 bits): a value's fingerprint on its first sighting (see `answers`). */
export function fingerprint(v: string): number {
  const n = v.length;
  let h = Math.imul(n, 0x9e3779b1);
  const rest = n > TAIL ? n - TAIL : 0;
  for (let i = n - 1; i >= rest; i--) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  const step = ((rest / SPREAD) | 0) + 1;
  for (let i = rest - 1; i >= 0; i -= step) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) | 0;
}

/**
 * The memo of one field: a direct-mapped table, one value per spot, replaced by the next value that lands there
 * (bounded by design).
 */
export class ValueMemo {
  // Spots 0..SLOTS-1 are found by the fingerprint, SLOTS.. by `deep` (the spot of each value kept there). An empty
  // spot holds NO_KEY, a string, not null: V8 compiles `key !== v` for the strings it has always seen as a string
  // compare, where a null seen there once made it the generic compare (a type dispatch more on every look-up).
  private readonly keys: string[] = new Array<string>(SLOTS + DEEP).fill(NO_KEY);
  private readonly kept: (Answers | null)[] = new Array<Answers | null>(SLOTS + DEEP).fill(null);
  private deep: Map<string, number> | null = null;
  private deepNext = 0;
  /**
   * Per spot: the fingerprint of the last value seen there and not kept. A value is kept on its second sighting: most
   * values seen once (a query string, a page number) never come back, and keeping them cost a copy and an array each
   * and evicted a value that does come back.
   */
  private readonly sighted = new Int32Array(SLOTS);
  /**
   * Per spot: 1 when its value was found since another value last asked for the spot. A value seen twice replaces a
   * kept one only when that one was not found in between (a second chance): two values that share a fingerprint (User-
   * Agents that differ only where it does not read) then no longer replace each other on every record, each time
   * with a new copy and answers array and every rule run again; the one asked for more often stays.
   */
  private readonly used = new Uint8Array(SLOTS);
  /** Per spot: 0 not known yet, NOTHING (every counted slot answered NO_MATCH), SOMETHING (one matched). */
  private readonly verdicts = new Uint8Array(SLOTS + DEEP);
  /** The slots whose rules `nothingMatches` speaks for. */
  private readonly counted: number[] = [];
  /** Per counted slot (same order): its QuickNo, or null; whether none is null. */
  private readonly quick: (QuickNo | null)[] = [];
  private allQuick = true;
  /** Per counted slot (same order): its RawLiterals, or null; the regex finding any of them, when all have some. */
  private readonly raws: (RawLiterals | null)[] = [];
  private anyHeld: RegExp | null = null;
  /** Calls of `nothingMatches`, and the one whose value `decoded` holds: QuickNos of one call decode it once. */
  private asked = 0;
  private decodedAt = -1;
  private decodedValue = '';
  /** The spot of the value asked about last. */
  private lastAt = 0;
  // The fields object asked about last, its value and their answers: the other rules reading the field of the same
  // record find them by identity, without reading the field or hashing again (fields are never mutated: the
  // engine's program index relies on it too). Keeps one record alive at most.
  // Read directly by the matchers (a call per rule and record is most of what a hit costs).
  lastFields: LogRecord['fields'] | null = null;
  lastAnswers: Answers | null = null;
  /** The value of the field in the fields asked about last (when `answers` gave answers): its kept copy (same text). */
  value = '';
  /** How many rules have a slot. */
  private slots = 0;
  /** Whether the field is worth the look-up (a rule would otherwise decode it or run a regex over every value). */
  active = false;

  constructor(readonly name: string) {}

  /**
   * A new slot for a rule reading this field. `counted`: the rule has no other condition, and its answer is NO_MATCH
   * when its slot's answer is (it reads this field alone), or when every field it reads answers NO_MATCH (the header
   * rules read the agent and the referer): `nothingMatches` speaks for its slot. `quickNo`: a cheaper
   * test that can tell, for a value the memo does not know yet, that the rule answers NO_MATCH.
   */
  slot(counted = false, quickNo: QuickNo | null = null, raw: RawLiterals | null = null): number {
    if (counted) {
      this.counted.push(this.slots);
      this.quick.push(quickNo);
      this.raws.push(quickNo === null ? null : raw);
      this.allQuick = this.quick.every((q) => q !== null);
      this.anyHeld = joinedLiterals(this.raws);
      this.verdicts.fill(0); // a verdict made without this slot no longer holds
    }
    return this.slots++;
  }

  /**
   * Whether `nothingMatches` can ever say yes for a value: some rule is counted, and the memo is on or every counted
   * rule has a QuickNo (a field not worth keeping, the referer, is then judged by the QuickNos alone).
   */
  get judges(): boolean {
    return this.counted.length > 0 && (this.active || this.allQuick);
  }

  /**
   * Whether every counted rule answers NO_MATCH for the field's value in `fields`: then the record need not run them.
   * Known from their kept answers, or for a slot not answered yet from its QuickNo (the answer is then kept), or
   * for a value not kept (new, too long, absent) from the QuickNos alone. False when not known (the rules run and
   * fill their slots) or when one matched.
   */
  nothingMatches(fields: LogRecord['fields']): boolean {
    return this.nothingMatchesIn(fields, fields[this.name]);
  }

  /** `nothingMatches`, given the field's value in `fields` (program-index.ts reads it with a constant key). */
  nothingMatchesIn(fields: LogRecord['fields'], v: unknown): boolean {
    return this.active ? this.nothingKeptIn(fields, v) : this.nothingQuickIn(v);
  }

  /**
   * `nothingMatchesIn` of an active memo (program-index.ts asks the memos by kind, known when its lists are made: each
   * call then inlines only its own kind's path, V8 inlining a record's whole path within a budget of bytecode).
   */
  nothingKeptIn(fields: LogRecord['fields'], v: unknown): boolean {
    this.asked++;
    if (fields === this.lastFields) return this.nothingKnownIn(this.lastAnswers, v);
    const answers = this.answersOf(v);
    if (answers !== null && this.verdicts[this.lastAt] === NOTHING) {
      // No rule reading the field alone runs for this record: its fields need not be remembered (a record's fields
      // are a new object, and storing one into this long-lived memo took the write barrier's slow path, for the url
      // and the agent memo of every record). A rule of two fields that still runs (the other one matched) asks
      // `answers`, which finds the kept value again (a hit changes nothing).
      this.lastFields = null;
      return true;
    }
    this.lastFields = fields;
    return this.nothingKnownIn(answers, v);
  }

  /** `nothingKeptIn` from the answers of the value `v` (null: not kept). */
  private nothingKnownIn(answers: Answers | null, v: unknown): boolean {
    if (answers === null) return this.quickNothing(v);
    const verdict = this.verdicts[this.lastAt]!;
    if (verdict !== 0) return verdict === NOTHING;
    return this.judge(answers);
  }

  /**
   * `nothingMatchesIn` for a kept value without a verdict yet (kept out of it, as the misses below are out of
   * `answersOf`: V8 inlines the look-up of every record into its caller within a budget of bytecode).
   */
  private judge(answers: Answers): boolean {
    const at = this.lastAt;
    const counted = this.counted;
    for (let i = 0; i < counted.length; i++) {
      const s = counted[i]!;
      let a = s < answers.length ? answers[s]! : UNSET;
      if (a === UNSET) {
        const no = this.quick[i]!;
        if (no === null || !no(this.value)) return false; // not answered yet: ask again next time
        while (answers.length <= s) answers.push(UNSET);
        answers[s] = a = false; // NO_MATCH, proven
      }
      if (a !== false /* NO_MATCH */) {
        this.verdicts[at] = SOMETHING;
        return false;
      }
    }
    this.verdicts[at] = NOTHING;
    return true;
  }

  /**
   * The value a QuickNo is asked about, decoded as the engine decodes a field for the rules (decodeWeb), once per
   * `nothingMatches` call (only QuickNos call this, from there).
   */
  decoded(raw: string): string {
    if (this.decodedAt !== this.asked) {
      this.decodedValue = decodeWeb(raw);
      this.decodedAt = this.asked;
    }
    return this.decodedValue;
  }

  /** `nothingMatchesIn` of a memo that is not active (the referer's): its QuickNos alone. */
  nothingQuickIn(v: unknown): boolean {
    this.asked++;
    return this.quickNothing(v);
  }

  /**
   * For a value not kept: whether every counted rule answers NO_MATCH, by its QuickNo. A record without the field
   * (or with a value that is no string) meets NO_MATCH from every rule reading the field alone (matcher.ts).
   */
  private quickNothing(v: unknown): boolean {
    if (typeof v !== 'string') return true;
    if (!this.allQuick) return false; // a rule without one runs anyway: the others' tests would be wasted
    if (this.anyHeld !== null && !this.anyHeld.test(v)) return true; // no literal of any rule: every QuickNo says no
    const quick = this.quick;
    for (let i = 0; i < quick.length; i++) {
      const no = quick[i]!;
      if (no === null || !no(v)) return false;
    }
    return true;
  }

  /**
   * The answers kept for the field's value in `fields` (then in `value`), created empty on the value's second
   * sighting; null when the memo is off, the field absent, its value too long to keep or not seen before (the rules
   * then answer without the memo).
   */
  answers(fields: LogRecord['fields']): Answers | null {
    if (!this.active) return null;
    if (fields === this.lastFields) return this.lastAnswers;
    const answers = this.answersOf(fields[this.name]);
    this.lastFields = fields;
    return answers;
  }

  /** `answers` of an active memo, given the field's value (the caller sets `lastFields`). */
  private answersOf(v: unknown): Answers | null {
    if (typeof v !== 'string' || v.length > MAX_VALUE_LENGTH) return (this.lastAnswers = null);
    const print = fingerprint(v);
    const at = print & (SLOTS - 1);
    const key = this.keys[at];
    if (key !== v) return this.missed(v, print, at);
    this.used[at] = 1;
    this.lastAt = at;
    // The kept copy: the same text, and an old object, where storing the value (a new slice) into this long-lived
    // memo takes the write barrier's slow path on every record.
    this.value = key;
    return (this.lastAnswers = this.kept[at]!);
  }

  /** `answersOf` for a value that its spot does not hold (most repeated values are found: this is kept out). */
  private missed(v: string, print: number, at: number): Answers | null {
    const key = this.keys[at];
    if (this.deep !== null && key.length === v.length) return this.deepAnswers(v); // never NO_KEY's length
    if (this.sighted[at] !== print || this.used[at] === 1) {
      this.sighted[at] = print; // first sighting (or a fingerprint collision): not kept yet
      this.used[at] = 0; // the kept value's second chance is taken
      return (this.lastAnswers = null);
    }
    const found = new Array<Answer>(this.slots).fill(UNSET);
    // The key is a copy (a kept slice of a line keeps the whole line alive), and a flat one (intern.ts): V8 compares
    // two slices (`key !== v` on every look-up, against the record's value, a slice) in its runtime, unwrapping both,
    // and `(' ' + v).slice(1)` is itself a slice: a flat key costs ~85 instructions less per compare (two an access
    // line). Only a value's second sighting pays for the copy.
    const copy = flatCopy(v);
    this.keys[at] = copy;
    this.kept[at] = found;
    this.verdicts[at] = 0;
    this.lastAt = at;
    this.value = copy;
    return (this.lastAnswers = found);
  }

  /** Misses are dear here (a rule reading the field alone runs a regex with nothing cheaper first): keep more. */
  deepen(): void {
    this.deep ??= new Map();
  }

  /** The answers of a value kept in `deep` (see DEEP), kept there now if it was not. */
  private deepAnswers(v: string): Answers {
    let at = this.deep!.get(v);
    if (at === undefined) {
      at = SLOTS + this.deepNext;
      this.deepNext = (this.deepNext + 1) % DEEP;
      const old = this.keys[at];
      if (old !== NO_KEY) this.deep!.delete(old);
      const key = flatCopy(v); // flat: see above
      this.keys[at] = key;
      this.kept[at] = new Array<Answer>(this.slots).fill(UNSET);
      this.verdicts[at] = 0;
      this.deep!.set(key, at);
    }
    this.lastAt = at;
    this.value = this.keys[at]!;
    return (this.lastAnswers = this.kept[at]!);
  }

  /** Number of values held (for tests: never more than SLOTS + DEEP). */
  get size(): number {
    let n = 0;
    for (const k of this.keys) if (k !== NO_KEY) n++;
    return n;
  }
}

/**
 * One regex finding any literal of the counted rules (see RawLiterals), ignoring case if one of them does, or null
 * when a counted rule has none or a literal is not JOINABLE.
 */
function joinedLiterals(raws: readonly (RawLiterals | null)[]): RegExp | null {
  const all: string[] = [];
  let ignoreCase = false;
  for (const raw of raws) {
    if (raw === null || raw.literals.length === 0 || !raw.literals.every((l) => JOINABLE.test(l))) return null;
    all.push(...raw.literals);
    ignoreCase ||= raw.ignoreCase;
  }
  return all.length === 0 ? null : anyLiteral(all, ignoreCase ? 'i' : '');
}

/**
 * A kept answer must not keep the line alive either: groups (rare: a rule with named groups matched) are copied.
 * The event builder only reads them.
 */
export function keepable(m: Match): Match {
  if (m === false || m === undefined) return m;
  const out = Object.create(null) as Record<string, string | undefined>;
  for (const k of Object.keys(m)) {
    const v = m[k];
    out[k] = v === undefined || v.length === 0 ? v : (' ' + v).slice(1);
  }
  return out;
}
