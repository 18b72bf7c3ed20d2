// The event builder trims captured and field values and turns the placeholders logs write (`-`, `(unknown)`...) into
// null (rules/event.ts value()): it skips trim() when both ends are printable ASCII and reads a table for the first
// character, so whitespace of every kind at either end, and every placeholder, must still be handled as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileRules } from '../../src/rules/compile.js';
import { createEventKit } from '../../src/rules/event.js';
import type { RuleSpec } from '../../src/rules/spec.js';
import { rec } from './rec.js';

const SPEC: RuleSpec = {
  id: 't.values', family: 'test', description: 'test rule', type: 'auth.failure', outcome: 'failure', examples: { match: [] },
  pattern: '^x$',
};
const [RULE] = compileRules([SPEC]);
const PLACEHOLDERS = ['', '-', '?', '(null)', '(unknown)', 'unknown', 'UNKNOWN'];
// what String.prototype.trim removes, and characters at the edge of the printable ASCII range
const EDGES = [' ', '\t', '\n', '\u000b', '\u00a0', '\u1680', '\u2028', '\u202f', '\u3000', '\ufeff', '!', '~', '\u007f', 'é', '-', '('];

/** What value() said before it was made faster: the trimmed text, or null for nothing or a placeholder. */
function expected(v: string): string | null {
  const t = v.trim();
  return PLACEHOLDERS.includes(t) ? null : t;
}

test('values are trimmed of any whitespace, and placeholders are null', () => {
  const core = fc.oneof(fc.constantFrom(...PLACEHOLDERS, 'root', 'a', '203.0.113.9'), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }));
  const edge = fc.array(fc.constantFrom(...EDGES), { maxLength: 3 }).map((a) => a.join(''));
  fc.assert(
    fc.property(edge, core, edge, (before, mid, after) => {
      const v = before + mid + after;
      const e = createEventKit().build(rec({ message: 'x' }), RULE!, { user: v, phone: v });
      assert.equal(e.user, expected(v));
      assert.equal(e.phone, expected(v));
    }),
  );
});

test('each placeholder, bare or padded, is null; a value that only starts like one is kept', () => {
  const build = createEventKit().build;
  for (const p of PLACEHOLDERS) {
    for (const v of [p, ` ${p}`, `${p}\u00a0`, `\t${p}\t`]) assert.equal(build(rec({ message: 'x' }), RULE!, { user: v }).user, null, JSON.stringify(v));
  }
  for (const v of ['-x', '?!', '(none)', 'unknowns', 'Unknown', 'u']) assert.equal(build(rec({ message: 'x' }), RULE!, { user: v }).user, v);
});
