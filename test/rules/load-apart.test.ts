// Rule files loaded on a thread of their own (what a scan does) give what loading them on the scan's thread gives:
// the same compiled rules, origins and diagnostics, and the same events from those rules; and if that thread cannot
// run, they are loaded here.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { builtinRules } from '../../src/rules/compose.js';
import { createEngine } from '../../src/rules/engine.js';
import { loadRuleFilesApart } from '../../src/rules/load-apart.js';
import { loadRuleFiles, type LoadedRules } from '../../src/rules/load.js';
import type { LogRecord, SecurityEvent } from '../../src/types.js';
import { NO_FIELDS } from '../../src/types.js';
import { ROOT, fixture } from '../helpers/paths.js';

const taken = new Set(builtinRules().map((r) => r.id));
const CASES = ['fixtures/rules/valid', ...readdirSync(fixture('rules', 'invalid')).filter((f) => f.endsWith('.yaml')).map((f) => `fixtures/rules/invalid/${f}`)];

function eventsOf(loaded: LoadedRules, messages: readonly string[]): SecurityEvent[] {
  const engine = createEngine({ rules: loaded.rules });
  const out: SecurityEvent[] = [];
  messages.forEach((message, i) => {
    const record: LogRecord = {
      file: 'vpnd.log', line: i + 1, format: 'syslog', time: Date.UTC(2026, 10, 24, 10, 0, i), host: 'gw1', program: 'vpnd', pid: 77,
      level: null, message, fields: NO_FIELDS, raw: message,
    };
    engine(record, (e) => out.push(e));
  });
  return out;
}

describe('rule files loaded on a thread of their own', () => {
  for (const path of CASES) {
    it(`${path}: the same rules, origins and diagnostics as on this thread`, async () => {
      const here = await loadRuleFiles([path], ROOT, taken);
      const apart = await loadRuleFilesApart([path], ROOT, taken);
      assert.deepStrictEqual(apart, here);
      if (path.endsWith('valid')) assert.equal(apart.rules.length, 2);
      else assert.ok(apart.diagnostics.length > 0);
    });
  }

  it('the cloned rules make the same events (patterns, flags and named groups survive the copy)', async () => {
    const messages = [
      'login failed for alice from 203.0.113.7 port 51820 (bad password)',
      'login ok for bob from 2001:db8::42 port 51820',
      'LOGIN FAILED for carol from 198.51.100.3 port 1',
      'login failed for  from 203.0.113.7 port 51820',
    ];
    const here = eventsOf(await loadRuleFiles(['fixtures/rules/valid'], ROOT, taken), messages);
    const apart = eventsOf(await loadRuleFilesApart(['fixtures/rules/valid'], ROOT, taken), messages);
    assert.deepStrictEqual(apart, here);
    assert.deepEqual(here.map((e) => [e.rule, e.user, e.source.ip]), [
      ['site.vpnd_failed', 'alice', '203.0.113.7'],
      ['site.vpnd_ok', 'bob', '2001:db8::42'],
    ]);
  });

  it('loads on this thread when the other one cannot run', async () => {
    const broken = new URL('./no-such-loader.js', import.meta.url);
    const loaded = await loadRuleFilesApart(['fixtures/rules/valid'], ROOT, taken, broken);
    assert.deepStrictEqual(loaded, await loadRuleFiles(['fixtures/rules/valid'], ROOT, taken));
  });
});
