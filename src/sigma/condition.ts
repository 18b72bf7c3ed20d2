// The Sigma condition language: `and`, `or`, `not`, parentheses, `1 of X*`, `all of X*`, `1 of them`,
// `all of them` (`any of` = `1 of`). Parsed once into a tree; selections named by a `*` pattern are resolved
// against the rule's detection names at parse time. Aggregations (`| count() > 5`) are not supported.
import { SigmaUnsupported } from './modifiers.js';

export type Condition =
  | { op: 'sel'; name: string }
  | { op: 'not'; arg: Condition }
  | { op: 'and' | 'or'; args: Condition[] };

// Words and the punctuation of the language; anything else is an error. Linear: one class, no nesting.
const TOKEN = /\s*([()]|[^\s()]+)/y;
const NAME_PATTERN = /^[A-Za-z0-9_*.\-]+$/;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    if (TOKEN.lastIndex >= text.length || text.slice(TOKEN.lastIndex).trim() === '') break;
    const m = TOKEN.exec(text);
    if (m === null) break;
    out.push(m[1]!);
  }
  return out;
}

/** Parses `text`; `names` are the rule's selection names (for `them` and `X*`). Throws SigmaUnsupported. */
export function parseCondition(text: string, names: readonly string[]): Condition {
  if (text.includes('|')) throw new SigmaUnsupported('aggregation in the condition (| count() ...) is not supported');
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => tokens[i]?.toLowerCase();
  const fail = (what: string): never => {
    throw new SigmaUnsupported(`condition '${text}': ${what}`);
  };

  const orExpr = (): Condition => {
    const args = [andExpr()];
    while (peek() === 'or') {
      i++;
      args.push(andExpr());
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };
  const andExpr = (): Condition => {
    const args = [notExpr()];
    while (peek() === 'and') {
      i++;
      args.push(notExpr());
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };
  const notExpr = (): Condition => {
    if (peek() === 'not') {
      i++;
      return { op: 'not', arg: notExpr() };
    }
    return primary();
  };
  const primary = (): Condition => {
    const t = tokens[i];
    if (t === undefined) return fail('ends too early');
    i++;
    if (t === '(') {
      const inner = orExpr();
      if (tokens[i] !== ')') fail("missing ')'");
      i++;
      return inner;
    }
    const lower = t.toLowerCase();
    if ((lower === '1' || lower === 'any' || lower === 'all') && peek() === 'of') {
      i++;
      const target = tokens[i++];
      if (target === undefined) return fail(`'${t} of' needs a name pattern or 'them'`);
      return quantifier(lower === 'all' ? 'and' : 'or', target, names, fail);
    }
    if (t === ')' || ['and', 'or', 'not', 'of'].includes(lower)) return fail(`unexpected '${t}'`);
    if (!names.includes(t)) return fail(`unknown selection '${t}'`);
    return { op: 'sel', name: t };
  };

  const tree = orExpr();
  if (i < tokens.length) fail(`unexpected '${tokens[i]}'`);
  return tree;
}

/** `1 of X*` / `all of them` as an or/and over the matching selection names. */
function quantifier(op: 'and' | 'or', target: string, names: readonly string[], fail: (w: string) => never): Condition {
  let chosen: string[];
  if (target.toLowerCase() === 'them') {
    // The spec: names starting with `_` are left out of `them`.
    chosen = names.filter((n) => !n.startsWith('_'));
  } else {
    if (!NAME_PATTERN.test(target)) fail(`bad name pattern '${target}'`);
    const star = target.indexOf('*');
    chosen = star < 0 ? names.filter((n) => n === target) : names.filter((n) => globName(target, n));
  }
  if (chosen.length === 0) return fail(`'${target}' names no selection`);
  const args = chosen.map((name): Condition => ({ op: 'sel', name }));
  return args.length === 1 ? args[0]! : { op, args };
}

/** Selection-name glob: only `*`, case-sensitive. */
function globName(pattern: string, name: string): boolean {
  const parts = pattern.split('*');
  if (!name.startsWith(parts[0]!)) return false;
  let pos = parts[0]!.length;
  for (let k = 1; k < parts.length - 1; k++) {
    const at = name.indexOf(parts[k]!, pos);
    if (at < 0) return false;
    pos = at + parts[k]!.length;
  }
  const last = parts[parts.length - 1]!;
  return parts.length === 1 ? name === pattern : name.length - last.length >= pos && name.endsWith(last);
}

/** The selection names a condition uses (for reporting unused ones). */
export function namesOf(c: Condition, out: Set<string> = new Set()): Set<string> {
  if (c.op === 'sel') out.add(c.name);
  else if (c.op === 'not') namesOf(c.arg, out);
  else for (const a of c.args) namesOf(a, out);
  return out;
}

/** Compiles the tree to one closure over the selections' tests (short-circuit, left to right). */
export function compileCondition<T>(c: Condition, tests: ReadonlyMap<string, (x: T) => boolean>): (x: T) => boolean {
  switch (c.op) {
    case 'sel':
      return tests.get(c.name)!;
    case 'not': {
      const a = compileCondition(c.arg, tests);
      return (x) => !a(x);
    }
    case 'and': {
      const args = c.args.map((a) => compileCondition(a, tests));
      return (x) => args.every((f) => f(x));
    }
    case 'or': {
      const args = c.args.map((a) => compileCondition(a, tests));
      return (x) => args.some((f) => f(x));
    }
  }
}
