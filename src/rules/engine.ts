// The rule engine: runs the compiled rules that can apply to a record (indexed by program and fields) and emits
// SecurityEvents. Policy: the first matching 'first' rule wins (a log line says one thing); 'additive' rules add
// what else the line says (web attacks); 'fallback' rules run only when nothing else matched; a record yields each
// event type at most once (times N for `message repeated N times`).
import type { LogRecord, SecurityEvent } from '../types.js';
import { EVENT_TYPES } from '../types.js';
import type { CompiledRule } from './compile.js';
import type { Groups } from './event.js';
import { createEventBuilder } from './event.js';
import { fieldGates } from './field-gate.js';
import type { Gate, Matcher } from './matcher.js';
import { NO_MATCH, createMatcher } from './matcher.js';
import type { Gated, MainOrder, RuleLists } from './program-index.js';
import { gateOf, indexByProgram, scanned } from './program-index.js';
import { parseRepeated } from './repeated.js';
import { decodeWeb } from './web/decode.js';

export interface Engine {
  (record: LogRecord, emit: (e: SecurityEvent) => void): void;
}

/**
 * `message repeated N times` and a `count` group multiply an event, up to this many copies: a forged
 * `repeated 999999999 times` must not flood the pipeline. Counts past the cap are lost.
 */
export const MAX_REPEAT = 100;

interface EngineRule extends Gated {
  readonly match: Matcher;
  readonly first: boolean;
  /** Its literal is found by the list's scan (program-index.ts `scanned`). */
  readonly scanned: boolean;
  /** The rule's event type as a slot of the per-record `seen` stamps. */
  readonly typeSlot: number;
}

/** Event type -> slot, for every type (a built event can change type: auth.success as root is auth.root_login). */
const TYPE_SLOTS: ReadonlyMap<string, number> = new Map(Object.keys(EVENT_TYPES).map((t, i) => [t, i]));
const NONE = 0x7fffffff;

/** Not re-entrant: the per-record state below is shared, so `emit` must not run the same engine again. */
export function createEngine(opts: { rules: readonly CompiledRule[] }): Engine {
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
    // A rule with gate 1 or 3 runs only when the scan found its literal or its prefix holds one: no need to look
    // again.
    const match = createMatcher(gate === 1 || gate === 3 ? { ...rule, literals: [] } : rule, decode, fieldGate);
    const typeSlot = TYPE_SLOTS.get(rule.type)!;
    const first = rule.mode === 'first';
    const isScanned = scanned({ rule, slot, gate });
    return { rule, slot, gate, match, first, scanned: isScanned, typeSlot };
  });
  const index = indexByProgram(items);
  const build = createEventBuilder();
  // Per-record marks without clearing: a slot holds the number of the record that marked it. `marked`: the rules
  // whose literal the message holds (valid once `scannedNo` is the record's number); `seen`: the event types
  // yielded.
  const marked = new Int32Array(items.length);
  const seen = new Int32Array(TYPE_SLOTS.size);
  let no = 0;
  let scannedNo = 0;
  // The current record (set once per record: the passes below read them instead of taking six arguments).
  let lists: RuleLists<EngineRule>;
  let order: MainOrder;
  let record: LogRecord;
  let message = '';
  let repeat = 1;
  let hitIgnoringCase = 0; // 0 not tested yet, 1 hit, 2 miss

  return (rec, emit) => {
    if (++no === NONE) {
      marked.fill(0);
      seen.fill(0);
      scannedNo = 0;
      for (const at of gateStamp) at[0] = 0;
      no = 1;
    }
    record = rec;
    lists = index.select(rec.program, rec.fields);
    message = rec.message;
    repeat = 1;
    const r = message.charCodeAt(0) === 0x6d /* m */ ? parseRepeated(message) : null;
    if (r !== null) {
      message = r.inner;
      repeat = r.count;
    }
    if (decodedNames.length !== 0) {
      decodedNames.length = 0;
      decodedValues.length = 0;
    }
    const c = message.charCodeAt(0);
    order = lists.byFirstChar[c < 128 ? c : 128]!;
    hitIgnoringCase = lists.gateIgnoringCase === null ? 1 : 0;
    if (!mainPass(emit) && lists.fallback.length > 0) fallbackPass(emit);
  };

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
      if (item.scanned ? !holdsLiteral(item.slot) : item.gate === 2 && !passesIgnoringCase()) continue;
      const groups = item.match(record, message);
      if (groups === NO_MATCH) continue;
      if (item.first) firstTaken = true;
      const event = build(record, item.rule, groups);
      const eventSlot = TYPE_SLOTS.get(event.type)!;
      if (seen[eventSlot] === no) continue;
      seen[item.typeSlot] = no;
      seen[eventSlot] = no;
      any = true;
      emitTimes(event, repeat * countOf(groups), emit);
    }
    return any;
  }

  /** When no main rule matched: the first fallback rule that matches. */
  function fallbackPass(emit: (e: SecurityEvent) => void): void {
    const rules = lists.fallback;
    for (let i = 0; i < rules.length; i++) {
      const item = rules[i]!;
      if (item.scanned ? !holdsLiteral(item.slot) : item.gate === 2 && !passesIgnoringCase()) continue;
      const groups = item.match(record, message);
      if (groups === NO_MATCH) continue;
      emitTimes(build(record, item.rule, groups), repeat * countOf(groups), emit);
      return;
    }
  }

  /** Whether the message holds the rule's literal: the list's scan, run once per record when first needed. */
  function holdsLiteral(slot: number): boolean {
    if (scannedNo !== no) {
      scannedNo = no;
      order.scan!.mark(message, marked, no);
    }
    return marked[slot] === no;
  }

  /** The gate ignoring case, tested once per record and only when a rule it guards comes up (it is slower). */
  function passesIgnoringCase(): boolean {
    if (hitIgnoringCase === 0) hitIgnoringCase = lists.gateIgnoringCase!.test(message) ? 1 : 2;
    return hitIgnoringCase === 1;
  }
}

/** The `count` group (dovecot's `3 attempts`), at least 1. */
function countOf(groups: Groups): number {
  const c = groups?.count;
  if (c === undefined) return 1;
  const n = Number(c);
  return Number.isInteger(n) && n > 1 ? n : 1;
}

function emitTimes(event: SecurityEvent, times: number, emit: (e: SecurityEvent) => void): void {
  emit(event);
  const n = Math.min(Math.max(times, 1), MAX_REPEAT);
  for (let i = 1; i < n; i++) emit({ ...event, source: { ...event.source } });
}
