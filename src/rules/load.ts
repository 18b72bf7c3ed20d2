// Loads users' rule files (YAML, the RuleSpec schema of the built-ins) and validates them before any line is read:
// YAML syntax, schema (compile.ts), duplicate ids, ReDoS (recheck), and each rule's own examples. Problems come back
// as compiler-style diagnostics pointing at file:line:column; nothing here prints.
import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { RuleError } from '../errors.js';
import type { CompiledRule } from './compile.js';
import type { Diagnostic } from './diagnostic.js';
import { compileRules } from './compile.js';
import { createEngine } from './engine.js';
import { exampleRecord } from './examples.js';
import { checkPatterns, describeVerdict } from './redos.js';
import { listYamlFiles } from './yaml-files.js';
import type { Example, RuleSpec } from './spec.js';

export { formatDiagnostic, type Diagnostic } from './diagnostic.js';

export interface LoadedRules {
  /** The valid rules, in file order. */
  rules: CompiledRule[];
  /** Rule id -> the file it came from (as named on the command line or found in a directory). */
  origins: Map<string, string>;
  diagnostics: Diagnostic[];
}

interface Located {
  spec: RuleSpec;
  file: string;
  node: Node | null;
  pos: (offset: number) => { line: number; col: number };
}

/** Loads every rule file under `paths` (files, or directories of *.yaml / *.yml). `taken`: ids already in use. */
export async function loadRuleFiles(paths: readonly string[], cwd: string, taken: ReadonlySet<string> = new Set()): Promise<LoadedRules> {
  const diagnostics: Diagnostic[] = [];
  const located: Located[] = [];
  for (const file of await listYamlFiles(paths, cwd, diagnostics)) {
    let text: string;
    try {
      text = await readFile(file.path, 'utf8');
    } catch (err) {
      diagnostics.push({ file: file.name, line: 0, column: 0, message: `cannot read: ${(err as Error).message}` });
      continue;
    }
    located.push(...parseRuleFile(file.name, text, diagnostics));
  }
  const compiled = compileEach(located, taken, diagnostics);
  await screenPatterns(compiled, diagnostics);
  const rules: CompiledRule[] = [];
  const origins = new Map<string, string>();
  for (const c of compiled) {
    if (c.rejected || !examplesHold(c, diagnostics)) continue;
    rules.push(c.rule);
    origins.set(c.rule.id, c.at.file);
  }
  diagnostics.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : 0));
  return { rules, origins, diagnostics };
}

/** The rule mappings of one file: a list of rules, or a mapping with a `rules:` list. */
function parseRuleFile(name: string, text: string, out: Diagnostic[]): Located[] {
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): { line: number; col: number } => lc.linePos(offset);
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    out.push({ file: name, line: p.line, column: p.col, message: e.message.split('\n')[0]!, hint: 'this is a YAML syntax error' });
  }
  if (doc.errors.length > 0) return [];
  let list: Node | null = doc.contents as Node | null;
  if (isMap(list) && list.has('rules')) {
    for (const pair of list.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '?';
      if (k !== 'rules') at(out, name, pos, pair.key as Node, `unknown top-level key '${k}'`, "a rule file is a list of rules, or a mapping with one key, 'rules'");
    }
    list = (list.get('rules', true) as Node | undefined) ?? null;
  }
  if (!isSeq(list)) {
    at(out, name, pos, list ?? (doc.contents as Node | null), 'a rule file must be a list of rules', "start each rule with '- id: ...'");
    return [];
  }
  return list.items.map((node) => ({ spec: (node as Node).toJSON() as RuleSpec, file: name, node: node as Node, pos }));
}

function at(out: Diagnostic[], file: string, pos: Located['pos'], node: Node | null, message: string, hint?: string): void {
  const p = node?.range ? pos(node.range[0]) : { line: 1, col: 1 };
  out.push({ file, line: p.line, column: p.col, message, ...(hint === undefined ? {} : { hint }) });
}

interface Compiled {
  rule: CompiledRule;
  at: Located;
  rejected: boolean;
}

function compileEach(located: readonly Located[], taken: ReadonlySet<string>, out: Diagnostic[]): Compiled[] {
  const seen = new Map<string, string>();
  const result: Compiled[] = [];
  for (const l of located) {
    let rule: CompiledRule;
    try {
      rule = compileRules([l.spec])[0]!;
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      at(out, l.file, l.pos, nodeFor(l.node, keyPathOf(err.message)), err.message, err.hint);
      continue;
    }
    const idNode = nodeFor(l.node, { path: ['id'], key: false });
    const where = seen.get(rule.id);
    if (where !== undefined || taken.has(rule.id)) {
      at(out, l.file, l.pos, idNode, `rule '${rule.id}': duplicate id`, where !== undefined ? `also defined in ${where}` : 'a built-in rule has this id; choose another');
      continue;
    }
    const p = idNode?.range ? l.pos(idNode.range[0]) : { line: 0, col: 0 };
    seen.set(rule.id, `${l.file}:${p.line}`);
    result.push({ rule, at: l, rejected: false });
  }
  return result;
}

/** ReDoS screening of every pattern, in parallel; a refused rule gets a diagnostic on its `pattern`. */
async function screenPatterns(compiled: Compiled[], out: Diagnostic[]): Promise<void> {
  const withPattern = compiled.filter((c) => c.rule.regex !== null);
  const verdicts = await checkPatterns(withPattern.map((c) => ({ source: c.rule.regex!.source, flags: c.rule.regex!.flags })));
  verdicts.forEach((v, i) => {
    if (v.status === 'safe') return;
    const c = withPattern[i]!;
    c.rejected = true;
    at(out, c.at.file, c.at.pos, nodeFor(c.at.node, { path: ['pattern'], key: false }), `rule '${c.rule.id}': ${describeVerdict(v)}`,
      'avoid nested quantifiers such as (a+)+ and overlapping alternatives such as (a|ab)*; bound repetitions ({0,128})');
  });
}

/** Each match example must be taken by the rule, each noMatch example must not (lnav's checked samples). */
function examplesHold(c: Compiled, out: Diagnostic[]): boolean {
  const engine = createEngine({ rules: [c.rule] });
  const spec = c.rule.spec;
  const check = (list: readonly Example[] | undefined, key: 'match' | 'noMatch'): boolean => {
    for (const [i, ex] of (list ?? []).entries()) {
      let n = 0;
      engine(exampleRecord(spec, ex), () => n++);
      if ((n > 0) === (key === 'match')) continue;
      const what = key === 'match' ? 'does not match its example' : 'matches its noMatch example';
      at(out, c.at.file, c.at.pos, nodeFor(c.at.node, { path: ['examples', key, i], key: false }), `rule '${spec.id}' ${what} #${i + 1}`,
        'examples are checked at load: fix the pattern, its programs/formats, or the example');
      return false;
    }
    return true;
  };
  return check(spec.examples.match, 'match') && check(spec.examples.noMatch, 'noMatch');
}

interface KeyPath {
  path: (string | number)[];
  /** Point at the key itself (an unknown key) rather than at its value. */
  key: boolean;
}

// What compile.ts says -> which key of the rule it is about.
const BY_WORDING: readonly [RegExp, string][] = [
  [/^unknown event type/, 'type'], [/^unknown severity/, 'severity'], [/^unknown outcome/, 'outcome'],
  [/^unknown level/, 'levels'], [/^unknown decode/, 'decode'], [/named group|^invalid pattern/, 'pattern'],
  [/^invalid flags|^'flags' without/, 'flags'], [/both 'additive' and 'fallback'/, 'fallback'],
];
const UNKNOWN_KEY = /^unknown key '([^']{1,100})'/;
const MUST = /^'([A-Za-z.]{1,100})' must/;

/** The key a compile error is about, from its wording (`rule 'x': unknown key 'patern'` -> patern). */
export function keyPathOf(message: string): KeyPath | null {
  const what = message.replace(/^rule (?:'[^']{0,100}'|#\d{1,9}): /, '');
  const unknown = UNKNOWN_KEY.exec(what);
  if (unknown !== null) return { path: unknown[1]!.split('.'), key: true };
  if (what.startsWith("'id' must")) return { path: ['id'], key: false };
  const must = MUST.exec(what);
  if (must !== null) return { path: must[1]!.split('.'), key: false };
  for (const [re, key] of BY_WORDING) if (re.test(what)) return { path: [key], key: false };
  return null;
}

/** The YAML node at a key path inside a rule (the deepest that exists), or the rule itself. */
function nodeFor(rule: Node | null, kp: KeyPath | null): Node | null {
  let node: Node | null = rule;
  if (kp === null) return node;
  for (const [i, step] of kp.path.entries()) {
    const last = i === kp.path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === step);
      if (pair === undefined) return node;
      node = last && kp.key ? (pair.key as Node) : ((pair.value as Node | null) ?? (pair.key as Node));
    } else if (isSeq(node) && typeof step === 'number' && node.items[step] !== undefined) {
      node = node.items[step] as Node;
    } else {
      return node;
    }
  }
  return node;
}
