// Users' rule files: valid files load in order with their origins; each broken file in fixtures/rules/invalid/
// gives its expected diagnostics (fixtures/golden/rules/<case>.stderr), file:line:column first.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { builtinRules } from '../../src/rules/compose.js';
import { formatDiagnostic, keyPathOf, loadRuleFiles } from '../../src/rules/load.js';
import { assertGolden } from '../helpers/golden.js';
import { ROOT, fixture } from '../helpers/paths.js';

test('a valid rule file loads: ids, types, severities, origin', async () => {
  const loaded = await loadRuleFiles(['fixtures/rules/valid'], ROOT);
  assert.deepEqual(loaded.diagnostics, []);
  assert.deepEqual(loaded.rules.map((r) => [r.id, r.type, r.severity, r.outcome]), [
    ['site.vpnd_failed', 'auth.failure', 'medium', 'failure'],
    ['site.vpnd_ok', 'auth.success', 'info', 'success'],
  ]);
  assert.equal(loaded.origins.get('site.vpnd_failed'), 'fixtures/rules/valid/vpnd.yaml');
});

const taken = new Set(builtinRules().map((r) => r.id));
for (const file of readdirSync(fixture('rules', 'invalid')).filter((f) => f.endsWith('.yaml'))) {
  test(`invalid rule file ${file}: diagnostics as expected`, async () => {
    const loaded = await loadRuleFiles([`fixtures/rules/invalid/${file}`], ROOT, taken);
    assert.ok(loaded.diagnostics.length > 0, 'a broken file must give at least one diagnostic');
    // Only duplicate-id.yaml has a valid rule: the first of the two with the same id.
    assert.deepEqual(loaded.rules.map((r) => r.id), file === 'duplicate-id.yaml' ? ['site.twice'] : []);
    assertGolden(loaded.diagnostics.map(formatDiagnostic).join(''), 'rules', file.replace(/\.yaml$/, '.stderr'));
  });
}

test('diagnostic positions, written out', async () => {
  const at = async (file: string): Promise<string[]> =>
    (await loadRuleFiles([`fixtures/rules/invalid/${file}`], ROOT, taken)).diagnostics.map((d) => `${d.line}:${d.column}`);
  assert.deepEqual(await at('unknown-key.yaml'), ['6:3']); // the misspelt key itself
  assert.deepEqual(await at('bad-type.yaml'), ['5:11']); // the value of type
  assert.deepEqual(await at('duplicate-id.yaml'), ['8:7', '15:7']); // the second id, and a built-in's id
  assert.deepEqual(await at('redos.yaml'), ['6:12']); // the pattern
  assert.deepEqual(await at('yaml-syntax.yaml'), ['5:1']);
});

test('a missing path is a file-level diagnostic', async () => {
  const loaded = await loadRuleFiles(['fixtures/rules/nope.yaml'], ROOT);
  assert.deepEqual(loaded.diagnostics, [{ file: 'fixtures/rules/nope.yaml', line: 0, column: 0, message: 'cannot read: no such file or directory' }]);
  assert.equal(formatDiagnostic(loaded.diagnostics[0]!), 'fixtures/rules/nope.yaml: error: cannot read: no such file or directory\n');
});

test('compile errors name the key they are about', () => {
  assert.deepEqual(keyPathOf("rule 'x': unknown key 'patern'"), { path: ['patern'], key: true });
  assert.deepEqual(keyPathOf("rule 'x': unknown key 'take.host'"), { path: ['take', 'host'], key: true });
  assert.deepEqual(keyPathOf("rule 'x': 'where.status' must be a string"), { path: ['where', 'status'], key: false });
  assert.deepEqual(keyPathOf("rule 'x': unknown severity 'hi'"), { path: ['severity'], key: false });
  assert.deepEqual(keyPathOf("rule 'x': unknown named group 'u' in the pattern"), { path: ['pattern'], key: false });
  assert.equal(keyPathOf("rule 'x': needs a pattern, a literal, a where condition or levels"), null);
});
