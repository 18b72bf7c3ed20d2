// Every example of every built-in rule, one test each, run through an engine built from ALL built-in rules in
// their real order: a match example passes only when its own rule fires (not an earlier one), with the values the
// example expects; a noMatch example passes when its rule stays silent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { createEngine } from '../../src/rules/engine.js';
import { exampleRecord, normaliseExample } from '../../src/rules/examples.js';
import type { Example, RuleSpec } from '../../src/rules/spec.js';
import type { SecurityEvent } from '../../src/types.js';

const engine = createEngine({ rules: compileRules(BUILTIN_RULES) });

function run(spec: RuleSpec, ex: Example): SecurityEvent[] {
  const events: SecurityEvent[] = [];
  engine(exampleRecord(spec, ex), (e) => events.push(e));
  return events;
}

function label(spec: RuleSpec, ex: Example): string {
  const e = normaliseExample(spec, ex);
  const text = e.message || JSON.stringify(e.fields ?? {});
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}

for (const spec of BUILTIN_RULES) {
  describe(spec.id, () => {
    test('has at least one match example', () => {
      assert.ok(spec.examples.match.length > 0, `${spec.id} has no match example`);
    });
    spec.examples.match.forEach((ex, i) => {
      test(`matches #${i + 1}: ${label(spec, ex)}`, () => {
        const all = run(spec, ex);
        const mine = all.filter((e) => e.rule === spec.id);
        assert.ok(mine.length > 0, `${spec.id} did not fire; events: ${JSON.stringify(all.map((e) => e.rule))}`);
        const want = normaliseExample(spec, ex).expect ?? {};
        const e = mine[0]!;
        assert.equal(e.type, want.type ?? spec.type);
        if ('ip' in want) assert.equal(e.source.ip, want.ip);
        if ('port' in want) assert.equal(e.source.port, want.port);
        if ('user' in want) assert.equal(e.user, want.user);
        if ('phone' in want) assert.equal(e.phone, want.phone);
        if (want.count !== undefined) assert.equal(mine.length, want.count);
      });
    });
    (spec.examples.noMatch ?? []).forEach((ex, i) => {
      test(`does not match #${i + 1}: ${label(spec, ex)}`, () => {
        const fired = run(spec, ex).filter((e) => e.rule === spec.id);
        assert.deepEqual(fired, []);
      });
    });
  });
}
