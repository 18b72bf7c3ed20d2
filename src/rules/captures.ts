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
  const { source, groups } = unname(re.source, names);
  let twin: RegExp;
  try {
    twin = new RegExp(source, re.flags);
  } catch {
    return null;
  }
  // A built-in rule's twin is checked by test/rules/captures.test.ts instead (compiling ~90 patterns twice more took
  // ~6 ms of every start); `programText` is set on built-in rules only, and on every one that can get here.
  if (!rule.programText && !groupsAsCounted(twin, groups)) return null;
  const at = (name: string): number => names.get(name) ?? 0;
  return { regex: twin, ip: at('ip'), user: at('user'), phone: at('phone'), port: at('port'), count: at('count') };
}

/** The source with `(?<name>` written `(`, recording each name's group number; and how many groups it has. */
function unname(src: string, names: Map<string, number>): { source: string; groups: number } {
  let out = '';
  let from = 0;
  let group = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === BACKSLASH) {
      i++;
      continue;
    }
    if (inClass) inClass = c !== CLOSE_CLASS;
    else if (c === OPEN_CLASS) inClass = true;
    else if (c === OPEN && src.charCodeAt(i + 1) !== QUESTION) group++;
    else if (c === OPEN && src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
      const end = src.indexOf('>', i);
      names.set(src.slice(i + 3, end), ++group);
      out += src.slice(from, i) + '(';
      from = end + 1;
      i = end;
    }
  }
  return { source: out + src.slice(from), groups: group };
}

const BACKSLASH = 0x5c;
const OPEN = 0x28;
const QUESTION = 0x3f;
const OPEN_CLASS = 0x5b;
const CLOSE_CLASS = 0x5d;

/**
 * Whether V8 numbers the twin's groups as unname counted them, with no name left: a `(` unname misread (in a class,
 * after an escape) changes the count, and a named group it missed stays named. One compile of the twin (an
 * alternative that matches the empty text gives a match array with every group, unmatched), where comparing it with
 * the pattern compiled both.
 */
function groupsAsCounted(twin: RegExp, groups: number): boolean {
  const m = new RegExp(`(?:${twin.source})|`, twin.flags).exec('')!;
  return m.length === groups + 1 && m.groups === undefined;
}
