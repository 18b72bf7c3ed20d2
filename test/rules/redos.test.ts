// ReDoS screening with recheck: catastrophic patterns are refused with the reason, safe ones pass, verdicts are cached.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPattern, checkPatterns, describeVerdict } from '../../src/rules/redos.js';

test('nested and overlapping quantifiers are vulnerable; bounded, anchored patterns are safe', async () => {
  const [nested, overlap, poly, safe] = await checkPatterns([
    { source: '^(a+)+$', flags: '' },
    { source: '^(\\w|\\d)*x$', flags: '' },
    { source: '^\\s*a\\s*\\s*b$', flags: '' },
    { source: '^Failed password for (?<user>\\S{1,64}) from (?<ip>\\S{1,255}) port (?<port>\\d{1,5})$', flags: '' },
  ]);
  assert.equal(nested!.status, 'vulnerable');
  assert.equal(nested!.detail, 'exponential');
  assert.equal(overlap!.status, 'vulnerable');
  assert.equal(poly!.status, 'vulnerable');
  assert.match(poly!.detail, /^polynomial \(degree \d\)$/);
  assert.equal(safe!.status, 'safe');
  assert.match(describeVerdict(nested!), /^the pattern can take exponential time on some inputs \(catastrophic backtracking\), e\.g\. on /);
});

test('the same pattern is checked once', async () => {
  const a = checkPattern('^x(y+)+$', 'i');
  const b = checkPattern('^x(y+)+$', 'i');
  assert.equal(a, b);
  assert.equal((await a).status, 'vulnerable');
});
