// Validates RuleSpecs and compiles them once into CompiledRules (RegExp built, literals and conditions normalised).
// Throws RuleError on a bad spec: built-ins are checked by tests, users' rule files by the loader that calls this.
import { RuleError } from '../errors.js';
import type { EventType, Outcome, Severity } from '../types.js';
import { EVENT_TYPES, defaultSeverity, isEventType, isSeverity } from '../types.js';
import type { Decoder, RuleSpec, WhereValue } from './spec.js';
import { DECODERS, GROUP_NAMES } from './spec.js';

export type MatchMode = 'first' | 'additive' | 'fallback';

/** A field condition, normalised: `values` null means presence (`present` true) or absence (false). */
export interface WhereCondition {
  readonly field: string;
  readonly values: readonly string[] | null;
  readonly present: boolean;
}

export interface CompiledRule {
  readonly id: string;
  readonly family: string;
  readonly description: string;
  readonly type: EventType;
  readonly severity: Severity;
  readonly outcome: Outcome;
  /** null in the set takes unparsed records (format null). */
  readonly formats: ReadonlySet<string | null> | null;
  /** As written in the spec (exact names, `prefix*`, null for "no program"); null = any record. */
  readonly programs: readonly (string | null)[] | null;
  readonly levels: ReadonlySet<Severity> | null;
  readonly where: readonly WhereCondition[];
  /** What the pattern reads, in order; 'message' is the record message. */
  readonly fields: readonly string[];
  readonly decode: Decoder | null;
  readonly literals: readonly string[];
  readonly regex: RegExp | null;
  /** What the value must start with, read from a pattern anchored with `^` (checked before the literals). */
  readonly prefix: string;
  /** Record fields the event falls back to for each value the pattern did not capture. */
  readonly take: { readonly ip: string; readonly port: string; readonly user: string; readonly phone: string };
  /** Look for ip/user/phone in the message when the pattern and fields give none. */
  readonly fromMessage: boolean;
  /**
   * Fields of which at least one must be present for the rule to have a chance (empty: none needed). Lets the
   * engine skip, in one step, the rules for fields a record does not have (web rules on a syslog line).
   */
  readonly gate: readonly string[];
  /**
   * A built-in rule written for what a program logs (pam, sshd, ftp, a web server's error log...): it reads only
   * the message, with no format, level or field condition. It does not read records whose text their program did not
   * word (LogRecord.foreignText: a request line a client wrote, an audit record): a client could otherwise
   * send `pam_unix(sshd:auth): authentication failure; ... rhost=<someone else>` as its request line and have it
   * counted as an SSH failure from that address. A user's rules read every record their conditions allow.
   */
  readonly programText: boolean;
  readonly mode: MatchMode;
  /** The spec it came from (for listing rules and running their examples). */
  readonly spec: RuleSpec;
}

const SPEC_KEYS = new Set([
  'id', 'family', 'description', 'type', 'severity', 'outcome', 'formats', 'programs', 'levels', 'where', 'field',
  'decode', 'literal', 'pattern', 'flags', 'take', 'fromMessage', 'additive', 'fallback', 'examples',
]);
const OUTCOMES: readonly Outcome[] = ['success', 'failure', 'unknown'];
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
// `(?<name>`, but not the lookbehinds `(?<=` and `(?<!`.
const NAMED_GROUP = /\(\?<([A-Za-z_$][A-Za-z0-9_$]{0,63})>/g;
const TAKE_KEYS = ['ip', 'port', 'user', 'phone'] as const;
const FLAGS = /^[imsu]{0,4}$/;

/**
 * Compiles every spec, in order; throws RuleError on the first bad one (ids must be unique). `builtin`: the
 * built-in rules (see CompiledRule.programText).
 */
export function compileRules(specs: readonly RuleSpec[], opts: { builtin?: boolean } = {}): CompiledRule[] {
  if (!Array.isArray(specs)) throw new RuleError('rules must be a list');
  const seen = new Set<string>();
  return specs.map((spec, i) => {
    const compiled = compileRule(spec, i);
    const rule = opts.builtin === true && readsProgramText(compiled) ? { ...compiled, programText: true } : compiled;
    if (seen.has(rule.id)) throw new RuleError(`rule '${rule.id}': duplicate id`, { hint: 'every rule id must be unique' });
    seen.add(rule.id);
    return rule;
  });
}

function compileRule(spec: RuleSpec, index: number): CompiledRule {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new RuleError(`rule #${index + 1}: must be a mapping of keys to values`);
  }
  const raw = spec as unknown as Record<string, unknown>;
  const id = raw.id;
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new RuleError(`rule #${index + 1}: 'id' must be a string of letters, digits, '.', '_' or '-'`, {
      hint: "for example id: 'sshd.failed_password'",
    });
  }
  const fail = (what: string, hint?: string): never => {
    throw new RuleError(`rule '${id}': ${what}`, hint === undefined ? {} : { hint });
  };
  for (const key of Object.keys(raw)) {
    if (!SPEC_KEYS.has(key)) fail(`unknown key '${key}'`, `valid keys: ${[...SPEC_KEYS].join(', ')}`);
  }
  if (typeof raw.family !== 'string' || raw.family === '') fail("'family' must be a non-empty string");
  if (typeof raw.description !== 'string') fail("'description' must be a string");
  if (typeof raw.type !== 'string' || !isEventType(raw.type)) {
    fail(`unknown event type '${String(raw.type)}'`, `valid types: ${Object.keys(EVENT_TYPES).join(', ')}`);
  }
  const type = raw.type as EventType;
  if (raw.severity !== undefined && (typeof raw.severity !== 'string' || !isSeverity(raw.severity))) {
    fail(`unknown severity '${String(raw.severity)}'`, 'valid severities: info, low, medium, high, critical');
  }
  if (typeof raw.outcome !== 'string' || !(OUTCOMES as readonly string[]).includes(raw.outcome)) {
    fail(`unknown outcome '${String(raw.outcome)}'`, `valid outcomes: ${OUTCOMES.join(', ')}`);
  }
  const formats = formatList(raw.formats, fail);
  const programs = programList(raw.programs, fail);
  const levels = stringList(raw.levels, 'levels', fail);
  for (const l of levels ?? []) if (!isSeverity(l)) fail(`unknown level '${l}' in 'levels'`);
  const where = compileWhere(raw.where, fail);
  const fields = raw.field === undefined ? ['message'] : stringList(raw.field, 'field', fail, true)!;
  if (raw.decode !== undefined && !(DECODERS as readonly unknown[]).includes(raw.decode)) {
    fail(`unknown decode '${String(raw.decode)}'`, `valid decoders: ${DECODERS.join(', ')}`);
  }
  const literals = stringList(raw.literal, 'literal', fail, true) ?? [];
  const regex = compilePattern(raw.pattern, raw.flags, fail);
  if (regex === null && where.length === 0 && levels === null && literals.length === 0) {
    fail('needs a pattern, a literal, a where condition or levels (it would match every record)');
  }
  if (raw.fromMessage !== undefined && typeof raw.fromMessage !== 'boolean') fail("'fromMessage' must be true or false");
  if (raw.additive !== undefined && typeof raw.additive !== 'boolean') fail("'additive' must be true or false");
  if (raw.fallback !== undefined && typeof raw.fallback !== 'boolean') fail("'fallback' must be true or false");
  if (raw.additive === true && raw.fallback === true) fail("a rule cannot be both 'additive' and 'fallback'");
  checkExamples(raw.examples, fail);
  return {
    id,
    family: raw.family as string,
    description: raw.description as string,
    type,
    severity: (raw.severity as Severity | undefined) ?? defaultSeverity(type),
    outcome: raw.outcome as Outcome,
    formats: formats === null ? null : new Set(formats),
    programs,
    levels: levels === null ? null : new Set(levels as Severity[]),
    where,
    fields,
    decode: (raw.decode as Decoder | undefined) ?? null,
    literals,
    regex,
    prefix: regex === null ? '' : requiredPrefix(regex),
    take: compileTake(raw.take, fail),
    fromMessage: raw.fromMessage === true,
    gate: gateOf(where, fields),
    programText: false,
    mode: raw.additive === true ? 'additive' : raw.fallback === true ? 'fallback' : 'first',
    spec,
  };
}

type Fail = (what: string, hint?: string) => never;

function readsProgramText(r: CompiledRule): boolean {
  return r.fields.length === 1 && r.fields[0] === 'message' && r.decode === null && r.where.length === 0 && r.formats === null
    && r.levels === null;
}

/** A field the rule requires (a where condition), else the fields it reads when it does not read the message. */
function gateOf(where: readonly WhereCondition[], fields: readonly string[]): string[] {
  const required = where.find((w) => w.present);
  if (required !== undefined) return [required.field];
  return fields.includes('message') ? [] : [...fields];
}

/** A string or a list of non-empty strings -> list; undefined -> null. `single` also accepts one string. */
function stringList(v: unknown, key: string, fail: Fail, single = false): string[] | null {
  if (v === undefined) return null;
  const list = single && typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || list.some((s) => typeof s !== 'string' || s === '')) {
    return fail(`'${key}' must be a non-empty list of non-empty strings${single ? ' (or one string)' : ''}`);
  }
  return list as string[];
}

function formatList(v: unknown, fail: Fail): (string | null)[] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.length === 0 || v.some((f) => f !== null && (typeof f !== 'string' || f === ''))) {
    return fail("'formats' must be a non-empty list of format names (or null for unparsed lines)");
  }
  return v as (string | null)[];
}

function programList(v: unknown, fail: Fail): (string | null)[] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.length === 0 || v.some((p) => p !== null && (typeof p !== 'string' || p === '' || p === '*'))) {
    return fail("'programs' must be a non-empty list of program names ('name', 'prefix*', or null for none)");
  }
  return v as (string | null)[];
}

// Characters that end a literal run in a pattern; a quantifier after a character makes it optional or repeated.
const META = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$']);
const QUANTIFIERS = new Set(['*', '?', '{']);
const WORD_CHAR = /^[A-Za-z0-9]$/;

/**
 * The literal text a pattern anchored with `^` requires at the start (`^pam_unix\(` -> `pam_unix(`): checked with
 * startsWith before anything else. '' when there is none (no anchor, `i` or `m` flag, top-level alternation).
 */
export function requiredPrefix(regex: RegExp): string {
  const src = regex.source;
  if (!src.startsWith('^') || regex.ignoreCase || regex.multiline || hasTopLevelBar(src)) return '';
  let out = '';
  for (let i = 1; i < src.length; ) {
    let ch = src[i]!;
    let len = 1;
    if (ch === '\\') {
      const next = src[i + 1];
      if (next === undefined || WORD_CHAR.test(next)) break; // \d \s \b \x41 ...: a class or an escape
      ch = next;
      len = 2;
    } else if (META.has(ch) || (ch >= '\ud800' && ch <= '\udfff')) {
      break; // a metacharacter, or half of a surrogate pair
    }
    const after = src[i + len];
    if (after !== undefined && QUANTIFIERS.has(after)) break;
    out += ch;
    if (after === '+') break;
    i += len;
  }
  return out;
}

/** Whether the pattern has a `|` outside any group or class (then `^` anchors only the first branch). */
function hasTopLevelBar(src: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

function compileWhere(v: unknown, fail: Fail): WhereCondition[] {
  if (v === undefined) return [];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail("'where' must map field names to values");
  return Object.entries(v as Record<string, WhereValue>).map(([field, value]) => {
    if (typeof value === 'boolean') return { field, values: null, present: value };
    // Numbers are taken as their text: YAML users write `status: 401`; field values are strings.
    const list = Array.isArray(value) ? (value as unknown[]) : [value];
    if (list.length > 0 && list.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
      return { field, values: list.map(String), present: true };
    }
    return fail(`'where.${field}' must be a string, a list of strings, true (present) or false (absent)`);
  });
}

function compilePattern(pattern: unknown, flags: unknown, fail: Fail): RegExp | null {
  if (flags !== undefined && (typeof flags !== 'string' || !FLAGS.test(flags) || new Set(flags).size !== flags.length)) {
    fail(`invalid flags '${String(flags)}'`, "use any of i, m, s, u once each (no g or y: rules are shared)");
  }
  if (pattern === undefined) {
    if (flags !== undefined) fail("'flags' without a 'pattern'");
    return null;
  }
  if (typeof pattern !== 'string' || pattern === '') return fail("'pattern' must be a non-empty string");
  for (const m of pattern.matchAll(NAMED_GROUP)) {
    if (!(GROUP_NAMES as readonly string[]).includes(m[1]!)) {
      fail(`unknown named group '${m[1]}' in the pattern`, `valid group names: ${GROUP_NAMES.join(', ')}`);
    }
  }
  try {
    return new RegExp(pattern, (flags as string | undefined) ?? '');
  } catch (err) {
    return fail(`invalid pattern: ${(err as Error).message}`);
  }
}

function compileTake(v: unknown, fail: Fail): CompiledRule['take'] {
  const take = { ip: 'ip', port: 'port', user: 'user', phone: 'phone' };
  if (v === undefined) return take;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail("'take' must map ip/port/user/phone to field names");
  for (const [k, f] of Object.entries(v as Record<string, unknown>)) {
    if (!(TAKE_KEYS as readonly string[]).includes(k)) fail(`unknown key 'take.${k}'`, `valid keys: ${TAKE_KEYS.join(', ')}`);
    if (typeof f !== 'string' || f === '') fail(`'take.${k}' must be a field name`);
    take[k as keyof typeof take] = f as string;
  }
  return take;
}

function checkExamples(v: unknown, fail: Fail): void {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail("'examples' must be { match: [...], noMatch?: [...] }");
  const ex = v as Record<string, unknown>;
  for (const key of Object.keys(ex)) if (key !== 'match' && key !== 'noMatch') fail(`unknown key 'examples.${key}'`);
  for (const key of ['match', 'noMatch'] as const) {
    const list = ex[key];
    if (list === undefined && key === 'noMatch') continue;
    if (!Array.isArray(list)) return fail(`'examples.${key}' must be a list`);
    for (const e of list) {
      if (typeof e === 'string') continue;
      if (e === null || typeof e !== 'object' || Array.isArray(e)) fail(`each of 'examples.${key}' must be a string or a mapping`);
    }
  }
}
