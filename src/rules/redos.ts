// ReDoS screening of patterns users write (rule files, Sigma `|re`): recheck's sound analysis, not a timeout.
// Each check costs ~0.3 s, so results are cached per process and the checks of one load run in parallel.
// checkLinear is the strict proof used for the built-in rules (see its comment).
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
    const { check } = await import('recheck'); // ~0.2 s and ~35 MB: loaded only when a pattern is checked
    const d = await check(source, flags, params);
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

/** The verdict on one pattern (cached). */
export function checkPattern(source: string, flags = ''): Promise<RedosVerdict> {
  return cached(source, flags, 'auto', DEFAULT_PARAMS);
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

/** Verdicts for many patterns, in order, at most `parallel` checks at a time. */
export async function checkPatterns(
  list: readonly { source: string; flags: string }[],
  how: { strict?: boolean; parallel?: number } = {},
): Promise<RedosVerdict[]> {
  const one = how.strict === true ? checkLinear : checkPattern;
  const out: RedosVerdict[] = new Array(list.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const i = next++;
      out[i] = await one(list[i]!.source, list[i]!.flags);
    }
  };
  await Promise.all(Array.from({ length: Math.min(how.parallel ?? PARALLEL, list.length) }, worker));
  return out;
}

/** One line for a diagnostic: why the pattern is refused. */
export function describeVerdict(v: RedosVerdict): string {
  if (v.status === 'vulnerable') {
    return `the pattern can take ${v.detail} time on some inputs (catastrophic backtracking)` + (v.attack === null ? '' : `, e.g. on ${v.attack}`);
  }
  return `the pattern could not be proven to run in linear time (${v.detail})`;
}
