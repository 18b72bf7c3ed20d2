// ReDoS screening with recheck: catastrophic patterns are refused with the reason, safe ones pass, verdicts are cached.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPattern, checkPatterns, choiceFreeSteps, describeVerdict, proofParts } from '../../src/rules/redos.js';

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

test('proof parts: top-level branches, a plain anchored prefix, trailing optional groups, and `$` at each end', () => {
  assert.deepEqual(proofParts('^Failed (?:password|none) for (?<user>\\S{1,64})(?: from (?<ip>\\S{1,255}))?'), [
    '^(?:password|none) for \\S{1,64}$',
    '^\\S{1,255}$',
  ]);
  assert.deepEqual(proofParts('\\bunion\\b|^/\\.env$|x(?:a|b)$'), ['\\bunion\\b$', 'x(?:a|b)$']);
  assert.deepEqual(proofParts('^(?:ab+|cd)'), ['^b+$']);
  assert.deepEqual(proofParts('^x(?:(a|a)*)?'), ['^(a|a)*$']);
});

test('proof parts: nothing is cut away from what looks at its left neighbour', () => {
  assert.deepEqual(proofParts('^ab\\b(a+)+'), ['^ab\\b(a+)+$']);
  assert.deepEqual(proofParts('^a(?:\\bb+)?'), ['^a(?:\\bb+)?$']);
  assert.deepEqual(proofParts('^a(?:b|^c)?'), ['^a(?:b|^c)?$']);
  assert.deepEqual(proofParts('^ab(?:c+)?', 'm'), ['^ab(?:c+)?$']);
  // a class is one item, whatever it holds
  assert.deepEqual(proofParts('^a[|)(]b(?:c+)?'), ['^[|)(]b$', '^c+$']);
});

test('the strict check finds a vulnerable part and names it', async () => {
  const [prefixed, tail, fine] = await checkPatterns(
    [
      { source: '^abc(a+)+$', flags: '' },
      { source: '^a+b(?:x(a|a)*y)?', flags: '' },
      { source: '^abc(?:x[^y]{0,9}y)?', flags: '' },
    ],
    { strict: true },
  );
  assert.equal(prefixed!.status, 'vulnerable');
  assert.equal(prefixed!.detail, 'exponential');
  assert.equal(tail!.status, 'vulnerable');
  assert.equal(tail!.detail, 'exponential, in the part /^(a|a)*y$/');
  assert.equal(fine!.status, 'safe');
});

test('a pattern without choices is proven linear without recheck, and every choice sends it to recheck', async () => {
  // What a backtracking matcher reads at most from one position.
  assert.equal(choiceFreeSteps('.{150}'), 150);
  assert.equal(choiceFreeSteps('^Failed password$'), 15);
  assert.equal(choiceFreeSteps('\\bab\\.[0-9]\\d(?:xy){3}(z)\\B'), 12);
  assert.equal(choiceFreeSteps(''), 0);
  // Choices, and what this reading does not take: recheck decides.
  for (const p of ['a|b', '(?:a|b)c', 'a?', 'a*', 'a+', 'a{1,3}', 'a{2,}', 'a{3}?', '(?:ab?){2}', '(?=a)b', '(?<!a)b', '(a)\\1', '(?<n>a)\\k<n>', '(?i)a']) {
    assert.equal(choiceFreeSteps(p), null, p);
  }
  // The verdict says where it came from: recheck's fuzzer (~1 s on this pattern) did not run.
  const v = await checkPattern('.{150}');
  assert.equal(v.status, 'safe');
  assert.match(v.detail, /^linear: no choice to backtrack into, at most 150 characters tried at each position$/);
  // A long exact repeat is left to recheck (the constant would be large), as is any choice.
  assert.doesNotMatch((await checkPattern('a{300}')).detail, /no choice/);
  assert.equal((await checkPattern('^(a+)+$')).status, 'vulnerable');
});
