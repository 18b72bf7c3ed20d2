// The field gate joins the patterns of the rules that read one decoded field into one regex that must pass wherever
// one of them matches: checked on the built-in URL signatures, on their examples cut and spliced at random, and on
// what may not be joined.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { decodeWeb } from '../../src/rules/web/decode.js';
import { fieldGates } from '../../src/rules/field-gate.js';
import type { RuleSpec } from '../../src/rules/spec.js';

function spec(over: Partial<RuleSpec> & Pick<RuleSpec, 'id'>): RuleSpec {
  return { family: 'test', description: 'test rule', type: 'web.sqli', outcome: 'unknown', additive: true, examples: { match: [] }, ...over };
}

const builtin = compileRules(BUILTIN_RULES);
const gates = fieldGates(builtin);

/** The text a rule example gives the url field (a bare string is the rule's first field). */
function urlsOf(examples: readonly (string | { fields?: Readonly<Record<string, string>> })[]): string[] {
  return examples.flatMap((e) => (typeof e === 'string' ? [e] : e.fields?.url !== undefined ? [e.fields.url] : []));
}

describe('fieldGates on the built-in rules', () => {
  test('the URL signatures share one gate; patterns with named groups and rules on headers have none', () => {
    const gated = builtin.filter((r) => gates.has(r)).map((r) => r.id);
    assert.deepEqual(gated, ['web.sqli', 'web.xss', 'web.traversal', 'web.lfi', 'web.cmd_injection', 'web.jndi', 'web.probe', 'web.registration']);
    assert.equal(new Set(gated.map((id) => gates.get(builtin.find((r) => r.id === id)!))).size, 1);
    for (const id of ['web.otp_request', 'web.scanner', 'web.jndi_header', 'sshd.failed_password']) {
      const rule = builtin.find((r) => r.id === id);
      if (rule !== undefined) assert.equal(gates.has(rule), false, id);
    }
  });

  const members = builtin.filter((r) => gates.has(r));
  const gate = gates.get(members[0]!)!;
  const samples = members.flatMap((r) => urlsOf([...r.spec.examples.match, ...(r.spec.examples.noMatch ?? [])]));

  test('every example URL a member matches passes the gate, and a plain URL does not', () => {
    assert.ok(samples.length >= 20);
    for (const url of samples) {
      const v = decodeWeb(url);
      if (members.some((r) => r.regex!.test(v))) assert.ok(gate.test(v), url);
    }
    assert.equal(gate.test(decodeWeb('/static/js/app.3f9c2.js?v=12')), false);
  });

  test('on example URLs cut and spliced at random, the gate passes whenever a member matches', () => {
    const piece = fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.nat()).map(([s, a, b]) => s.slice(Math.min(a, b) % (s.length + 1), Math.max(a, b) % (s.length + 1) + 1));
    fc.assert(fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 5 }), (parts) => {
      const v = decodeWeb(parts.join(''));
      return !members.some((r) => r.regex!.test(v)) || gate.test(v);
    }), { numRuns: 3000 });
  });
});

describe('fieldGates: what is not joined', () => {
  test('different fields, decoders or flags make separate gates; a group of one has none', () => {
    const rules = compileRules([
      spec({ id: 'u1', field: 'url', decode: 'web', pattern: 'aa' }),
      spec({ id: 'u2', field: 'url', decode: 'web', pattern: 'bb' }),
      spec({ id: 'ui', field: 'url', decode: 'web', pattern: 'cc', flags: 'i' }),
      spec({ id: 'raw', field: 'url', pattern: 'dd' }),
      spec({ id: 'a1', field: 'agent', decode: 'web', pattern: 'ee' }),
    ]);
    const g = fieldGates(rules);
    assert.deepEqual(rules.filter((r) => g.has(r)).map((r) => r.id), ['u1', 'u2']);
    assert.equal(g.get(rules[0]!)!.source, '(?:aa)|(?:bb)');
  });

  test('a pattern with a named group, a back-reference or a literal to test first stays on its own', () => {
    const rules = compileRules([
      spec({ id: 'p1', field: 'url', decode: 'web', pattern: 'x(y)\\1' }),
      spec({ id: 'p2', field: 'url', decode: 'web', pattern: 'user=(?<user>\\w{1,20})' }),
      spec({ id: 'p3', field: 'url', decode: 'web', pattern: 'zz', literal: 'zz' }),
      spec({ id: 'p4', field: 'url', decode: 'web', pattern: 'q' }),
    ]);
    assert.equal(fieldGates(rules).size, 0);
  });
});
