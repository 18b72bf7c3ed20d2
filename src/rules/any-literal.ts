// Regexes that find any of a few literals: the literal prefilter of a rule ignoring case (matcher.ts), and a field
// memo's one test for the literals of all its rules (value-memo.ts), which the memo cannot import from matcher.ts
// (matcher.ts imports the memo).

const SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** A regex that finds any of the literals (in any case with the `i` flag). */
export function anyLiteral(literals: readonly string[], flags: string): RegExp {
  return new RegExp(literals.map(escapeLiteral).join('|'), flags);
}

/** Escapes a literal for use inside a regex (an alternation, or after `^`). */
export function escapeLiteral(s: string): string {
  return s.replace(SPECIAL, '\\$&');
}
