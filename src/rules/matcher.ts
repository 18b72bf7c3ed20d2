// Turns a compiled rule into one small matching function, built once per engine, with only the checks the rule
// needs (a rule with a literal and a message pattern runs two lines of code, not a dozen empty checks). Rules that
// read record fields answer repeated values from a per-field memo (value-memo.ts).
import type { LogRecord } from '../types.js';
import type { CompiledRule, WhereCondition } from './compile.js';
import type { Groups } from './event.js';
import { anyLiteral } from './any-literal.js';
import { UNSET, ValueMemo, keepable, type QuickNo, type RawLiterals } from './value-memo.js';

export const NO_MATCH = false;
/** The named groups of the match (undefined: matched, no groups), or NO_MATCH. */
export type Match = Groups | typeof NO_MATCH;
export type Matcher = (record: LogRecord, message: string) => Match;
/** Decodes a field value once per record (the engine's cache). */
export type Decode = (field: string, raw: string) => string;
/** A test every value the rule matches passes (src/rules/field-gate.ts), answered once per record by the engine. */
export type Gate = (value: string) => boolean;

export function fieldValue(fields: LogRecord['fields'], name: string): string | undefined {
  // A plain read: record fields are strings, and what a prototype holds (`constructor`) is never one. Cheaper than
  // hasOwnProperty on every rule of every record.
  const v = fields[name];
  return typeof v === 'string' ? v : undefined;
}

function holds(w: WhereCondition, fields: LogRecord['fields']): boolean {
  const v = fieldValue(fields, w.field);
  if (w.values === null) return (v !== undefined) === w.present;
  return v !== undefined && w.values.includes(v);
}

function containsAny(v: string, literals: readonly string[]): boolean {
  for (let i = 0; i < literals.length; i++) if (v.includes(literals[i]!)) return true;
  return false;
}

/** The value test on one text: the anchored prefix, the literal prefilter, then the pattern. */
function textTest(rule: CompiledRule): (v: string) => Match {
  const test = literalAndPattern(rule);
  const prefix = rule.prefix;
  if (prefix === '') return test;
  return (v) => (v.startsWith(prefix) ? test(v) : NO_MATCH);
}

export { anyLiteral, escapeLiteral } from './any-literal.js';

function literalAndPattern(rule: CompiledRule): (v: string) => Match {
  const { literals, regex } = rule;
  if (regex !== null && regex.ignoreCase && literals.length > 0) {
    const literal = anyLiteral(literals, 'i');
    return (v) => {
      if (!literal.test(v)) return NO_MATCH;
      const m = regex.exec(v);
      return m === null ? NO_MATCH : m.groups;
    };
  }
  if (regex === null) return (v) => (containsAny(v, literals) ? undefined : NO_MATCH);
  if (literals.length === 0) {
    return (v) => {
      const m = regex.exec(v);
      return m === null ? NO_MATCH : m.groups;
    };
  }
  if (literals.length === 1) {
    const literal = literals[0]!;
    return (v) => {
      if (!v.includes(literal)) return NO_MATCH;
      const m = regex.exec(v);
      return m === null ? NO_MATCH : m.groups;
    };
  }
  return (v) => {
    if (!containsAny(v, literals)) return NO_MATCH;
    const m = regex.exec(v);
    return m === null ? NO_MATCH : m.groups;
  };
}

/** The test of one field's value: decoded (once per record, by the engine's cache) and gated when the rule is. */
function fieldTest(name: string, test: (v: string) => Match, decoder: CompiledRule['decode'], decode: Decode, gate: Gate | null): (raw: string) => Match {
  if (decoder === null) return test;
  if (gate !== null) {
    return (raw) => {
      const value = decode(name, raw);
      return gate(value) ? test(value) : NO_MATCH;
    };
  }
  return (raw) => test(decode(name, raw));
}

// The value memos of each engine, by field: the engine gives all its matchers one decode function (its per-record
// cache), so that function stands for the engine, and the memos go when it does.
const memosOf = new WeakMap<Decode, Map<string, ValueMemo>>();

function memoOf(decode: Decode, name: string): ValueMemo {
  let memos = memosOf.get(decode);
  if (memos === undefined) memosOf.set(decode, (memos = new Map()));
  let memo = memos.get(name);
  if (memo === undefined) memos.set(name, (memo = new ValueMemo(name)));
  return memo;
}

/**
 * Whether a rule reading one field alone makes the field's memo pay: it decodes every value, or runs a regex over
 * it without a case-sensitive literal first. A field read only by rules with cheap literals (the referer: a new
 * value on most lines) is not kept; rules reading several fields use the memo of each field that is kept.
 */
function worthKeeping(rule: CompiledRule): boolean {
  const re = rule.regex;
  return rule.decode !== null || (re !== null && rule.prefix === '' && (rule.literals.length === 0 || re.ignoreCase));
}

type FieldAnswer = (fields: LogRecord['fields']) => Match;

/**
 * `test` on the field's value (NO_MATCH when the record has none), answered from the field's memo when the value
 * was seen: the answer depends on the value alone.
 */
function remembered(memo: ValueMemo, name: string, test: (raw: string) => Match, counted = false, quick: QuickNo | null = null, raw: RawLiterals | null = null): FieldAnswer {
  const slot = memo.slot(counted, quick, raw);
  return (fields) => {
    const answers = fields === memo.lastFields ? memo.lastAnswers : memo.answers(fields);
    if (answers === null) {
      const raw = fieldValue(fields, name);
      return raw === undefined ? NO_MATCH : test(raw);
    }
    while (answers.length <= slot) answers.push(UNSET); // a slot added after the value was kept
    const known = answers[slot]!;
    if (known !== UNSET) return known;
    const m = keepable(test(memo.value));
    answers[slot] = m;
    return m;
  };
}

/** The rule's literal prefilter as literalAndPattern runs it (the value holds one of its literals), or null. */
function literalCheck(rule: CompiledRule): ((v: string) => boolean) | null {
  const { literals, regex } = rule;
  if (literals.length === 0) return null;
  if (regex !== null && regex.ignoreCase) {
    const literal = anyLiteral(literals, 'i');
    return (v) => literal.test(v);
  }
  return (v) => containsAny(v, literals);
}

/**
 * What a rule reading one field checks before its pattern (fieldTest's gate, textTest's prefix, the literals), as
 * a QuickNo for its memo: true when one of them turns the value away (the rule then answers NO_MATCH), so that a
 * record whose value the memo does not know can still leave the rule out (an access log's new URLs). Null when the
 * rule checks nothing before its pattern. `gate` is the engine's, answered once per record: the rules that run
 * later on the record find its answer.
 */
function quickNo(rule: CompiledRule, memo: ValueMemo, gate: Gate | null): QuickNo | null {
  const { prefix, decode: decoder } = rule;
  // The memo decodes as the 'web' decoder does (value-memo.ts `decoded`): a decoder added later gets no proof here.
  if (decoder !== null && decoder !== 'web') return null;
  const holds = literalCheck(rule);
  const gated = decoder === null ? null : gate;
  if (gated === null && prefix === '' && holds === null) return null;
  return (raw) => {
    const v = decoder === null ? raw : memo.decoded(raw);
    return (gated !== null && !gated(v)) || (prefix !== '' && !v.startsWith(prefix)) || (holds !== null && !holds(v));
  };
}

/** The literals quickNo tests on the raw value (a rule that decodes tests them on the decoded one), or null. */
function rawLiterals(rule: CompiledRule): RawLiterals | null {
  const { literals, regex } = rule;
  if (rule.decode !== null || literals.length === 0) return null;
  return { literals, ignoreCase: regex !== null && regex.ignoreCase }; // as literalCheck tests them
}

// The matchers whose answer is their field memos' answers alone, with those memos (see `answeredBy`).
const memoAnswering = new WeakMap<Matcher, readonly ValueMemo[]>();

/**
 * The field memos, one per field the matcher reads, that answer for it, or null: when every one of them says
 * `memo.nothingMatches(record.fields)`, the matcher answers NO_MATCH for that record (program-index.ts then leaves
 * it out of the record's lists).
 */
export function answeredBy(match: Matcher): readonly ValueMemo[] | null {
  return memoAnswering.get(match) ?? null;
}

/** Whether the rule's matcher reads the message (valueTest below): a rule with neither pattern nor literal does not. */
export function readsMessageText(rule: CompiledRule): boolean {
  return (rule.regex !== null || rule.literals.length > 0) && rule.fields.includes('message');
}

/**
 * The part of the rule that reads text: the message or fields, decoded or not. `plain`: the rule has no other
 * condition, so a rule reading one field answers what its memo answers.
 */
function valueTest(rule: CompiledRule, decode: Decode, gate: Gate | null, plain: boolean): Matcher {
  if (rule.regex === null && rule.literals.length === 0) return () => undefined;
  const test = textTest(rule);
  const { fields, decode: decoder } = rule;
  if (fields.length === 1 && fields[0] === 'message' && decoder === null) return (_r, message) => test(message);
  if (fields.length === 1 && fields[0] !== 'message') {
    // One field (web rules read `url` or `agent`): no loop.
    const name = fields[0]!;
    const memo = memoOf(decode, name);
    if (worthKeeping(rule)) memo.active = true;
    const quick = plain ? quickNo(rule, memo, gate) : null;
    // A regex over every new value with nothing cheaper first (the scanner's, on the agent): misses are dear.
    if (plain && quick === null && worthKeeping(rule)) memo.deepen();
    const answer = remembered(memo, name, fieldTest(name, test, decoder, decode, gate), plain, quick, quick === null ? null : rawLiterals(rule));
    const match: Matcher = (record) => answer(record.fields);
    if (plain) memoAnswering.set(match, [memo]);
    return match;
  }
  // The message changes with every line: it is read as it is, the fields through their memos. A plain rule that
  // reads fields only answers NO_MATCH when each of them does: each field's memo counts its slot.
  const judged = plain && !fields.includes('message');
  const memos = fields.map((name) => (name === 'message' ? null : memoOf(decode, name)));
  const answers = fields.map((name, i) => {
    const memo = memos[i]!;
    if (memo === null) return null;
    const quick = judged ? quickNo(rule, memo, null) : null;
    return remembered(memo, name, fieldTest(name, test, decoder, decode, null), judged, quick, quick === null ? null : rawLiterals(rule));
  });
  const match: Matcher = (record, message) => {
    for (let i = 0; i < answers.length; i++) {
      const answer = answers[i]!;
      const m = answer !== null ? answer(record.fields) : test(decoder === null ? message : decode('message', message));
      if (m !== NO_MATCH) return m;
    }
    return NO_MATCH;
  };
  if (judged) memoAnswering.set(match, memos as ValueMemo[]);
  return match;
}

/**
 * The rule's matching function: record conditions (format, level, where), then the text. `gate` is asked first
 * about the decoded value of a rule that reads one decoded field (the engine gives it to the rules of a field gate).
 */
export function createMatcher(rule: CompiledRule, decode: Decode, gate: Gate | null = null): Matcher {
  const { formats, levels, where } = rule;
  const plain = formats === null && levels === null && where.length === 0;
  const value = valueTest(rule, decode, gate, plain);
  if (plain) return value;
  return (record, message) => {
    if (formats !== null && !formats.has(record.format)) return NO_MATCH;
    if (levels !== null && (record.level === null || !levels.has(record.level))) return NO_MATCH;
    for (const w of where) if (!holds(w, record.fields)) return NO_MATCH;
    return value(record, message);
  };
}
