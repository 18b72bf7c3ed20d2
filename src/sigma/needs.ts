// What a Sigma rule needs of a record before it can match: text that some fields must hold, found for every rule at
// once by one scan per field (engine.ts), so that a record runs only the rules whose texts it holds. Without it,
// every web record ran every web rule's tests: SigmaHQ's 86 webserver rules cost ~37 µs an access line, ~600 calls
// of `includes`. A need is worked out from the rule as it is compiled, and it is only ever a necessary condition: a
// rule whose need does not hold cannot match, and one whose need holds runs its tests as before.
import type { Condition } from './condition.js';

/** Field `field` (a Sigma name; '' for keywords), lowercased, holds `text` (lowercase, not empty). */
export interface NeedText {
  readonly field: string;
  readonly text: string;
}

/** One of these texts is held. */
export type Clause = readonly NeedText[];

/**
 * Every clause holds whenever the rule (or a part of it) matches. No clause: nothing is known, the rule always runs.
 * Clauses of an `and` are all kept: `cs-method: GET and <keywords>` needs both, where GET alone holds on most lines.
 */
export type Need = readonly Clause[];

export const NOTHING: Need = [];

/** A text the lowercased field must hold; an empty one says nothing. */
export function textNeed(field: string, text: string): Need {
  return text === '' ? NOTHING : [[{ field, text }]];
}

/** All the parts hold: every clause of each. */
export function allOf(needs: readonly Need[]): Need {
  const out: Clause[] = [];
  for (const n of needs) for (const c of n) if (!out.some((o) => sameClause(o, c))) out.push(c);
  return out;
}

/**
 * One of the parts holds: then one of their clauses does, whichever it is. When a part has several, the one taken is
 * the one whose shortest text is longest (the rarest, as a rule); a part without any makes the whole say nothing.
 */
export function anyOf(needs: readonly Need[]): Need {
  const out: NeedText[] = [];
  for (const n of needs) {
    if (n.length === 0) return NOTHING;
    let best = n[0]!;
    for (const c of n) if (better(c, best)) best = c;
    for (const t of best) if (!out.some((o) => o.field === t.field && o.text === t.text)) out.push(t);
  }
  return [out];
}

function sameClause(a: Clause, b: Clause): boolean {
  return a.length === b.length && a.every((t) => b.some((u) => u.field === t.field && u.text === t.text));
}

function shortest(c: Clause): number {
  let m = Infinity;
  for (const t of c) m = Math.min(m, t.text.length);
  return m;
}

function better(a: Clause, b: Clause): boolean {
  const sa = shortest(a);
  const sb = shortest(b);
  return sa !== sb ? sa > sb : a.length < b.length;
}

/** The need of a condition over selections whose needs are given. `not` says nothing. */
export function needOfCondition(c: Condition, needs: ReadonlyMap<string, Need>): Need {
  switch (c.op) {
    case 'sel':
      return needs.get(c.name) ?? NOTHING;
    case 'not':
      return NOTHING;
    case 'and':
      return allOf(c.args.map((a) => needOfCondition(a, needs)));
    case 'or':
      return anyOf(c.args.map((a) => needOfCondition(a, needs)));
  }
}
