// Tests the record stage: detection per fixture, mixed files, outcomes, line numbers, forced formats, retries.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findFormat } from '../../src/formats/registry.js';
import { syslog3164 } from '../../src/formats/syslog-3164.js';
import { NO_FIELDS, type LogFormat } from '../../src/types.js';
import { fixtureLines, iso, runStage } from './sys-helpers.js';

const count = (outcomes: readonly string[]): Record<string, number> => {
  const c: Record<string, number> = {};
  for (const o of outcomes) c[o] = (c[o] ?? 0) + 1;
  return c;
};

describe('detection on fixtures', () => {
  const cases: [dir: string, file: string, format: string, outcomes: Record<string, number>][] = [
    ['syslog', 'auth.log', 'syslog', { parsed: 21 }],
    ['syslog', 'auth.log.1', 'syslog', { parsed: 4, skipped: 1 }],
    ['syslog', 'secure', 'syslog', { parsed: 12 }],
    ['syslog', 'messages', 'syslog', { parsed: 13 }],
    ['syslog', 'rsyslog-precise.log', 'syslog', { parsed: 5 }],
    ['syslog', 'remote-pri.log', 'syslog', { parsed: 5 }],
    ['syslog', 'rfc5424.log', 'syslog-5424', { parsed: 6 }],
    ['journal', 'short.log', 'journal', { parsed: 6, skipped: 3 }],
    ['journal', 'short-iso.log', 'journal', { parsed: 5 }],
    ['journal', 'short-precise.log', 'journal', { parsed: 4 }],
    ['journal', 'short-full.log', 'journal', { parsed: 4, skipped: 1 }],
    ['journal', 'journal.json', 'journal-json', { parsed: 5 }],
    ['auditd', 'audit.log', 'auditd', { parsed: 13 }],
    ['auditd', 'audit-syslog.log', 'auditd', { parsed: 4 }],
  ];
  for (const [dir, file, format, outcomes] of cases) {
    it(`${dir}/${file} is ${format}`, () => {
      const got = runStage(fixtureLines('logs', dir, file));
      assert.equal(got.format, format, got.reason);
      assert.deepEqual(count(got.outcomes), outcomes);
      assert.ok(got.records.filter((r) => r.format !== null).every((r) => r.format === format || r.message.startsWith('-- ')));
    });
  }
  it('says why the format won', () => {
    assert.equal(runStage(fixtureLines('logs', 'syslog', 'auth.log')).reason, 'syslog: recognised 21 of 21 non-empty lines (lines 1-21); next journal with 21 (tie: registry order)');
    assert.equal(runStage(fixtureLines('logs', 'journal', 'short.log')).reason, 'journal: recognised 9 of 9 non-empty lines (lines 1-9); next syslog with 6');
    assert.equal(runStage(fixtureLines('logs', 'syslog', 'rfc5424.log')).reason, 'syslog-5424: recognised 6 of 6 non-empty lines (lines 1-6)');
  });
});

describe('mixed sources', () => {
  it('skips a journal marker that comes after the detection window of a plain journal', () => {
    const plain = Array.from({ length: 40 }, (_, i) => `Nov 23 10:${String(i).padStart(2, '0')}:00 web1 sshd[${100 + i}]: Connection closed by 203.0.113.9 port ${5000 + i}`);
    const got = runStage([...plain, '-- Boot 5c0b1d3a9e2f4e47b6e8f0a1c2d3e4f5 --', 'Nov 23 11:00:00 web1 kernel: Linux version 6.8.0']);
    assert.equal(got.format, 'syslog');
    assert.equal(got.records.length, 42);
    assert.deepEqual([got.outcomes[40], got.records[40]!.format, got.records[40]!.line], ['skipped', 'journal', 41]);
    assert.deepEqual([got.outcomes[41], got.records[41]!.format, got.records[41]!.program], ['parsed', 'syslog', 'kernel']);
  });
  it('parses auth.log lines appended to an audit.log with the syslog format', () => {
    const audit = fixtureLines('logs', 'auditd', 'audit.log');
    const auth = fixtureLines('logs', 'syslog', 'auth.log');
    const got = runStage([...audit, ...audit, ...audit, ...auth.slice(0, 3)]);
    assert.equal(got.format, 'auditd');
    assert.deepEqual(got.records.slice(-3).map((r) => [r.format, r.program, r.pid, iso(r.time)]), [
      ['syslog', 'CRON', 20211, '2026-11-23T06:25:01.000Z'],
      ['syslog', 'CRON', 20211, '2026-11-23T06:25:01.000Z'],
      ['syslog', 'sshd', 4120, '2026-11-23T10:00:00.000Z'],
    ]);
    assert.deepEqual(count(got.outcomes), { parsed: 42 });
  });
  it('keeps trying after a window where nothing parsed', () => {
    const noise = Array.from({ length: 32 }, (_, i) => `*** banner line ${i} ***`);
    const got = runStage([...noise, 'more noise', 'Nov 23 10:00:00 web1 sshd[1]: Invalid user a from 203.0.113.9 port 1', 'still noise']);
    assert.equal(got.format, 'syslog');
    assert.deepEqual(count(got.outcomes), { unparsed: 34, parsed: 1 });
    assert.deepEqual([got.records[33]!.format, got.records[33]!.line, got.records[33]!.program], ['syslog', 34, 'sshd']);
    assert.deepEqual(got.records[34], { file: 'test.log', line: 35, format: null, time: null, host: null, program: null, pid: null, level: null, message: 'still noise', fields: {}, raw: 'still noise' });
    assert.equal(got.reason, 'syslog: recognised 1 of 3 non-empty lines (lines 33-35); next journal with 1 (tie: registry order)');
  });
  it('reports no format when nothing is recognised', () => {
    const got = runStage(['hello', '', 'world']);
    assert.equal(got.format, null);
    assert.equal(got.reason, 'no format recognised lines 1-3');
    assert.deepEqual(got.outcomes, ['unparsed', 'skipped', 'unparsed']);
  });
});

describe('outcomes and line numbers', () => {
  it('delivers blank lines as skipped with an empty message, in order, before and after detection', () => {
    const got = runStage(['', '  ', 'Nov 23 10:00:00 web1 sshd[1]: a', '\t', 'Nov 23 10:00:01 web1 sshd[1]: b', ''], { detectLines: 1 });
    assert.deepEqual(got.records.map((r) => [r.line, r.message]), [[1, ''], [2, ''], [3, 'a'], [4, ''], [5, 'b'], [6, '']]);
    assert.deepEqual(got.outcomes, ['skipped', 'skipped', 'parsed', 'skipped', 'parsed', 'skipped']);
  });
  it('marks truncated lines truncated but still parses them', () => {
    const got = runStage([['Nov 23 10:00:00 web1 sshd[7]: Failed password for ro', true], ['Nov 23 10:00:01 web1 sshd[7]: ok', false], ['\u00e9\u00e9', true]]);
    assert.deepEqual(got.outcomes, ['truncated', 'parsed', 'truncated']);
    assert.deepEqual([got.records[0]!.format, got.records[0]!.program, got.records[0]!.message], ['syslog', 'sshd', 'Failed password for ro']);
    assert.equal(got.records[2]!.format, null);
  });
  it('delivers everything at end() when the source is shorter than the window', () => {
    const got = runStage(['Nov 23 10:00:00 web1 sshd[1]: a', 'Nov 23 10:00:01 web1 sshd[1]: b']);
    assert.deepEqual(got.records.map((r) => r.line), [1, 2]);
  });
  it('handles an empty source', () => {
    const got = runStage([]);
    assert.deepEqual([got.records.length, got.format], [0, null]);
  });
  it('decides early when a window is mostly blank lines', () => {
    const lines = ['Nov 23 10:00:00 web1 sshd[1]: a', ...Array.from({ length: 5000 }, () => '')];
    const got = runStage(lines);
    assert.equal(got.records.length, 5001);
    assert.equal(got.format, 'syslog');
  });
  it('builds records with the file name and the parsed values', () => {
    const got = runStage(['<38>Nov 23 10:00:05 192.0.2.254 dropbear[77]: Bad password attempt'], { file: '/var/log/auth.log' });
    assert.deepEqual(got.records[0], {
      file: '/var/log/auth.log', line: 1, format: 'syslog', time: Date.parse('2026-11-23T10:00:05Z'), host: '192.0.2.254', program: 'dropbear', pid: 77,
      level: 'info', message: 'Bad password attempt', fields: { facility: 'auth', priority: '6' }, raw: '<38>Nov 23 10:00:05 192.0.2.254 dropbear[77]: Bad password attempt',
    });
  });
  it('gives every syslog line, held while detecting or not, its own record with its file, number and text', () => {
    // The first 32 lines are held while detecting, the last 8 parsed once the format is locked.
    const lines = Array.from({ length: 40 }, (_, i) => `Nov 23 10:00:${String(i).padStart(2, '0')} web1 sshd[${i}]: Connection closed`);
    const got = runStage(lines, { file: 'a.log' });
    assert.deepEqual(got.records.map((r) => [r.file, r.line, r.format, r.pid, r.raw]), lines.map((l, i) => ['a.log', i + 1, 'syslog', i, l]));
    assert.equal(new Set(got.records).size, 40);
  });
});

describe('forced format', () => {
  it('uses that format only', () => {
    const got = runStage(fixtureLines('logs', 'journal', 'short.log'), { forced: findFormat('syslog')! });
    assert.equal(got.format, 'syslog');
    assert.equal(got.reason, 'forced: syslog');
    assert.deepEqual(got.outcomes, ['unparsed', 'parsed', 'parsed', 'parsed', 'unparsed', 'parsed', 'parsed', 'unparsed', 'parsed']);
    assert.equal(got.records[0]!.format, null);
  });
});

describe('robustness', () => {
  it('treats a parser or probe that throws as not understanding the line', () => {
    const broken: LogFormat = {
      name: 'broken', description: 'throws', samples: [],
      probe: (l) => { if (l.includes('probe')) throw new Error('probe'); return true; },
      createParser: () => (l) => { if (l.includes('boom')) throw new Error('boom'); return null; },
    };
    const got = runStage(['boom', 'probe', 'Nov 23 10:00:00 web1 sshd[1]: boom'], { formats: [broken, syslog3164] });
    assert.deepEqual(got.outcomes, ['unparsed', 'unparsed', 'parsed']);
    assert.equal(got.format, 'syslog');
  });
});

describe('records without fields', () => {
  // The rules' memos keyed on the fields object (program-index.ts, value-memo.ts, the engine's outcome memo) see one
  // object from line to line only if every format gives the same one: a fresh or per-format object is a miss.
  it('share the one NO_FIELDS object, whatever the format, unparsed lines included', () => {
    const cases: [string, string][] = [['syslog', 'auth.log'], ['journal', 'short.log'], ['syslog', 'rsyslog-precise.log']];
    for (const [dir, file] of cases) {
      const got = runStage([...fixtureLines('logs', dir, file), 'not a log line at all']);
      const empty = got.records.filter((r) => Object.keys(r.fields).length === 0);
      assert.ok(empty.length >= 3, `${dir}/${file}: records without fields`);
      for (const r of empty) assert.equal(r.fields, NO_FIELDS, `${dir}/${file} line ${r.line} (${r.format})`);
    }
  });
});
