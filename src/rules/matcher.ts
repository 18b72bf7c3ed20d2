// Turns a compiled rule into one small matching function, built once per engine, with only the checks the rule
// needs (a rule with a literal and a message pattern runs two lines of code, not a dozen empty checks).
import type { LogRecord } from '../types.js';
import type { CompiledRule, WhereCondition } from './compile.js';
import type { Groups } from './event.js';

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

const SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** A regex that finds any of the literals in any case (for rules with the `i` flag). */
export function anyLiteral(literals: readonly string[], flags: string): RegExp {
  return new RegExp(literals.map((l) => l.replace(SPECIAL, '\\$&')).join('|'), flags);
}

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

/** The part of the rule that reads text: the message or fields, decoded or not. */
function valueTest(rule: CompiledRule, decode: Decode, gate: Gate | null): Matcher {
  if (rule.regex === null && rule.literals.length === 0) return () => undefined;
  const test = textTest(rule);
  const { fields, decode: decoder } = rule;
  if (fields.length === 1 && fields[0] === 'message' && decoder === null) return (_r, message) => test(message);
  if (fields.length === 1 && fields[0] !== 'message') {
    // One field (web rules read `url` or `agent`): no loop.
    const name = fields[0]!;
    if (decoder === null) {
      return (record) => {
        const raw = fieldValue(record.fields, name);
        return raw === undefined ? NO_MATCH : test(raw);
      };
    }
    if (gate !== null) {
      return (record) => {
        const raw = fieldValue(record.fields, name);
        if (raw === undefined) return NO_MATCH;
        const value = decode(name, raw);
        return gate(value) ? test(value) : NO_MATCH;
      };
    }
    return (record) => {
      const raw = fieldValue(record.fields, name);
      return raw === undefined ? NO_MATCH : test(decode(name, raw));
    };
  }
  return (record, message) => {
    for (const name of fields) {
      const raw = name === 'message' ? message : fieldValue(record.fields, name);
      if (raw === undefined) continue;
      const m = test(decoder === null ? raw : decode(name, raw));
      if (m !== NO_MATCH) return m;
    }
    return NO_MATCH;
  };
}

/**
 * The rule's matching function: record conditions (format, level, where), then the text. `gate` is asked first
 * about the decoded value of a rule that reads one decoded field (the engine gives it to the rules of a field gate).
 */
export function createMatcher(rule: CompiledRule, decode: Decode, gate: Gate | null = null): Matcher {
  const value = valueTest(rule, decode, gate);
  const { formats, levels, where } = rule;
  if (formats === null && levels === null && where.length === 0) return value;
  return (record, message) => {
    if (formats !== null && !formats.has(record.format)) return NO_MATCH;
    if (levels !== null && (record.level === null || !levels.has(record.level))) return NO_MATCH;
    for (const w of where) if (!holds(w, record.fields)) return NO_MATCH;
    return value(record, message);
  };
}
