// The tokenizer under the matcher and the scanner: groups, joins, plus signs, URL escapes, token boundaries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundaryAfter, boundaryBefore, DigitGroups, tokenize } from '../../src/phone/groups.js';

interface Group { text: string; plus: number; joined: boolean; starred: boolean }

function groupsOf(line: string): Group[] {
  const g = new DigitGroups();
  tokenize(line, g);
  const out: Group[] = [];
  for (let i = 0; i < g.count; i++) {
    const text = line.slice(g.start[i], g.end[i]);
    out.push({ text, plus: g.plus[i]!, joined: g.joined[i] === 1, starred: g.starred[i] === 1 });
  }
  return out;
}

describe('tokenize', () => {
  it('joins groups separated by up to 3 spaces, hyphens or parentheses', () => {
    assert.deepEqual(groupsOf('+86 (138) 8888-8888'), [
      { text: '86', plus: 0, joined: false, starred: false },
      { text: '138', plus: -1, joined: true, starred: false },
      { text: '8888', plus: -1, joined: true, starred: false },
      { text: '8888', plus: -1, joined: true, starred: false },
    ]);
    assert.deepEqual(groupsOf('1 -  2').map((g) => g.joined), [false, false]); // 4 separators
    assert.deepEqual(groupsOf('1 - 2').map((g) => g.joined), [false, true]);
    assert.deepEqual(groupsOf('1.2/3:4\t5').map((g) => g.joined), [false, false, false, false, false]);
  });

  it('decodes URL escapes: %2B is a plus sign, %20 a separator, neither makes digits', () => {
    assert.deepEqual(groupsOf('x=%2B86%20138'), [
      { text: '86', plus: 2, joined: false, starred: false },
      { text: '138', plus: -1, joined: true, starred: false },
    ]);
  });

  it('reads + after a letter or digit as a form-encoded space', () => {
    assert.deepEqual(groupsOf('to+138+8888'), [
      { text: '138', plus: -1, joined: false, starred: false },
      { text: '8888', plus: -1, joined: true, starred: false },
    ]);
  });

  it('keeps mask stars inside groups', () => {
    assert.deepEqual(groupsOf('138****8888'), [{ text: '138****8888', plus: -1, joined: false, starred: true }]);
  });

  it('grows past its initial capacity', () => {
    assert.equal(groupsOf('1 '.repeat(100)).length, 100);
  });
});

describe('boundaryBefore / boundaryAfter', () => {
  it('refuse letters, digits, _ and full-width letters or digits, decoded from escapes too', () => {
    assert.equal(boundaryBefore('a1', 1), false);
    assert.equal(boundaryBefore('_1', 1), false);
    assert.equal(boundaryBefore('Ａ1', 1), false);
    assert.equal(boundaryBefore('%411', 3), false);
    assert.equal(boundaryBefore('%201', 3), true);
    assert.equal(boundaryAfter('1b', 1), false);
    assert.equal(boundaryAfter('1%42', 1), false);
    assert.equal(boundaryAfter('1%26', 1), true);
  });

  it('refuse a dot before a letter or digit, and a hyphen before a letter', () => {
    assert.equal(boundaryBefore('0.1', 2), false);
    assert.equal(boundaryBefore('a.1', 2), false);
    assert.equal(boundaryBefore('. 1', 2), true);
    assert.equal(boundaryBefore('a-1', 2), false);
    assert.equal(boundaryBefore('2-1', 2), true);
    assert.equal(boundaryAfter('1.5', 1), false);
    assert.equal(boundaryAfter('1.', 1), true);
    assert.equal(boundaryAfter('1-a', 1), false);
    assert.equal(boundaryAfter('1-2', 1), true);
  });

  it('accept the start and end of the line, punctuation and non-ASCII text', () => {
    assert.equal(boundaryBefore('1', 0), true);
    assert.equal(boundaryAfter('1', 1), true);
    assert.equal(boundaryBefore('号1', 1), true);
    assert.equal(boundaryAfter('1号', 1), true);
    assert.equal(boundaryBefore('"1', 1), true);
    assert.equal(boundaryAfter('1&', 1), true);
  });
});
