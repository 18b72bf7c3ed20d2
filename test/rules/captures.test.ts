// A rule's numbered twin (captures.ts) matches where the rule's pattern matches and reads the same values by number.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { capturesOf } from '../../src/rules/captures.js';
import { compileRules, type CompiledRule } from '../../src/rules/compile.js';
import { normaliseExample } from '../../src/rules/examples.js';
import type { RuleSpec } from '../../src/rules/spec.js';

function spec(over: Partial<RuleSpec> & Pick<RuleSpec, 'id'>): RuleSpec {
  return { family: 'test', description: 'test rule', type: 'auth.failure', outcome: 'failure', examples: { match: [] }, ...over };
}

const one = (over: Partial<RuleSpec>): CompiledRule => compileRules([spec({ id: 't', ...over })])[0]!;
const NAMES = ['ip', 'user', 'phone', 'port', 'count'] as const;

describe('capturesOf', () => {
  test('every built-in rule with a twin: same matches and same values on its examples, with junk around them', () => {
    let twins = 0;
    for (const s of BUILTIN_RULES) {
      const rule = compileRules([s])[0]!;
      const c = capturesOf(rule);
      if (c === null) continue;
      twins++;
      const texts = [...s.examples.match, ...(s.examples.noMatch ?? [])].map((ex) => normaliseExample(s, ex).message ?? '');
      for (const t of texts.flatMap((x) => [x, `x ${x}`, `${x} x`, x.slice(0, -3)])) {
        const m = rule.regex!.exec(t);
        const n = c.regex.exec(t);
        assert.equal(n === null, m === null, `${s.id}: ${t}`);
        if (m === null || n === null) continue;
        for (const name of NAMES) assert.equal(c[name] === 0 ? undefined : n[c[name]], m.groups?.[name], `${s.id} ${name}: ${t}`);
      }
    }
    assert.ok(twins > 40, `only ${twins} twins`);
  });

  test('numbers groups as the pattern does: classes, escapes, lookarounds and unnamed groups', () => {
    const c = capturesOf(one({ pattern: String.raw`^[(?<>](a)\((?:c)(?<=c)(?<!d)(?<user>\w+) (?<ip>[^)]+)\) (?<port>\d+)` }))!;
    assert.deepEqual([c.user, c.ip, c.port, c.phone, c.count], [2, 3, 4, 0, 0]);
    const m = c.regex.exec('(a(cbob 203.0.113.9) 22')!;
    assert.deepEqual([m[c.user], m[c.ip], m[c.port]], ['bob', '203.0.113.9', '22']);
    assert.equal(c.regex.source.includes('?<user>'), false);
  });

  test('no twin for a back-reference by name, a decoder, a field, a level or a where condition', () => {
    assert.equal(capturesOf(one({ pattern: String.raw`(?<user>\w+) \k<user>` })), null);
    assert.equal(capturesOf(one({ field: 'url', decode: 'web', pattern: '(?<user>a)' })), null);
    assert.equal(capturesOf(one({ field: 'agent', pattern: '(?<user>a)' })), null);
    assert.equal(capturesOf(one({ levels: ['high'], pattern: '(?<user>a)' })), null);
    assert.equal(capturesOf(one({ where: { status: '401' }, pattern: '(?<user>a)' })), null);
    assert.equal(capturesOf(one({ literal: 'a' })), null);
    assert.notEqual(capturesOf(one({ pattern: '(?<user>a)', flags: 'iu' })), null);
  });

  test('built-in rules, whose twins are not checked at start: same groups as the pattern, none named', () => {
    const groups = (re: RegExp): RegExpExecArray => new RegExp(`(?:${re.source})|`, re.flags).exec('')!;
    let twins = 0;
    for (const rule of compileRules(BUILTIN_RULES, { builtin: true })) {
      const c = capturesOf(rule);
      if (c === null) continue;
      twins++;
      assert.equal(rule.programText, true, rule.id);
      assert.equal(groups(c.regex).length, groups(rule.regex!).length, rule.id);
      assert.equal(groups(c.regex).groups, undefined, rule.id);
    }
    assert.ok(twins > 40, `only ${twins} twins`);
  });
});
