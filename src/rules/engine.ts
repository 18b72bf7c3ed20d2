// The rule engine: runs the compiled rules that can apply to a record (indexed by program and fields) and emits
// SecurityEvents. Policy: the first matching 'first' rule wins (a log line says one thing); 'additive' rules add
// what else the line says (web attacks); 'fallback' rules run only when nothing else matched; a record yields each
// event type at most once (times N for `message repeated N times`).
import type { EventType, LogRecord, SecurityEvent } from '../types.js';
import type { CompiledRule } from './compile.js';
import type { Groups } from './event.js';
import { createEventBuilder } from './event.js';
import type { Matcher } from './matcher.js';
import { NO_MATCH, createMatcher } from './matcher.js';
import { indexByProgram, literalGated } from './program-index.js';
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

interface EngineRule {
  readonly rule: CompiledRule;
  readonly match: Matcher;
  /** Which of the list's literal gates can rule it out: 0 none, 1 case-sensitive, 2 ignoring case. */
  readonly gate: 0 | 1 | 2;
}

function gateOf(rule: CompiledRule): 0 | 1 | 2 {
  if (!literalGated(rule)) return 0;
  return rule.regex?.ignoreCase === true ? 2 : 1;
}

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
  const items: EngineRule[] = opts.rules.map((rule) => ({ rule, match: createMatcher(rule, decode), gate: gateOf(rule) }));
  const index = indexByProgram(items, (item) => item.rule);
  const build = createEventBuilder();

  return (record, emit) => {
    const lists = index.select(record.program, record.fields);
    let message = record.message;
    let repeat = 1;
    const r = message.charCodeAt(0) === 0x6d /* m */ ? parseRepeated(message) : null;
    if (r !== null) {
      message = r.inner;
      repeat = r.count;
    }
    decodedNames.length = 0;
    decodedValues.length = 0;
    let seen: EventType[] | null = null;
    let firstTaken = false;
    // Whether the message holds any literal of the list. The case-sensitive gate is tested first, once: when it
    // fails, the lists without its rules are walked (most lines hold no literal). The other gate is tested once,
    // when a rule it guards comes up: it is slower, and a line an earlier rule took often never needs it.
    const hit = lists.literalGate === null || lists.literalGate.test(message);
    let hitIgnoringCase: boolean | undefined;
    const passes = (gate: 0 | 1 | 2): boolean =>
      gate !== 2 || (hitIgnoringCase ??= lists.literalGateIgnoringCase!.test(message));
    for (const { rule, match, gate } of hit ? lists.main : lists.mainWithoutLiteral) {
      if ((firstTaken && rule.mode === 'first') || (seen !== null && seen.includes(rule.type))) continue;
      if (!passes(gate)) continue;
      const groups = match(record, message);
      if (groups === NO_MATCH) continue;
      if (rule.mode === 'first') firstTaken = true;
      const event = build(record, rule, groups);
      if (seen !== null && seen.includes(event.type)) continue;
      (seen ??= []).push(rule.type, event.type);
      emitTimes(event, repeat * countOf(groups), emit);
    }
    if (seen !== null) return;
    for (const { rule, match, gate } of hit ? lists.fallback : lists.fallbackWithoutLiteral) {
      if (!passes(gate)) continue;
      const groups = match(record, message);
      if (groups === NO_MATCH) continue;
      emitTimes(build(record, rule, groups), repeat * countOf(groups), emit);
      return;
    }
  };
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
