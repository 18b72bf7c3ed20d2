// One Sigma rule (the parsed YAML document) -> a SigmaRule: metadata, the logsource gate, and one matching closure
// built from its selections and condition. Throws SigmaUnsupported with the reason when the rule cannot be run.
import type { Severity } from '../types.js';
import { compileCondition, namesOf, parseCondition, type Condition } from './condition.js';
import type { FieldView } from './fields.js';
import { gateOf, type Gate } from './logsource.js';
import { SigmaUnsupported, compileItem, type Compiled, type RegexUse, type SigmaValue } from './modifiers.js';
import { allOf, anyOf, needOfCondition, type Need } from './needs.js';

export interface SigmaRule {
  id: string;
  title: string;
  /** As written (informational, low, medium, high, critical). */
  level: string;
  severity: Severity;
  tags: readonly string[];
  gate: Gate;
  match: (view: FieldView) => boolean;
  /** Texts a record must hold for `match` to be true (needs.ts); no clause: none known, it always runs. */
  need: Need;
  /** `|re` patterns, for ReDoS screening before the rule is used. */
  regexes: readonly RegexUse[];
  file: string;
  /**
   * The document it was compiled from (plain data, as YAML gave it): what a worker thread of a parallel scan compiles
   * the rule from again (compileSigma is a function of it and `file`), the tests being closures that cannot be sent.
   */
  doc: unknown;
}

const LEVELS: Readonly<Record<string, Severity>> = {
  informational: 'info', info: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical',
};
// Detection keys that are not selections.
const NOT_SELECTIONS = new Set(['condition', 'timeframe']);

export function compileSigma(doc: unknown, file: string): SigmaRule {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new SigmaUnsupported('not a Sigma rule (not a mapping)');
  const d = doc as Record<string, unknown>;
  if (d.action !== undefined) throw new SigmaUnsupported(`rule collections (action: ${String(d.action)}) are not supported`);
  if (d.correlation !== undefined) throw new SigmaUnsupported('correlation rules are not supported');
  if (typeof d.title !== 'string' || d.title === '') throw new SigmaUnsupported("invalid: no 'title'");
  const id = typeof d.id === 'string' && d.id !== '' ? d.id : null;
  if (id === null) throw new SigmaUnsupported("invalid: no 'id'");
  const level = typeof d.level === 'string' ? d.level.toLowerCase() : 'medium';
  const severity = LEVELS[level];
  if (severity === undefined) throw new SigmaUnsupported(`invalid: unknown level '${level}'`);
  const gate = gateOf(d.logsource);
  const regexes: RegexUse[] = [];
  const { test: match, need } = compileDetection(d.detection, regexes);
  const tags = Array.isArray(d.tags) ? d.tags.filter((t): t is string => typeof t === 'string') : [];
  return { id, title: d.title, level, severity, tags, gate, match, need, regexes, file, doc };
}

function compileDetection(detection: unknown, regexes: RegexUse[]): Compiled {
  if (detection === null || typeof detection !== 'object' || Array.isArray(detection)) throw new SigmaUnsupported("invalid: no 'detection' mapping");
  const det = detection as Record<string, unknown>;
  const names = Object.keys(det).filter((k) => !NOT_SELECTIONS.has(k));
  const cond = det.condition;
  const texts = typeof cond === 'string' ? [cond] : Array.isArray(cond) && cond.every((c) => typeof c === 'string') ? (cond as string[]) : null;
  if (texts === null || texts.length === 0) throw new SigmaUnsupported("invalid: 'detection.condition' must be a string");
  const trees = texts.map((t) => parseCondition(t, names));
  const tree: Condition = trees.length === 1 ? trees[0]! : { op: 'or', args: trees };
  // Only the selections the condition uses are compiled.
  const tests = new Map<string, (view: FieldView) => boolean>();
  const needs = new Map<string, Need>();
  for (const name of namesOf(tree)) {
    const c = compileSelection(name, det[name], regexes);
    tests.set(name, c.test);
    needs.set(name, c.need);
  }
  return { test: compileCondition(tree, tests), need: needOfCondition(tree, needs) };
}

function isScalar(v: unknown): v is SigmaValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** A selection: a map (all items), a list of maps (any), or a list of keywords (any, anywhere in the text). */
function compileSelection(name: string, sel: unknown, regexes: RegexUse[]): Compiled {
  if (Array.isArray(sel)) {
    if (sel.length === 0) throw new SigmaUnsupported(`invalid: selection '${name}' is empty`);
    if (sel.every(isScalar)) return compileItem('|contains', sel, regexes);
    if (sel.every((s) => s !== null && typeof s === 'object' && !Array.isArray(s))) {
      const maps = sel.map((s) => compileMap(name, s as Record<string, unknown>, regexes));
      const tests = maps.map((m) => m.test);
      return { test: (view) => tests.some((m) => m(view)), need: anyOf(maps.map((m) => m.need)) };
    }
    throw new SigmaUnsupported(`invalid: selection '${name}' mixes keywords and field maps`);
  }
  if (sel !== null && typeof sel === 'object') return compileMap(name, sel as Record<string, unknown>, regexes);
  if (isScalar(sel) && sel !== null) return compileItem('|contains', [sel], regexes);
  throw new SigmaUnsupported(`invalid: selection '${name}' is not a map or a list`);
}

function compileMap(name: string, map: Record<string, unknown>, regexes: RegexUse[]): Compiled {
  const items = Object.entries(map).map(([key, value]) => {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || !values.every(isScalar)) throw new SigmaUnsupported(`invalid: '${name}.${key}' must be a value or a list of values`);
    // A key without a field (`'|all': [...]`) is a keyword search with modifiers.
    const k = key.startsWith('|') ? `|contains${key}` : key;
    return compileItem(k, values, regexes);
  });
  if (items.length === 0) throw new SigmaUnsupported(`invalid: selection '${name}' is empty`);
  if (items.length === 1) return items[0]!;
  const tests = items.map((t) => t.test);
  return { test: (view) => tests.every((t) => t(view)), need: allOf(items.map((t) => t.need)) };
}
