import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compileRules } from '../../src/rules/compile.js';
import { LiteralScan, LiteralScanIgnoringCase } from '../../src/rules/literal-scan.js';
import type { RuleSpec } from '../../src/rules/spec.js';

function spec(id: string, literal: string[], flags?: string): RuleSpec {
  return { id, family: 'test', description: 'test rule', type: 'auth.failure', outcome: 'failure', examples: { match: [] }, literal, pattern: 'x', ...(flags === undefined ? {} : { flags }) };
}

function slotted(literals: string[][], flags?: string): { rule: ReturnType<typeof compileRules>[number]; slot: number }[] {
  return compileRules(literals.map((l, i) => spec(`r${i}`, l, flags))).map((rule, slot) => ({ rule, slot }));
}

function marks(scan: { mark(t: string, s: Int32Array, n: number): void }, n: number, text: string): number[] {
  const stamp = new Int32Array(n);
  scan.mark(text, stamp, 5);
  return [...stamp].flatMap((v, i) => (v === 5 ? [i] : []));
}

const SPECIAL = /[.*+?^${}()|[\]\\]/g;

describe('LiteralScan: a match named by its length', () => {
  // 'abc' and 'xyz' share a length (named through the map), 'Connection ' has its own.
  const rules = slotted([['abc'], ['xyz'], ['Connection '], ['Connection closed by '], ['ab']]);
  const scan = new LiteralScan(rules);

  test('literals of one length and of a length of their own are told apart', () => {
    assert.deepEqual(marks(scan, rules.length, 'xyz then Connection reset'), [1, 2]);
    assert.deepEqual(marks(scan, rules.length, 'abc'), [0, 4]);
    assert.deepEqual(marks(scan, rules.length, 'Connection closed by x'), [2, 3]);
    assert.deepEqual(marks(scan, rules.length, 'Connectio abx'), [4]);
  });

  test('marks exactly the rules with a literal in the text (any literals, any text)', () => {
    const piece = fc.constantFrom('a', 'b', 'c', 'ab', 'ba', 'abc', 'x', ' ', '.', 'A');
    fc.assert(fc.property(fc.array(fc.array(fc.array(piece, { minLength: 1, maxLength: 3 }).map((p) => p.join('')), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.array(piece, { maxLength: 12 }), (lits, words) => {
      const rs = slotted(lits);
      const text = words.join('');
      const expected = rs.flatMap((r) => (r.rule.literals.some((l) => text.includes(l)) ? [r.slot] : []));
      assert.deepEqual(marks(new LiteralScan(rs), rs.length, text), expected);
    }), { numRuns: 300 });
  });
});

describe('LiteralScanIgnoringCase', () => {
  const rules = slotted([['regist', 'sign'], ['fail', 'denied'], ['log', 'sign', '成功'], ['Log'], ['signal'], ['a.b', '(x)']], 'i');
  const scan = new LiteralScanIgnoringCase(rules);

  test('finds literals in any case, and every rule whose literal starts the one found', () => {
    assert.deepEqual(marks(scan, rules.length, 'Registered Authentication Agent'), [0]);
    assert.deepEqual(marks(scan, rules.length, 'polkitd: Unregistered agent'), [0]);
    assert.deepEqual(marks(scan, rules.length, 'Received SIGNAL 15; terminating'), [0, 2, 4]);
    assert.deepEqual(marks(scan, rules.length, 'Sign in'), [0, 2]);
    assert.deepEqual(marks(scan, rules.length, 'Session 3 LOGGED out'), [2, 3]);
    assert.deepEqual(marks(scan, rules.length, '登录成功'), [2]);
    assert.deepEqual(marks(scan, rules.length, 'Access DENIED, login FAILED'), [1, 2, 3]);
  });

  test('finds ASCII and other literals in one line (they are looked for by two regexes)', () => {
    assert.deepEqual(marks(scan, rules.length, 'Login failed: 成功'), [1, 2, 3]);
    assert.deepEqual(marks(scan, rules.length, '成功 after denied'), [1, 2]);
    // A literal of both kinds, with an ASCII one that starts it: found in the text, and each on its own.
    const mixed = slotted([['ab'], ['ab成'], ['成']], 'i');
    const both = new LiteralScanIgnoringCase(mixed);
    assert.deepEqual(marks(both, mixed.length, 'xAB成'), [0, 1, 2]);
    assert.deepEqual(marks(both, mixed.length, 'ab 成'), [0, 2]);
    assert.deepEqual(marks(both, mixed.length, 'Ab'), [0]);
  });

  test('reads literals as text, not as patterns', () => {
    assert.deepEqual(marks(scan, rules.length, 'A.B and (X)'), [5]);
    assert.deepEqual(marks(scan, rules.length, 'axb and x'), []);
  });

  test('marks nothing on a line without its literals', () => {
    assert.deepEqual(marks(scan, rules.length, 'Received disconnect from 203.0.113.9 port 22:11: Bye Bye [preauth]'), []);
    assert.deepEqual(marks(scan, rules.length, ''), []);
  });

  test('marks exactly the rules with a literal in the text ignoring case (any literals, any text)', () => {
    // No KELVIN SIGN (U+212A) or long s (U+017F), whose upper case is ASCII: V8's irregexp answers
    // `/\u212aa|Ka|K/i.test('K')` false but `/\u212aa|K/i` true, so with them an alternation ignoring case depends on
    // the order of its literals (the old gate's as much as this scan's).
    const piece = fc.constantFrom('a', 'B', 'b', 'A', 'ab', 'Ba', 'k', 'K', 's', 'S', 'ß', 'SS', '.', 'é', 'É', 'Σ', 'σ', 'ς', 'İ', 'i', '成');
    fc.assert(fc.property(fc.array(fc.array(fc.array(piece, { minLength: 1, maxLength: 3 }).map((p) => p.join('')), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.array(piece, { maxLength: 12 }), (lits, words) => {
      const rs = slotted(lits, 'i');
      const text = words.join('');
      // The gate this scan replaces: each literal on its own, ignoring case.
      const expected = rs.flatMap((r) => (r.rule.literals.some((l) => new RegExp(l.replace(SPECIAL, '\\$&'), 'i').test(text)) ? [r.slot] : []));
      assert.deepEqual(marks(new LiteralScanIgnoringCase(rs), rs.length, text), expected);
    }), { numRuns: 1000 });
  });
});
