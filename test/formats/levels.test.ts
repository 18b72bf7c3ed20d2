// Tests the level mapping: words, syslog/journald priorities and <PRI> values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { levelFromPriority, levelFromWord, priorityText, readPri, splitPri } from '../../src/formats/levels.js';

describe('levels', () => {
  it('maps priorities 0-7 as LogRecord.level says', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map(levelFromPriority), ['critical', 'critical', 'critical', 'high', 'medium', 'low', 'info', 'info']);
    assert.equal(levelFromPriority(8), null);
    assert.equal(levelFromPriority(-1), null);
    assert.equal(levelFromPriority(2.5), null);
    assert.equal(levelFromPriority(Number.NaN), null);
  });
  it('maps level words in any case', () => {
    const cases: [string, string | null][] = [
      ['EMERG', 'critical'], ['alert', 'critical'], ['crit', 'critical'], ['CRITICAL', 'critical'], ['Fatal', 'critical'], ['panic', 'critical'],
      ['err', 'high'], ['ERROR', 'high'], ['SEVERE', 'high'], ['warn', 'medium'], ['WARNING', 'medium'], ['notice', 'low'],
      ['info', 'info'], ['INFO', 'info'], ['debug', 'info'], ['TRACE', 'info'], ['informational', 'info'],
      ['', null], ['errors', null], ['E', null], ['[error]', null], ['information-superhighway', null],
    ];
    for (const [word, level] of cases) assert.equal(levelFromWord(word), level, word);
  });
  it('reads <PRI> prefixes', () => {
    assert.equal(readPri('<34>Nov 23'), 34);
    assert.equal(readPri('<0>x'), 0);
    assert.equal(readPri('<191>x'), 191);
    for (const bad of ['<192>x', '<>x', '<1234>x', '<3a>x', '34>x', '<34', '']) assert.equal(readPri(bad), -1, bad);
  });
  it('splits <PRI> into facility, priority and level', () => {
    const plain = (v: number): unknown => {
      const p = splitPri(v);
      return p === null ? null : { facility: p.facility, priority: p.priority, level: p.level, fields: { ...p.fields } };
    };
    assert.deepEqual(plain(34), { facility: 'auth', priority: '2', level: 'critical', fields: { facility: 'auth', priority: '2' } });
    assert.deepEqual(plain(86), { facility: 'authpriv', priority: '6', level: 'info', fields: { facility: 'authpriv', priority: '6' } });
    assert.deepEqual(plain(165), { facility: 'local4', priority: '5', level: 'low', fields: { facility: 'local4', priority: '5' } });
    assert.ok(Object.isFrozen(splitPri(34)!.fields));
    assert.equal(splitPri(192), null);
    assert.equal(priorityText(3), '3');
    assert.equal(priorityText(9), null);
  });
});
