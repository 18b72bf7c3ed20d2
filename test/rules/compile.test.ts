// compileRules: what it makes of a valid spec, and the RuleError (message and hint) for each kind of bad spec,
// since users' rule files will go through the same checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RuleError } from '../../src/errors.js';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules, requiredPrefix } from '../../src/rules/compile.js';
import type { RuleSpec } from '../../src/rules/spec.js';

function spec(over: Record<string, unknown>): RuleSpec {
  return {
    id: 'test.rule',
    family: 'test',
    description: 'a test rule',
    type: 'auth.failure',
    outcome: 'failure',
    pattern: '^Failed (?<user>\\S+)',
    examples: { match: ['Failed bob'] },
    ...over,
  } as unknown as RuleSpec;
}

function rejects(over: Record<string, unknown>, message: string, hint?: RegExp): void {
  assert.throws(
    () => compileRules([spec(over)]),
    (err: unknown) => {
      assert.ok(err instanceof RuleError, 'a RuleError');
      assert.equal(err.message, message);
      assert.equal(err.exitCode, 2);
      if (hint !== undefined) assert.match(err.hint ?? '', hint);
      return true;
    },
  );
}

describe('compileRules: valid specs', () => {
  test('every built-in rule compiles, with a unique id', () => {
    const rules = compileRules(BUILTIN_RULES);
    assert.equal(rules.length, BUILTIN_RULES.length);
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
  });

  test('defaults: severity from the event type, reads the message, first-match mode', () => {
    const [r] = compileRules([spec({ type: 'web.sqli', outcome: 'unknown' })]);
    assert.equal(r!.severity, 'high');
    assert.deepEqual(r!.fields, ['message']);
    assert.equal(r!.mode, 'first');
    assert.equal(r!.programs, null);
    assert.deepEqual(r!.take, { ip: 'ip', port: 'port', user: 'user', phone: 'phone' });
    assert.equal(r!.prefix, 'Failed ');
  });

  test('an explicit severity, a field list, a literal list, programs with null, fallback', () => {
    const [r] = compileRules([
      spec({ severity: 'low', field: ['agent', 'referer'], literal: ['a', 'b'], programs: ['vsftpd', null], fallback: true }),
    ]);
    assert.equal(r!.severity, 'low');
    assert.deepEqual(r!.fields, ['agent', 'referer']);
    assert.deepEqual(r!.literals, ['a', 'b']);
    assert.deepEqual(r!.programs, ['vsftpd', null]);
    assert.equal(r!.mode, 'fallback');
    assert.deepEqual(r!.gate, ['agent', 'referer']);
  });

  test('where conditions normalise and gate the rule', () => {
    const [r] = compileRules([spec({ pattern: undefined, where: { audit_type: 'USER_LOGIN', res: ['failed', 'no'], url: false } })]);
    assert.deepEqual(r!.where, [
      { field: 'audit_type', values: ['USER_LOGIN'], present: true },
      { field: 'res', values: ['failed', 'no'], present: true },
      { field: 'url', values: null, present: false },
    ]);
    assert.deepEqual(r!.gate, ['audit_type']);
    assert.equal(r!.regex, null);
  });

  test('numbers in where are their text (YAML `status: 401`)', () => {
    const [r] = compileRules([spec({ where: { status: 401, code: [403, '404'] } })]);
    assert.deepEqual(r!.where, [
      { field: 'status', values: ['401'], present: true },
      { field: 'code', values: ['403', '404'], present: true },
    ]);
  });
});

describe('compileRules: bad specs', () => {
  test('id', () => {
    rejects({ id: '' }, "rule #1: 'id' must be a string of letters, digits, '.', '_' or '-'", /sshd\.failed_password/);
    rejects({ id: 'has space' }, "rule #1: 'id' must be a string of letters, digits, '.', '_' or '-'");
  });

  test('duplicate ids', () => {
    assert.throws(() => compileRules([spec({}), spec({})]), { name: 'RuleError', message: "rule 'test.rule': duplicate id" });
  });

  test('unknown keys name the valid ones', () => {
    rejects({ patern: 'x' }, "rule 'test.rule': unknown key 'patern'", /valid keys: id, family, description, type/);
  });

  test('type, severity, outcome', () => {
    rejects({ type: 'auth.failed' }, "rule 'test.rule': unknown event type 'auth.failed'", /auth\.failure, auth\.invalid_user/);
    rejects({ severity: 'severe' }, "rule 'test.rule': unknown severity 'severe'", /info, low, medium, high, critical/);
    rejects({ outcome: 'ok' }, "rule 'test.rule': unknown outcome 'ok'", /success, failure, unknown/);
  });

  test('patterns: syntax, flags, group names', () => {
    rejects({ pattern: '(unclosed' }, "rule 'test.rule': invalid pattern: Invalid regular expression: /(unclosed/: Unterminated group");
    rejects({ flags: 'g' }, "rule 'test.rule': invalid flags 'g'", /no g or y/);
    rejects({ flags: 'ii' }, "rule 'test.rule': invalid flags 'ii'");
    rejects({ pattern: '^Failed (?<usr>\\S+)' }, "rule 'test.rule': unknown named group 'usr' in the pattern", /ip, port, user, phone, count/);
    rejects({ pattern: undefined, flags: 'i', literal: 'x' }, "rule 'test.rule': 'flags' without a 'pattern'");
  });

  test('a rule must have some condition', () => {
    rejects({ pattern: undefined }, "rule 'test.rule': needs a pattern, a literal, a where condition or levels (it would match every record)");
  });

  test('lists and values', () => {
    rejects({ programs: [] }, "rule 'test.rule': 'programs' must be a non-empty list of program names ('name', 'prefix*', or null for none)");
    rejects({ programs: ['*'] }, "rule 'test.rule': 'programs' must be a non-empty list of program names ('name', 'prefix*', or null for none)");
    rejects({ formats: [] }, "rule 'test.rule': 'formats' must be a non-empty list of format names (or null for unparsed lines)");
    rejects({ formats: ['json', ''] }, "rule 'test.rule': 'formats' must be a non-empty list of format names (or null for unparsed lines)");
    rejects({ levels: ['loud'] }, "rule 'test.rule': unknown level 'loud' in 'levels'");
    rejects({ literal: '' }, "rule 'test.rule': 'literal' must be a non-empty list of non-empty strings (or one string)");
    rejects({ where: { res: { a: 1 } } }, "rule 'test.rule': 'where.res' must be a string, a list of strings, true (present) or false (absent)");
    rejects({ where: { res: [] } }, "rule 'test.rule': 'where.res' must be a string, a list of strings, true (present) or false (absent)");
    rejects({ decode: 'base64' }, "rule 'test.rule': unknown decode 'base64'", /web/);
    rejects({ take: { host: 'x' } }, "rule 'test.rule': unknown key 'take.host'");
    rejects({ additive: true, fallback: true }, "rule 'test.rule': a rule cannot be both 'additive' and 'fallback'");
    rejects({ examples: ['x'] }, "rule 'test.rule': 'examples' must be { match: [...], noMatch?: [...] }");
    rejects({ examples: { match: 'x' } }, "rule 'test.rule': 'examples.match' must be a list");
  });

  test('not a mapping at all', () => {
    assert.throws(() => compileRules([null as unknown as RuleSpec]), { message: 'rule #1: must be a mapping of keys to values' });
  });
});

describe('requiredPrefix', () => {
  test('the literal start of an anchored pattern', () => {
    assert.equal(requiredPrefix(/^pam_unix\(sshd:auth\): x/), 'pam_unix(sshd:auth): x');
    assert.equal(requiredPrefix(/^Failed \S+/), 'Failed ');
    assert.equal(requiredPrefix(/^Accepted (?:password|publickey)/), 'Accepted ');
    assert.equal(requiredPrefix(/^abc?d/), 'ab'); // c is optional
    assert.equal(requiredPrefix(/^ab+c/), 'ab'); // at least one b, then more or c
    assert.equal(requiredPrefix(/^a{2}/), '');
  });

  test('none when not anchored, ignoring case, multiline or with a top-level alternation', () => {
    assert.equal(requiredPrefix(/Failed/), '');
    assert.equal(requiredPrefix(/^Failed/i), '');
    assert.equal(requiredPrefix(/^Failed/m), '');
    assert.equal(requiredPrefix(/^Failed|Accepted/), '');
    assert.equal(requiredPrefix(/^(?:a|b)c/), '');
    assert.equal(requiredPrefix(/^x[|]y/), 'x');
    assert.equal(requiredPrefix(/^\d+/), '');
  });
});
