// The Sigma condition language: and, or, not, parentheses, 1 of / all of (patterns and them), errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCondition, parseCondition } from '../../src/sigma/condition.js';
import { SigmaUnsupported } from '../../src/sigma/modifiers.js';

const NAMES = ['sel_a', 'sel_b', 'filter', '_hidden'];

/** Evaluates a condition with the set of selections that hold. */
function holds(condition: string, trueOnes: string[], names = NAMES): boolean {
  const tests = new Map(names.map((n) => [n, (s: ReadonlySet<string>) => s.has(n)]));
  return compileCondition(parseCondition(condition, names), tests)(new Set(trueOnes));
}

test('and binds tighter than or; not binds tightest', () => {
  assert.equal(holds('sel_a or sel_b and filter', ['sel_a']), true);
  assert.equal(holds('sel_a or sel_b and filter', ['sel_b']), false);
  assert.equal(holds('sel_a and not filter', ['sel_a']), true);
  assert.equal(holds('sel_a and not filter', ['sel_a', 'filter']), false);
  assert.equal(holds('not not sel_a', ['sel_a']), true);
});

test('parentheses group', () => {
  assert.equal(holds('(sel_a or sel_b) and filter', ['sel_b']), false);
  assert.equal(holds('(sel_a or sel_b) and filter', ['sel_b', 'filter']), true);
  assert.equal(holds('sel_a and (sel_b or (filter and not sel_b))', ['sel_a', 'filter']), true);
});

test('1 of X*, all of X*, any of', () => {
  assert.equal(holds('1 of sel_*', ['sel_b']), true);
  assert.equal(holds('1 of sel_*', ['filter']), false);
  assert.equal(holds('all of sel_*', ['sel_a']), false);
  assert.equal(holds('all of sel_*', ['sel_a', 'sel_b']), true);
  assert.equal(holds('any of sel_*', ['sel_a']), true);
  assert.equal(holds('sel_a and not 1 of filt*', ['sel_a']), true);
});

test('1 of them / all of them leave out names starting with _', () => {
  assert.equal(holds('1 of them', ['_hidden']), false);
  assert.equal(holds('1 of them', ['filter']), true);
  assert.equal(holds('all of them', ['sel_a', 'sel_b', 'filter']), true);
  assert.equal(holds('all of them', ['sel_a', 'sel_b']), false);
});

test('keywords are case-insensitive: AND, Or, NOT', () => {
  assert.equal(holds('sel_a AND NOT filter', ['sel_a']), true);
  assert.equal(holds('sel_a Or sel_b', ['sel_b']), true);
});

test('errors: unknown selection, unbalanced parentheses, trailing words, aggregations, empty patterns', () => {
  for (const bad of ['sel_a and missing', '(sel_a or sel_b', 'sel_a sel_b', 'sel_a | count() > 5', '1 of nothing_*', 'sel_a and', 'all of']) {
    assert.throws(() => parseCondition(bad, NAMES), SigmaUnsupported, bad);
  }
});
