// parseRepeated: rsyslog's `message repeated N times: [ ... ]`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRepeated } from '../../src/rules/repeated.js';

test('the count and the inner message, trimmed', () => {
  assert.deepEqual(parseRepeated('message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]'), {
    count: 5,
    inner: 'Failed password for root from 5.36.59.76 port 42393 ssh2',
  });
  assert.deepEqual(parseRepeated('message repeated 2 times: [ a [b] ]  '), { count: 2, inner: 'a [b]' });
});

test('not a repeat summary', () => {
  assert.equal(parseRepeated('last message repeated 3 times'), null);
  assert.equal(parseRepeated('message repeated many times: [ x ]'), null);
  assert.equal(parseRepeated('message repeated 3 times: [ unterminated'), null);
  assert.equal(parseRepeated('message repeated 3 times [ x ]'), null);
  assert.equal(parseRepeated('message repeated '), null);
});

test('the count is read from at most 9 digits', () => {
  assert.equal(parseRepeated('message repeated 12345678901 times: [ x ]'), null);
  assert.deepEqual(parseRepeated('message repeated 999999999 times: [x]'), { count: 999999999, inner: 'x' });
});
