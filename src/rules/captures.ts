// A rule's pattern with its named groups turned into numbered ones, for the engine's direct path: V8 builds a
// dictionary object for the named groups of every match (and each read of it is a hash look-up), where the values
// can be read from the match array by number. Same pattern, same matches: only the names go.
import type { CompiledRule } from './compile.js';

/** Group numbers of the values an event takes (0: the pattern has no such group). */
export interface Captures {
  /** The pattern without group names (same flags, same group numbers). */
  readonly regex: RegExp;
  readonly ip: number;
  readonly user: number;
  readonly phone: number;
  readonly port: number;
  readonly count: number;
}

/**
 * The numbered twin of a rule that reads the message alone with a pattern and nothing else to check (no formats,
 * levels, where, decoder), or null. Also null for a pattern that refers to a group by name (`\k<user>`), or whose
 * twin would not have the same groups (checked, not assumed).
 */
export function capturesOf(rule: CompiledRule): Captures | null {
  const re = rule.regex;
  if (re === null || rule.decode !== null || rule.fields.length !== 1 || rule.fields[0] !== 'message') return null;
  if (rule.formats !== null || rule.levels !== null || rule.where.length > 0 || re.source.includes('\\k<')) return null;
  const names = new Map<string, number>();
  const source = unname(re.source, names);
  let twin: RegExp;
  try {
    twin = new RegExp(source, re.flags);
  } catch {
    return null;
  }
  if (!sameGroups(re, twin, names)) return null;
  const at = (name: string): number => names.get(name) ?? 0;
  return { regex: twin, ip: at('ip'), user: at('user'), phone: at('phone'), port: at('port'), count: at('count') };
}

/** The source with `(?<name>` written `(`, recording each name's group number. */
function unname(src: string, names: Map<string, number>): string {
  let out = '';
  let group = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && src[i + 1] !== '?') group++;
    else if (c === '(' && src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
      const end = src.indexOf('>', i);
      names.set(src.slice(i + 3, end), ++group);
      out += '(';
      i = end;
      continue;
    }
    out += c;
  }
  return out;
}

/** Whether the twin has as many groups as the pattern, and the pattern's named groups are the recorded ones. */
function sameGroups(re: RegExp, twin: RegExp, names: ReadonlyMap<string, number>): boolean {
  // An alternative that matches the empty text gives a match array with every group (unmatched).
  const empty = (r: RegExp, src: string): RegExpExecArray => new RegExp(`(?:${src})|`, r.flags).exec('')!;
  const a = empty(re, re.source);
  const b = empty(twin, twin.source);
  const named = Object.keys(a.groups ?? {});
  return a.length === b.length && b.groups === undefined && named.length === names.size && named.every((n) => names.has(n));
}
