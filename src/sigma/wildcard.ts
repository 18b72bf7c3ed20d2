// Sigma string values with wildcards (`*` any run, `?` one character, `\*` `\?` `\\` escapes) compiled to string
// operations: no regex, so a value test is linear in the text whatever the rule says. Leftmost placement of each
// piece between stars is optimal for `*` globs, so there is never any backtracking.

/** One piece between stars; `any[i]` true where the pattern has `?`. */
interface Piece {
  text: string;
  any: boolean[] | null;
}

export interface Glob {
  /** The pieces between stars, in order. */
  readonly pieces: readonly Piece[];
  readonly leadingStar: boolean;
  readonly trailingStar: boolean;
}

/** Parses Sigma wildcard syntax. A backslash escapes only `*`, `?` and `\`; before anything else it is literal. */
export function parseGlob(pattern: string): Glob {
  const pieces: Piece[] = [];
  let text = '';
  let any: boolean[] | null = null;
  const starAt: number[] = [];
  const end = (): void => {
    pieces.push({ text, any });
    text = '';
    any = null;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      text += next;
      i++;
      if (any !== null) any.push(false);
    } else if (c === '*') {
      starAt.push(i);
      end();
    } else if (c === '?') {
      any ??= Array.from({ length: text.length }, () => false);
      any.push(true);
      text += '?';
    } else {
      text += c;
      if (any !== null) any.push(false);
    }
  }
  end();
  const leadingStar = starAt[0] === 0;
  const trailingStar = starAt.length > 0 && starAt[starAt.length - 1] === pattern.length - 1;
  return { pieces: pieces.filter((p, i) => p.text !== '' || (i === 0 && !leadingStar && pieces.length === 1)), leadingStar, trailingStar };
}

function pieceAt(v: string, p: Piece, at: number): boolean {
  if (p.any === null) return v.startsWith(p.text, at);
  if (at + p.text.length > v.length) return false;
  for (let k = 0; k < p.text.length; k++) if (!p.any[k] && v.charCodeAt(at + k) !== p.text.charCodeAt(k)) return false;
  return true;
}

/** First position >= from where the piece matches, or -1. */
function find(v: string, p: Piece, from: number): number {
  if (p.any === null) return v.indexOf(p.text, from);
  for (let i = from; i + p.text.length <= v.length; i++) if (pieceAt(v, p, i)) return i;
  return -1;
}

/** Whether `v` matches the glob as a whole (Sigma's plain value semantics; contains = `*x*`). */
export function globMatch(g: Glob, v: string): boolean {
  const pieces = g.pieces;
  if (pieces.length === 0) return g.leadingStar || g.trailingStar || v === '';
  if (pieces.length === 1 && !g.leadingStar && !g.trailingStar) return v.length === pieces[0]!.text.length && pieceAt(v, pieces[0]!, 0);
  let pos = 0;
  let first = 0;
  let last = pieces.length;
  if (!g.leadingStar) {
    if (!pieceAt(v, pieces[0]!, 0)) return false;
    pos = pieces[0]!.text.length;
    first = 1;
  }
  let endLimit = v.length;
  if (!g.trailingStar) {
    const p = pieces[pieces.length - 1]!;
    const at = v.length - p.text.length;
    if (at < pos || !pieceAt(v, p, at)) return false;
    endLimit = at;
    last = pieces.length - 1;
  }
  for (let i = first; i < last; i++) {
    const p = pieces[i]!;
    const at = find(v, p, pos);
    if (at < 0 || at + p.text.length > endLimit) return false;
    pos = at + p.text.length;
  }
  return true;
}

export type Anchor = 'whole' | 'contains' | 'startswith' | 'endswith';

/**
 * A compiled value test. Unless `cased`, the pattern is lowercased here and the caller passes lowercased text.
 * The modifier's stars are added to the parsed glob, not to the text, so that a value ending in `\` stays literal.
 */
export function compileGlob(pattern: string, cased: boolean, anchor: Anchor = 'whole'): (v: string) => boolean {
  const parsed = parseGlob(cased ? pattern : pattern.toLowerCase());
  const g: Glob = {
    pieces: parsed.pieces.filter((p) => p.text !== ''),
    leadingStar: parsed.leadingStar || anchor === 'contains' || anchor === 'endswith',
    trailingStar: parsed.trailingStar || anchor === 'contains' || anchor === 'startswith',
  };
  if (g.pieces.length === 0 && !g.leadingStar && !g.trailingStar) return (v) => v === '';
  // The commonest shapes as one string operation.
  if (g.pieces.length === 1 && g.pieces[0]!.any === null) {
    const t = g.pieces[0]!.text;
    if (g.leadingStar && g.trailingStar) return (v) => v.includes(t);
    if (g.leadingStar) return (v) => v.endsWith(t);
    if (g.trailingStar) return (v) => v.startsWith(t);
    return (v) => v === t;
  }
  return (v) => globMatch(g, v);
}

/** Whether the pattern has an unescaped `*` or `?`. */
export function hasWildcard(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?') return true;
  }
  return false;
}

/**
 * The longest run of fixed characters in the glob (between stars, and between `?`s in a piece): text any value the
 * glob matches holds. '' when there is none (`*`, `?`).
 */
export function longestLiteral(g: Glob): string {
  let best = '';
  for (const p of g.pieces) {
    if (p.any === null) {
      if (p.text.length > best.length) best = p.text;
      continue;
    }
    let start = 0;
    for (let k = 0; k <= p.text.length; k++) {
      if (k < p.text.length && !p.any[k]) continue;
      if (k - start > best.length) best = p.text.slice(start, k);
      start = k + 1;
    }
  }
  return best;
}
