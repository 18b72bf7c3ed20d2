// A bounded memo of rule answers per value of one record field: access logs repeat their URLs (static assets,
// health checks, API endpoints) and User-Agents, and a rule that reads one field answers the same for the same
// value, so a repeated value skips decoding and regexes. One memo per field per engine; each rule has a slot. A
// value that every rule reading the field alone answered NO_MATCH for lets a record skip those rules altogether
// (`nothingMatches`, used by program-index.ts).
import type { LogRecord } from '../types.js';
import type { Match } from './matcher.js';

/** A slot not answered yet for this value (a Match is false, undefined or a groups object: never null). */
export const UNSET = null;
export type Answer = Match | typeof UNSET;
/** The answers of one value, by slot. */
export type Answers = Answer[];

/** Values kept (a power of two). On the nginx bench, 4,096 slots find 82% of URLs and all User-Agents. */
export const SLOTS = 4096;
// Longer values are not kept: they are rare (often attacks), and the memo's memory stays bounded by SLOTS x this.
export const MAX_VALUE_LENGTH = 256;
const NOTHING = 1;
const SOMETHING = 2;

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
  private readonly keys: (string | null)[] = new Array<string | null>(SLOTS).fill(null);
  private readonly kept: (Answers | null)[] = new Array<Answers | null>(SLOTS).fill(null);
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
  private readonly verdicts = new Uint8Array(SLOTS);
  /** The slots whose rules `nothingMatches` speaks for. */
  private readonly counted: number[] = [];
  /** The spot of the value asked about last. */
  private lastAt = 0;
  // The fields object asked about last, its value and their answers: the other rules reading the field of the same
  // record find them by identity, without reading the field or hashing again (fields are never mutated: the
  // engine's program index relies on it too). Keeps one record alive at most.
  // Read directly by the matchers (a call per rule and record is most of what a hit costs).
  lastFields: LogRecord['fields'] | null = null;
  lastAnswers: Answers | null = null;
  /** The value of the field in the fields asked about last (when `answers` gave answers). */
  value = '';
  /** How many rules have a slot. */
  private slots = 0;
  /** Whether the field is worth the look-up (a rule would otherwise decode it or run a regex over every value). */
  active = false;

  constructor(private readonly name: string) {}

  /**
   * A new slot for a rule reading this field. `counted`: the rule's answer is its slot's answer and nothing else (it
   * reads this field alone and has no other condition), so `nothingMatches` speaks for it.
   */
  slot(counted = false): number {
    if (counted) {
      this.counted.push(this.slots);
      this.verdicts.fill(0); // a verdict made without this slot no longer holds
    }
    return this.slots++;
  }

  /** Whether `nothingMatches` can ever say yes: the memo is on and some rule is counted. */
  get judges(): boolean {
    return this.active && this.counted.length > 0;
  }

  /**
   * Whether every counted rule already answered NO_MATCH for the field's value in `fields`: then each of them would
   * answer NO_MATCH again (its answer is kept here) and the record need not run them. False when not known yet (a
   * new value: the rules run and fill their slots), when one matched, or when the value is not kept.
   */
  nothingMatches(fields: LogRecord['fields']): boolean {
    const answers = this.answers(fields);
    if (answers === null) return false;
    const at = this.lastAt;
    const verdict = this.verdicts[at]!;
    if (verdict !== 0) return verdict === NOTHING;
    const counted = this.counted;
    for (let i = 0; i < counted.length; i++) {
      const s = counted[i]!;
      const a = s < answers.length ? answers[s]! : UNSET;
      if (a === UNSET) return false; // not answered yet: ask again next time
      if (a !== false /* NO_MATCH */) {
        this.verdicts[at] = SOMETHING;
        return false;
      }
    }
    this.verdicts[at] = NOTHING;
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
    this.lastFields = fields;
    const v = fields[this.name];
    if (typeof v !== 'string' || v.length > MAX_VALUE_LENGTH) return (this.lastAnswers = null);
    const print = fingerprint(v);
    const at = print & (SLOTS - 1);
    let found: Answers;
    if (this.keys[at] === v) {
      found = this.kept[at]!;
      this.used[at] = 1;
    } else {
      if (this.sighted[at] !== print || this.used[at] === 1) {
        this.sighted[at] = print; // first sighting (or a fingerprint collision): not kept yet
        this.used[at] = 0; // the kept value's second chance is taken
        return (this.lastAnswers = null);
      }
      found = new Array<Answer>(this.slots).fill(UNSET);
      // The key is copied: the value is a slice of a line, and a kept slice keeps the whole line alive.
      this.keys[at] = v.length === 0 ? '' : (' ' + v).slice(1);
      this.kept[at] = found;
      this.verdicts[at] = 0;
    }
    this.lastAt = at;
    this.value = v;
    return (this.lastAnswers = found);
  }

  /** Number of values held (for tests: never more than SLOTS). */
  get size(): number {
    let n = 0;
    for (const k of this.keys) if (k !== null) n++;
    return n;
  }
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
