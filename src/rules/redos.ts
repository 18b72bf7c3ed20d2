// ReDoS screening of patterns users write (rule files, Sigma `|re`): recheck's sound analysis, not a timeout.
// Each check costs ~0.3 s, so results are cached per process and the checks of one load run in parallel.
// checkLinear is the strict proof used for the built-in rules (see its comment); checkPatterns(..., { strict: true })
// gives it each pattern in the parts that proofParts cuts it into, to keep the proof of ~120 rules under a minute.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Parameters } from 'recheck';

export type RedosStatus = 'safe' | 'vulnerable' | 'unknown';

export interface RedosVerdict {
  status: RedosStatus;
  /** For people: 'exponential', 'polynomial (degree 2)', or why the analysis gave up. */
  detail: string;
  /** A short attack string recheck built, when vulnerable. */
  attack: string | null;
}

// Every verdict of this process: the same pattern in two files, or loaded twice by a test, is checked once.
const cache = new Map<string, Promise<RedosVerdict>>();
// Two cores on these machines; recheck runs each check in a worker.
const PARALLEL = 4;

function key(source: string, flags: string, mode: string): string {
  return `${mode}:${flags}/${source}`;
}

const DEFAULT_PARAMS: Parameters = { timeout: 10_000 };
// Only the automaton checker proves anything: the fuzzer (which 'auto' picks for large bounded repeats) is random
// and can only fail to find an attack, so the same pattern came out exponential in one run and safe in the next.
const AUTOMATON_PARAMS: Parameters = { checker: 'automaton', timeout: 60_000 };

async function checkOne(source: string, flags: string, params: Parameters): Promise<RedosVerdict> {
  try {
    // recheck does not know the `d`/`v` flags; ours are among i, m, s, u.
    const { check } = (recheck ??= await import('recheck')); // ~0.2 s and ~35 MB: loaded only when a pattern is checked
    let d: Awaited<ReturnType<typeof check>>;
    // The first check starts recheck's agent (a child process), and a check made before it is up starts one of its
    // own, which recheck then forgets: the checks made meanwhile wait for the first (PARALLEL run at once).
    if (agentUp === null) {
      const first = check(source, flags, params);
      agentUp = first.then(() => undefined, () => undefined);
      d = await first;
    } else {
      await agentUp;
      d = await check(source, flags, params);
    }
    if (d.status === 'safe') return { status: 'safe', detail: d.complexity.type, attack: null };
    if (d.status === 'vulnerable') {
      const c = d.complexity;
      const detail = c.type === 'polynomial' ? `polynomial (degree ${c.degree})` : 'exponential';
      return { status: 'vulnerable', detail, attack: d.attack.pattern };
    }
    const e = d.error;
    return { status: 'unknown', detail: 'message' in e ? `${e.kind}: ${e.message}` : e.kind, attack: null };
  } catch (err) {
    return { status: 'unknown', detail: err instanceof Error ? err.message.split('\n')[0]! : String(err), attack: null };
  }
}

/** recheck, once a check loaded it; and the first check, which started its agent. */
let recheck: typeof import('recheck') | null = null;
let agentUp: Promise<void> | null = null;

/**
 * What recheck keeps of its native agent: `__mock__.agent.child`, the child process it talks to. Not in its types nor
 * in what its entry point exports (`check` and `checkSync`): its bundle (`recheck/lib/main`, a CommonJS module the
 * entry point required, so the same instance) has it. Read with optional steps: a recheck without it stops nothing.
 */
interface RecheckInternals {
  __mock__?: { agent?: { child?: ChildProcess } | null };
}

/**
 * Stops recheck's native agent, if a check started one, and waits for it to exit. recheck starts it as a child process
 * of the thread that first checks a pattern, and keeps it; a child of a worker thread that ends before the child does
 * is never waited for, and stays a zombie process until audit exits (one per `audit watch --sigma`, for days). The
 * thread that loads rules (load-worker.ts) calls this before it ends. recheck cannot check again afterwards.
 */
export async function stopRecheckAgent(): Promise<void> {
  if (recheck === null) return;
  let internals: RecheckInternals;
  try {
    internals = createRequire(import.meta.url)('recheck/lib/main') as RecheckInternals;
  } catch {
    return;
  }
  const child = internals.__mock__?.agent?.child;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.ref(); // recheck unrefs it: the thread's loop must wait for its exit to reap it
  child.kill();
  const hard = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(hard);
}

/** The verdict on one pattern (cached). */
export function checkPattern(source: string, flags = ''): Promise<RedosVerdict> {
  const steps = choiceFreeSteps(source);
  if (steps !== null && steps <= MAX_CHOICE_FREE_STEPS) {
    return Promise.resolve({ status: 'safe', detail: `linear: no choice to backtrack into, at most ${steps} characters tried at each position`, attack: null });
  }
  return cached(source, flags, 'auto', DEFAULT_PARAMS);
}

/**
 * A pattern without choices needs no analysis: one `|`-free sequence of characters, classes, `.`, escapes and anchors,
 * each once or repeated an exact number of times (`{n}`), groups of the same. A backtracking matcher then has
 * nothing to go back to: from each position it reads at most as many characters as the pattern's atoms count
 * (`.{150}`: 150) and stops at the first one that does not fit, so a line of n characters costs at most n times that.
 * recheck's 'auto' mode gave such patterns to its fuzzer (SigmaHQ's `.{150}`: ~1.1 s at every start-up), which can
 * only fail to find an attack; this is a proof, and immediate. Bounded so that the constant stays small.
 */
const MAX_CHOICE_FREE_STEPS = 256;

/**
 * The characters a choice-free pattern reads at most from one position, or null when it has a choice (`|`, `?`, `*`,
 * `+`, `{m,n}`, `{m,}`) or anything this reading does not take (look-arounds, back-references, lazy quantifiers).
 */
export function choiceFreeSteps(source: string): number | null {
  let steps = 0;
  for (const it of items(source)) {
    const count = exactCount(it.quant);
    if (count === null || it.text === '|') return null;
    const atom = it.text.slice(0, it.text.length - it.quant.length);
    let one: number | null;
    if (it.body !== null) one = choiceFreeSteps(it.body);
    else if (atom.startsWith('(') || BACK_REFERENCE.test(atom)) one = null;
    else one = ZERO_WIDTH.has(atom) ? 0 : 1;
    if (one === null) return null;
    steps += one * count;
    if (steps > 1e6) return null;
  }
  return steps;
}

const EXACT = /^\{(\d{1,7})\}$/;
const BACK_REFERENCE = /^\\(?:[1-9]|k)/;
const ZERO_WIDTH: ReadonlySet<string> = new Set(['^', '$', '\\b', '\\B']);

/** 1 for no quantifier, n for `{n}`, null for any other. */
function exactCount(quant: string): number | null {
  if (quant === '') return 1;
  const m = EXACT.exec(quant);
  return m === null ? null : Number(m[1]);
}

/**
 * The strict proof (built-in rules): every bounded repeat `{m,n}` is widened to `{m,}` and recheck's automaton
 * checker must find the result linear. Widening only adds backtracking paths (a bounded loop takes a subset of the
 * unbounded loop's paths), so a linear verdict holds for the original, and with a small constant: overlapping
 * neighbours such as `.{0,128}\S{1,255}` are caught, where on the bounded original the automaton checker sees a
 * finite language and says "safe" whatever the product of the bounds. Look-arounds are refused (unsupported).
 */
export function checkLinear(source: string, flags = ''): Promise<RedosVerdict> {
  return cached(widenBounds(source), flags, 'automaton', AUTOMATON_PARAMS);
}

/** The verdict on a pattern from the verdicts on its proofParts: the first part that is not safe, else safe. */
function combineParts(parts: readonly string[], verdicts: readonly RedosVerdict[]): RedosVerdict {
  const i = verdicts.findIndex((v) => v.status !== 'safe');
  if (i < 0) return { status: 'safe', detail: 'linear', attack: null };
  const v = verdicts[i]!;
  return parts.length === 1 ? v : { ...v, detail: `${v.detail}, in the part /${parts[i]}/` };
}

// ---- Proof parts -------------------------------------------------------------------------------------------------
// recheck's automaton check grows much faster than the pattern (a long anchored rule took ~50 s, its pieces ~1 s),
// so checkLinear proves a pattern through smaller parts, cut only where the cut is sound for a backtracking matcher:
//  1. `A|B` at the top level: at each start position the matcher tries A, then B; the cost is at most the cost of
//     searching for A plus that of searching for B.
//  2. `^L T`, L plain characters: L matches one way or fails, so T runs once, from one position: prove `^T`.
//  3. `T(?:X)?` at the end of the pattern (no `$` after it): once T has matched, the match cannot fail any more, so
//     X is tried once, from the one position where T's first match ended: prove T, and `^(?:X)`.
//  4. P without `$` at its end: prove `P$`. The matcher's steps on P, up to P's first match, are the first steps it
//     takes on `P$` (which only goes on where P stopped), so P costs no more than `P$`. The converse fails
//     (`(a|a)*` is fast, `(a|a)*$` is not): a refusal, never a false proof. recheck proves `P$` far faster (an
//     unanchored rule: 0.5 s instead of 30 s).
// A part that would be moved away from its left neighbour must not look at it: cuts 2 and 3 are refused when the
// part holds `^`, `\b`, `\B` or a look-behind, and with the `m` flag (where `^` matches after every newline).

interface Item {
  text: string;
  /** A group `(...)`, `(?:...)`, `(?<name>...)` (not a look-around): its body. */
  body: string | null;
  /** The quantifier after it, '' for none. */
  quant: string;
  /** One plain character (or an escaped punctuation character) without quantifier. */
  plain: boolean;
}

const QUANT = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/;
const ESCAPE = /^\\(?:u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|[pPk](?:\{[^}]{0,64}\}|<[^>]{0,64}>)|[1-9]\d{0,2}|[\s\S])/;
const LEFT_CONTEXT = /\\[bB]|\(\?<[=!]/;
// `(`, `(?:` or `(?<name>`: a group whose body can be read on its own (not a look-around).
const GROUP = /^\((?:\?:|\?<[A-Za-z_$][\w$]{0,63}>|(?!\?))/;
const ESCAPED_PUNCTUATION = /^\\[^\w]$/;

/** The end (exclusive) of the atom that starts at `i`: an escape, a class, a group or one character. */
function atomEnd(src: string, i: number): number {
  const c = src[i]!;
  if (c === '\\') return i + (ESCAPE.exec(src.slice(i, i + 80))?.[0].length ?? 2);
  if (c === '[') {
    let j = i + 1;
    if (src[j] === '^') j++; // in JS, `[]` and `[^]` are whole classes: a ']' right after them closes them
    while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c !== '(') return i + 1;
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const d = src[j];
    if (d === '\\' || d === '[') j = atomEnd(src, j) - 1;
    else if (d === '(') depth++;
    else if (d === ')' && --depth === 0) return j + 1;
  }
  return src.length;
}

/** The top-level items of a pattern; `|` is an item of its own. */
function items(src: string): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < src.length; ) {
    const end = atomEnd(src, i);
    const atom = src.slice(i, end);
    const quant = QUANT.exec(src.slice(end, end + 24))?.[0] ?? '';
    const group = GROUP.exec(atom);
    const body = group === null ? null : atom.slice(group[0].length, -1);
    const plain = quant === '' && body === null && (atom.length === 1 ? !'.^$|()[]{}*+?'.includes(atom) : ESCAPED_PUNCTUATION.test(atom));
    out.push({ text: atom + quant, body, quant, plain: plain && !(atom >= '\ud800' && atom <= '\udfff') });
    i = end + quant.length;
  }
  return out;
}

/**
 * Patterns whose linearity (each alone) proves the linearity of `source`: cuts 1-4 above, applied while they
 * apply. A pattern with nothing to cut is its own only part.
 */
export function proofParts(source: string, flags = ''): string[] {
  return unique(cutParts(source, flags).map((p) => (items(p).at(-1)?.text === '$' ? p : `${p}$`)));
}

function cutParts(source: string, flags: string): string[] {
  const list = flatItems(source);
  const branches = splitBars(list);
  if (branches.length > 1) return branches.flatMap((b) => cutParts(join(b), flags));
  // `^(?:A|B)` alone is `^A|^B`.
  const only = list.length === 2 && list[0]!.text === '^' ? list[1]! : null;
  if (only !== null && only.body !== null && only.quant === '') {
    return splitBars(items(only.body)).flatMap((b) => cutParts(`^${join(b)}`, flags));
  }
  if (flags.includes('m')) return [source];
  const parts: string[] = [];
  // Cut 3, from the end: `(?:X)?` whose X does not look left.
  let last = list[list.length - 1];
  while (last !== undefined && last.body !== null && (last.quant === '?' || last.quant === '??') && cuttable(last.body)) {
    parts.push(...cutParts(`^(?:${last.body})`, flags));
    list.pop();
    last = list[list.length - 1];
  }
  // Cut 2, from the start: `^` and plain characters, when what follows does not look left.
  let rest = list;
  if (list[0]?.text === '^') {
    let n = 1;
    while (n < list.length && list[n]!.plain) n++;
    if (n > 1 && cuttable(join(list.slice(n)))) rest = [list[0], ...list.slice(n)];
  }
  const head = join(rest);
  if (head !== '' && head !== '^' && head !== '^$') parts.unshift(head); // nothing left: plain characters only
  return parts;
}

/** items(), with every unquantified group whose body has no top-level `|` replaced by the body's items. */
function flatItems(src: string): Item[] {
  return items(src).flatMap((it) => {
    if (it.body === null || it.quant !== '') return [it];
    const inner = flatItems(it.body);
    return splitBars(inner).length > 1 ? [it] : inner;
  });
}

function splitBars(list: readonly Item[]): Item[][] {
  const out: Item[][] = [[]];
  for (const it of list) {
    if (it.text === '|') out.push([]);
    else out[out.length - 1]!.push(it);
  }
  return out;
}

/** Whether a part may be proven away from its left neighbour: it never looks at what comes before it. */
function cuttable(part: string): boolean {
  if (LEFT_CONTEXT.test(part)) return false;
  const deep = (list: readonly Item[]): boolean => list.some((it) => it.text === '^' || (it.body !== null && deep(items(it.body))));
  return !deep(items(part));
}

function join(list: readonly Item[]): string {
  return list.map((it) => it.text).join('');
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

function cached(source: string, flags: string, mode: string, params: Parameters): Promise<RedosVerdict> {
  const k = key(source, flags, mode);
  let hit = cache.get(k);
  if (hit === undefined) {
    hit = checkOne(source, flags, params);
    cache.set(k, hit);
  }
  return hit;
}

const BOUNDED = /^\{(\d+),\d+\}/;

/** `a{2,5}` -> `a{2,}` outside classes and escapes (lazy `?` after it is kept); everything else unchanged. */
export function widenBounds(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '{') {
      const m = BOUNDED.exec(source.slice(i, i + 24));
      if (m !== null) {
        out += `{${m[1]},}`;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * Verdicts for many patterns, in order, at most `parallel` checks at a time. Strict: each pattern through its
 * proofParts (every distinct part checked once, the pool working on parts).
 */
export async function checkPatterns(
  list: readonly { source: string; flags: string }[],
  how: { strict?: boolean; parallel?: number } = {},
): Promise<RedosVerdict[]> {
  if (how.strict !== true) return pool(list, checkPattern, how.parallel);
  const parts = list.map((p) => proofParts(p.source, p.flags));
  const jobs = [...new Map(list.flatMap((p, i) => parts[i]!.map((s) => [key(s, p.flags, ''), { source: s, flags: p.flags }] as const))).values()];
  await pool(jobs, checkLinear, how.parallel);
  // Every part is in the cache now: these return at once.
  return Promise.all(list.map(async (p, i) => combineParts(parts[i]!, await Promise.all(parts[i]!.map((s) => checkLinear(s, p.flags))))));
}

async function pool(
  list: readonly { source: string; flags: string }[],
  one: (source: string, flags: string) => Promise<RedosVerdict>,
  parallel = PARALLEL,
): Promise<RedosVerdict[]> {
  const out: RedosVerdict[] = new Array(list.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const i = next++;
      out[i] = await one(list[i]!.source, list[i]!.flags);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, list.length) }, worker));
  return out;
}

/** One line for a diagnostic: why the pattern is refused. */
export function describeVerdict(v: RedosVerdict): string {
  if (v.status === 'vulnerable') {
    return `the pattern can take ${v.detail} time on some inputs (catastrophic backtracking)` + (v.attack === null ? '' : `, e.g. on ${v.attack}`);
  }
  return `the pattern could not be proven to run in linear time (${v.detail})`;
}
