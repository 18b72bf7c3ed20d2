// The rule engine: runs the compiled rules that can apply to a record (indexed by program and fields) and emits
// SecurityEvents. Policy: the first matching 'first' rule wins (a log line says one thing); 'additive' rules add
// what else the line says (web attacks); 'fallback' rules run only when nothing else matched; a record yields each
// event type at most once (times N for `message repeated N times`). A message seen before with the same rules is
// answered from a memo of outcomes (outcome-memo.ts).
import { copyString } from '../formats/intern.js';
import type { LogRecord, SecurityEvent } from '../types.js';
import { EVENT_TYPES } from '../types.js';
import { capturesOf, type Captures } from './captures.js';
import { countOf, emitTimes } from './engine-emit.js';
import type { CompiledRule } from './compile.js';
import type { EventTemplate } from './event.js';
import { createEventKit, templateOf } from './event.js';
import { fieldGates } from './field-gate.js';
import { OTHER, firstCharsOf } from './first-chars.js';
import { scanned, type MainOrder } from './main-order.js';
import type { Gate, Matcher } from './matcher.js';
import { NO_MATCH, createMatcher } from './matcher.js';
import { MAX_KEY, OutcomeMemo, type Outcome } from './outcome-memo.js';
import type { Gated, RuleLists } from './program-index.js';
import { gateOf, indexByProgram } from './program-index.js';
import { parseRepeated } from './repeated.js';
import { decodeWeb } from './web/decode.js';

export interface Engine {
  (record: LogRecord, emit: (e: SecurityEvent) => void): void;
}

export { MAX_REPEAT } from './engine-emit.js';

/** `a`, then `b`, on each record: the rules, then the Sigma rules (rules/compose.ts, and a worker thread alike). */
export function combineEngines(a: Engine, b: Engine): Engine {
  return (record, emit) => {
    a(record, emit);
    b(record, emit);
  };
}

interface EngineRule extends Gated {
  readonly match: Matcher;
  readonly first: boolean;
  /** Its literal is found by the order's scan (main-order.ts `scanned`). */
  readonly scanned: boolean;
  /** The rule's event type as a slot of the per-record `seen` stamps. */
  readonly typeSlot: number;
  /** It takes only records with a level (its matcher says no to the others): the level fallbacks. */
  readonly needsLevel: boolean;
  /** Its pattern with numbered groups, when the pattern is all its matcher would check (see tryRule). */
  readonly captures: Captures | null;
  /** With `captures`: the first characters its pattern can match (first-chars.ts), or null for any (Gated). */
  readonly firstChars: Uint8Array | null;
  /** Gate 3 and scanned: its prefix is checked before the scan (a `Disconnected` line is no `Disconnecting`). */
  readonly prefixFirst: boolean;
}

/** Event type -> slot, for every type (a built event can change type: auth.success as root is auth.root_login). */
const TYPE_SLOTS: ReadonlyMap<string, number> = new Map(Object.keys(EVENT_TYPES).map((t, i) => [t, i]));
const NONE = 0x7fffffff;
const NOTHING: Outcome = { templates: [], times: [] };

/**
 * Not re-entrant: the per-record state below is shared, so `emit` must not run the same engine again. `internValues`
 * (default true): events' addresses and accounts come interned (event.ts); false for a worker thread's engine, whose
 * events are packed and cloned for the main thread: there an interner would only hold memory.
 */
export function createEngine(opts: { rules: readonly CompiledRule[]; internValues?: boolean }): Engine {
  // Decoded field values of the current record, so that several rules decoding the same field decode it once.
  const decodedNames: string[] = [];
  const decodedValues: string[] = [];
  const decode = (name: string, raw: string): string => {
    const i = decodedNames.indexOf(name);
    if (i >= 0) return decodedValues[i]!;
    const d = decodeWeb(raw);
    decodedNames.push(name);
    decodedValues.push(d);
    return d;
  };
  // A field gate's answer is the same for every rule it guards (one decoded value per record): kept per record.
  const gateStamp: Int32Array[] = [];
  const gateOfRegex = new Map<RegExp, Gate>();
  const answer = (gate: RegExp): Gate => {
    const at = new Int32Array(2); // [record number answered, 1 if the value passed]
    gateStamp.push(at);
    return (value) => {
      if (at[0] !== no) {
        at[0] = no;
        at[1] = gate.test(value) ? 1 : 0;
      }
      return at[1] === 1;
    };
  };
  const gates = fieldGates(opts.rules);
  const items: EngineRule[] = opts.rules.map((rule, slot) => {
    const gate = gateOf(rule);
    const regexGate = gates.get(rule);
    let fieldGate: Gate | null = null;
    if (regexGate !== undefined) {
      fieldGate = gateOfRegex.get(regexGate) ?? answer(regexGate);
      gateOfRegex.set(regexGate, fieldGate);
    }
    // A rule with a gate runs only when a scan found its literal (ignoring case for gate 2) or its prefix holds one:
    // no need to look again.
    const match = createMatcher(gate !== 0 ? { ...rule, literals: [] } : rule, decode, fieldGate);
    const typeSlot = TYPE_SLOTS.get(rule.type)!;
    const first = rule.mode === 'first';
    const isScanned = scanned({ rule, slot, gate });
    // Gate 2 rules still test their literals ignoring case in their matcher: they keep it.
    const captures = gate === 2 ? null : capturesOf(rule);
    const firstChars = captures === null ? null : firstCharsOf(captures.regex);
    const prefixFirst = gate === 3 && isScanned;
    return { rule, slot, gate, match, first, scanned: isScanned, typeSlot, needsLevel: rule.levels !== null, captures, firstChars, prefixFirst };
  });
  const index = indexByProgram(items);
  const { build, fromMatch, replay } = createEventKit({ internValues: opts.internValues ?? true });
  const memo = new OutcomeMemo();
  // Per-record marks without clearing: a slot holds the number of the record that marked it. `marked`: the rules
  // whose literal the message holds (valid once `scannedNo`, or `scannedIgnoringCaseNo` for gate 2 rules, is the
  // record's number); `seen`: the event types yielded.
  const marked = new Int32Array(items.length);
  const seen = new Int32Array(TYPE_SLOTS.size);
  let no = 0;
  let scannedNo = 0;
  let scannedIgnoringCaseNo = 0;
  // The current record (set once per record: the passes below read them instead of taking six arguments).
  let lists: RuleLists<EngineRule>;
  let order: MainOrder;
  let record: LogRecord;
  let message = '';
  let repeat = 1;
  let count = 1; // see tryRule
  // The events of the current record, kept for the memo (`remembering`).
  let remembering = false;
  const templates: EventTemplate[] = [];
  const timesOf: number[] = [];
  let held = 0; // how many of templates/timesOf belong to the current record
  // The previous record's fields: records that share one fields object (syslog lines) can share memo entries; a
  // format that makes a new object per line (access logs, JSON) never would, and skips the memo.
  let lastFields: LogRecord['fields'] | null = null;

  return (rec, emit) => {
    if (++no === NONE) {
      marked.fill(0);
      seen.fill(0);
      scannedNo = 0;
      scannedIgnoringCaseNo = 0;
      for (const at of gateStamp) at[0] = 0;
      no = 1;
    }
    record = rec;
    lists = index.select(rec);
    if (lists.none) {
      // No rule can match (an access record whose URL and headers the field memos cleared): no event, nothing to
      // remember (an outcome memo entry would only say so again).
      lastFields = rec.fields;
      return;
    }
    // The first character is read once (~50 instructions on a sliced message); NaN when not read (or empty).
    const asks = rec.fields === lastFields && rec.message.length <= MAX_KEY;
    const first = asks ? rec.message.charCodeAt(0) : NaN;
    remembering = asks && memo.worth(lists, first, rec.message.length);
    lastFields = rec.fields;
    if (remembering) {
      const known = memo.get(rec, lists);
      if (known !== null) return replayAll(known, emit);
      remembering = memo.admits;
      held = 0;
    }
    runRules(emit, first);
    if (remembering) remember();
  };

  /** The rules on the current record; `first`: its message's first character, if read yet (else NaN). */
  function runRules(emit: (e: SecurityEvent) => void, first: number): void {
    message = record.message;
    if (decodedNames.length !== 0) {
      decodedNames.length = 0;
      decodedValues.length = 0;
    }
    if (lists.readsMessage) {
      repeat = 1;
      let c = first === first ? first : message.charCodeAt(0); // NaN twice for an empty message: OTHER
      const r = c === 0x6d /* m */ ? parseRepeated(message) : null;
      if (r !== null) {
        message = r.inner;
        repeat = r.count;
        c = message.charCodeAt(0);
      }
      order = lists.byFirstChar.at(c < OTHER ? c : OTHER);
    } else {
      // No rule reads the message (an access record's field rules): it is not read, not even its first character
      // (that read would flatten a concatenated message); every entry of byFirstChar is the same. `repeat` is
      // worked out if an event comes (`repeatOf`).
      repeat = -1;
      order = lists.byFirstChar.at(OTHER);
    }
    if (!mainPass(emit) && order.fallback.length > 0) fallbackPass(emit);
  }

  /** The events of a repeated message, as the rules made them the first time, for this record. */
  function replayAll(known: Outcome, emit: (e: SecurityEvent) => void): void {
    for (let i = 0; i < known.templates.length; i++) emitTimes(replay(record, known.templates[i]!), known.times[i]!, emit);
  }

  /** Keeps what the rules made of the current record in the memo (its events' templates, or none). */
  function remember(): void {
    // The key is a copy of the message: the events' message is one already.
    const key = held === 0 ? copyString(record.message) : templates[0]!.message;
    memo.keep(key, record, lists, held === 0 ? NOTHING : { templates: templates.slice(0, held), times: timesOf.slice(0, held) });
  }

  /** Emits the event `times` times and keeps its template when the record's outcome is to be remembered. */
  function deliver(event: SecurityEvent, times: number, emit: (e: SecurityEvent) => void): void {
    if (remembering) {
      templates[held] = templateOf(event);
      timesOf[held++] = times;
    }
    emitTimes(event, times, emit);
  }

  /**
   * The main rules the message's first character allows, in order. The first 'first' rule wins, additive ones add,
   * each event type once; the marks are made only when a rule that needs them comes up. Whether an event was
   * emitted.
   */
  function mainPass(emit: (e: SecurityEvent) => void): boolean {
    const slots = order.slots;
    let firstTaken = false;
    let any = false;
    for (let k = 0; k < slots.length; k++) {
      if (firstTaken && k >= order.additiveEnd) break;
      const item = items[slots[k]!]!;
      if ((firstTaken && item.first) || seen[item.typeSlot] === no) continue;
      if (item.scanned ? !holdsLiteral(item) : item.gate === 2 && !holdsLiteralIgnoringCase(item)) continue;
      const event = tryRule(item);
      if (event === null) continue;
      if (item.first) firstTaken = true;
      const eventSlot = event.type === item.rule.type ? item.typeSlot : TYPE_SLOTS.get(event.type)!;
      if (seen[eventSlot] === no) continue;
      seen[item.typeSlot] = no;
      seen[eventSlot] = no;
      any = true;
      deliver(event, repeatOf() * count, emit);
    }
    return any;
  }

  /** When no main rule matched: the first fallback rule that matches. */
  function fallbackPass(emit: (e: SecurityEvent) => void): void {
    const slots = order.fallback;
    for (let i = 0; i < slots.length; i++) {
      const item = items[slots[i]!]!;
      if (item.needsLevel && record.level === null) continue;
      if (item.scanned ? !holdsLiteral(item) : item.gate === 2 && !holdsLiteralIgnoringCase(item)) continue;
      const event = tryRule(item);
      if (event === null) continue;
      deliver(event, repeatOf() * count, emit);
      return;
    }
  }

  /**
   * The rule's event for the current record, or null when it does not match; `count` is then the match's `count`
   * group (dovecot's `3 attempts`), at least 1. A rule with a numbered twin (captures.ts) runs it directly: its
   * literal, if any, was found by a scan, so what is left is the pattern: a prefix is `^prefix` with no top-level `|`
   * (compile.ts `requiredPrefix`), which the anchored pattern checks at the start as soon as startsWith would.
   */
  function tryRule(item: EngineRule): SecurityEvent | null {
    const c = item.captures;
    if (c === null) {
      const groups = item.match(record, message);
      if (groups === NO_MATCH) return null;
      count = countOf(groups?.count);
      return build(record, item.rule, groups);
    }
    const m = c.regex.exec(message);
    if (m === null) return null;
    count = c.count === 0 ? 1 : countOf(m[c.count]);
    return fromMatch(record, item.rule, m, c);
  }

  /** `message repeated N times` -> N, else 1: worked out on the first event when no rule read the message. */
  function repeatOf(): number {
    if (repeat < 0) repeat = parseRepeated(record.message)?.count ?? 1;
    return repeat;
  }

  /**
   * Whether the message holds the rule's literal: the order's scan, run once per record when first needed (a gate 3
   * rule's prefix is checked first: a `Disconnected` line is no `Disconnecting` one, no scan). Once the scan has run,
   * the marks answer alone: the rule's pattern or matcher checks its prefix anyway.
   */
  function holdsLiteral(item: EngineRule): boolean {
    if (scannedNo !== no) {
      if (item.prefixFirst && !message.startsWith(item.rule.prefix)) return false;
      scannedNo = no;
      order.scan!.mark(message, marked, no);
    }
    return marked[item.slot] === no;
  }

  /**
   * Whether the message holds a literal of the gate 2 rule in any case: the order's scan ignoring case, run once per
   * record when such a rule first comes up (it is slower); it is also these rules' literal test.
   */
  function holdsLiteralIgnoringCase(item: EngineRule): boolean {
    if (scannedIgnoringCaseNo !== no) {
      scannedIgnoringCaseNo = no;
      order.scanIgnoringCase!.mark(message, marked, no);
    }
    return marked[item.slot] === no;
  }
}
