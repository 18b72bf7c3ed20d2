// Sigma wildcard values: `*`, `?`, escapes, and the modifier anchors, as string operations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGlob } from '../../src/sigma/wildcard.js';

const m = (pattern: string, value: string, anchor: 'whole' | 'contains' | 'startswith' | 'endswith' = 'whole', cased = true): boolean =>
  compileGlob(pattern, cased, anchor)(value);

test('a plain value is an exact match of the whole value', () => {
  assert.equal(m('GET', 'GET'), true);
  assert.equal(m('GET', 'GETS'), false);
  assert.equal(m('', ''), true);
  assert.equal(m('', 'x'), false);
});

test('* matches any run, ? exactly one character', () => {
  assert.equal(m('*sqlmap*', 'Mozilla sqlmap/1.7'), true);
  assert.equal(m('a*b*c', 'aXXbYYc'), true);
  assert.equal(m('a*b*c', 'aXXbYY'), false);
  assert.equal(m('a*bc', 'abc'), true);
  assert.equal(m('ab*bc', 'abc'), false); // the two pieces may not overlap
  assert.equal(m('rm -?f *', 'rm -rf /x'), true);
  assert.equal(m('rm -?f *', 'rm -f /x'), false);
  assert.equal(m('?', ''), false);
  assert.equal(m('*', ''), true);
  assert.equal(m('a**b', 'ab'), true);
});

test('escapes: \\* and \\? are literal, a backslash before anything else stays', () => {
  assert.equal(m('a\\*b', 'a*b'), true);
  assert.equal(m('a\\*b', 'aXb'), false);
  assert.equal(m('why\\?', 'why?'), true);
  assert.equal(m('why\\?', 'whyX'), false);
  assert.equal(m('C:\\Windows', 'C:\\Windows'), true);
  assert.equal(m('a\\\\*', 'a\\anything'), true);
});

test('modifier anchors wrap the parsed value: a trailing backslash stays literal', () => {
  assert.equal(m('/cgi-bin/', 'GET /cgi-bin/x', 'contains'), true);
  assert.equal(m('/cgi', '/cgi-bin', 'startswith'), true);
  assert.equal(m('/cgi', 'x/cgi-bin', 'startswith'), false);
  assert.equal(m('.php', '/a.php', 'endswith'), true);
  assert.equal(m('.php', '/a.php5', 'endswith'), false);
  assert.equal(m('dir\\', 'a dir\\ b', 'contains'), true);
  assert.equal(m('a?c', 'xxabcxx', 'contains'), true);
});

test('case-insensitive unless cased: the pattern is lowercased, the caller lowercases the text', () => {
  assert.equal(m('SQLMap', 'sqlmap', 'whole', false), true);
  assert.equal(m('SQLMap', 'sqlmap', 'whole', true), false);
});
