// Issue 8: every built-in rule pattern is proven linear by recheck's automaton checker, with its bounded repeats
// widened (redos.ts checkLinear: a proof, not fuzzing), through the parts proofParts cuts it into. A pattern
// reported vulnerable or unknown is a bug in that rule: the failure names the rule and the part.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinRules } from '../../src/rules/compose.js';
import { checkPatterns, widenBounds } from '../../src/rules/redos.js';

test('widening keeps classes, escapes and exact counts', () => {
  assert.equal(widenBounds('^a{0,128}[x{1,2}]\\{3,4}b{2}c{1,5}?$'), '^a{0,}[x{1,2}]\\{3,4}b{2}c{1,}?$');
});

test('the strict check refuses overlapping bounded neighbours', async () => {
  const [overlap, disjoint] = await checkPatterns(
    [
      { source: '^x (?<user>.{0,128}) (?<ip>\\S{1,255})(?:: [^\\n]{0,512})?$', flags: '' },
      { source: '^x (?<user>[^ ]{0,128}) (?<ip>\\S{1,255})(?:: [^\\n]{0,512})?$', flags: '' },
    ],
    { strict: true },
  );
  assert.equal(overlap!.status, 'vulnerable');
  assert.equal(disjoint!.status, 'safe');
});

test('recheck proves every built-in pattern linear', { timeout: 300_000 }, async () => {
  const rules = builtinRules().filter((r) => r.regex !== null);
  assert.ok(rules.length > 50, `expected the built-in patterns, got ${rules.length}`);
  // The native checker runs requests on its own threads: two at a time fill this machine's two cores.
  const list = rules.map((r) => ({ source: r.regex!.source, flags: r.regex!.flags }));
  const verdicts = await checkPatterns(list, { strict: true, parallel: 2 });
  const bad = verdicts.flatMap((v, i) => (v.status === 'safe' ? [] : [`${rules[i]!.id}: ${v.status} (${v.detail})`]));
  assert.deepEqual(bad, []);
});
