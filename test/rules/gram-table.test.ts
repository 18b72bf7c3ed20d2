// The grams of the built-in field gates worked out ahead (src/rules/gram-table.ts): every built-in gate has its entry,
// every entry is what requiredGrams reads from its pattern, and gramFilter uses an entry only for its exact pattern
// and flags. UPDATE_GRAM_TABLE=1 rewrites the table from the built-in rules (review the diff).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { fieldGates } from '../../src/rules/field-gate.js';
import { gramFilter, requiredGrams } from '../../src/rules/gram-filter.js';
import { GRAM_TABLE, knownGrams } from '../../src/rules/gram-table.js';
import { ROOT } from '../helpers/paths.js';

const sorted = (g: Iterable<string> | null): string[] | null => (g === null ? null : [...g].sort());
const gates = [...new Set(fieldGates(compileRules(BUILTIN_RULES, { builtin: true })).values())];

/** A TS string literal with every character outside printable ASCII escaped (the grams hold U+007F). */
const literal = (s: string): string => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function tableSource(): string {
  const entries = gates.map((g) => `  [${literal(g.flags)}, ${literal(g.source)},\n    [${[...requiredGrams(g.source, g.flags)!].map(literal).join(', ')}]],`);
  const head = `// The grams (gram-filter.ts) of the built-in field gates, worked out ahead: reading them from the URL signatures'
// 4 KB alternation cost ~50 ms of every scan of an access log. Written by test/rules/gram-table.test.ts
// (UPDATE_GRAM_TABLE=1), which checks every entry against requiredGrams. A pattern not in the table (a changed rule, a
// user's rules joining a gate) has its grams worked out on its first test, as before.

/** [flags, pattern source, grams]. */
export const GRAM_TABLE: readonly (readonly [string, string, readonly string[]])[] = [
`;
  const tail = `];

let byKey: Map<string, readonly string[]> | null = null;

/** The grams of a pattern in the table (a fresh set), or null when it is not there. */
export function knownGrams(source: string, flags: string): Set<string> | null {
  byKey ??= new Map(GRAM_TABLE.map(([f, s, g]) => [\`\${f}/\${s}\`, g]));
  const grams = byKey.get(\`\${flags}/\${source}\`);
  return grams === undefined ? null : new Set(grams);
}
`;
  return head + entries.join('\n') + '\n' + tail;
}

const UPDATING = process.env['UPDATE_GRAM_TABLE'] === '1';
if (UPDATING) writeFileSync(join(ROOT, 'src', 'rules', 'gram-table.ts'), tableSource());
// This run's build still holds the old table: the next `npm test` checks the new one.
const whenNotUpdating = { skip: UPDATING ? 'the table was just rewritten: the next run checks it' : false };

const STALE = 'src/rules/gram-table.ts is stale: UPDATE_GRAM_TABLE=1 npm test rewrites it (review the diff)';

test('every built-in gate has an entry, with the grams requiredGrams reads from its pattern', whenNotUpdating, () => {
  assert.ok(gates.length >= 1);
  for (const g of gates) {
    assert.ok(g.source.length > 1000 || gates.length > 1, 'the URL signatures gate');
    assert.deepEqual(sorted(knownGrams(g.source, g.flags)), sorted(requiredGrams(g.source, g.flags)), STALE);
  }
});

test('every entry is what requiredGrams gives for its pattern and flags (none left from an old rule)', whenNotUpdating, () => {
  for (const [flags, source, grams] of GRAM_TABLE) {
    assert.deepEqual(sorted(grams), sorted(requiredGrams(source, flags)), STALE);
    assert.ok(gates.some((g) => g.source === source && g.flags === flags), STALE);
  }
});

test('an entry serves only its exact pattern and flags; its set is a fresh copy', () => {
  const [flags, source, grams] = GRAM_TABLE[0]!;
  assert.equal(knownGrams(source + 'x', flags), null);
  assert.equal(knownGrams(source, flags === 'i' ? '' : 'i'), null);
  assert.equal(knownGrams('ab', ''), null);
  const a = knownGrams(source, flags)!;
  a.clear();
  assert.equal(knownGrams(source, flags)!.size, new Set(grams).size);
});

test('gramFilter on a table pattern lets through what the regex matches, and turns away a plain URL', () => {
  const gate = gates[0]!;
  const plain = new RegExp(gate.source, gate.flags); // the gate itself runs the filter first
  const holds = gramFilter(gate.source, gate.flags)!;
  for (const v of ['/etc/passwd', '/?q=1 union select 2', '/a<script>', '/../../x', '/wp-login.php', '/.env']) {
    assert.equal(plain.test(v), true, v);
    assert.equal(holds(v), true, v);
  }
  assert.equal(holds('/products/12345'), false);
  assert.equal(plain.test('/products/12345'), false);
});
