// Tests journalctl -o json: fields, byte-array and null messages, priorities, and hostile input that must not throw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journalJson } from '../../src/formats/journal-json.js';
import { fixtureLines, parseAll } from './sys-helpers.js';

describe('journal-json', () => {
  it('reads the fixture', () => {
    assert.deepEqual(parseAll(journalJson, fixtureLines('logs', 'journal', 'journal.json')), [
      { time: '2026-11-23T10:00:00.123Z', host: 'web1', program: 'sshd', pid: 4120, level: 'info', message: 'Failed password for root from 203.0.113.9 port 52144 ssh2', fields: { priority: '6', facility: 'authpriv', unit: 'ssh.service', transport: 'syslog' } },
      { time: '2026-11-23T10:00:01.000Z', host: 'web1', program: 'kernel', pid: null, level: 'critical', message: 'Out of memory: \ufffdkill', fields: { priority: '2', transport: 'kernel' } },
      { time: '2026-11-23T10:00:02.000Z', host: 'web1', program: 'app', pid: 77, level: 'high', message: '', fields: { priority: '3', unit: 'app.service' } },
      { time: '2026-11-23T10:00:03.500Z', host: 'web1', program: 'sudo', pid: 5120, level: null, message: '   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash', fields: { unit: 'session.slice' } },
      { time: '2026-11-23T10:00:04.000Z', host: 'web1', program: 'systemd-coredump', pid: null, level: 'medium', message: 'Process 2999 (nginx) of user 33 dumped core.', fields: { priority: '4' } },
    ]);
  });
  it('returns null for other JSON, broken JSON and hostile input, without throwing', () => {
    const parse = journalJson.createParser({ reference: new Date('2026-11-26T12:00:00Z') });
    const deep = '{"__REALTIME_TIMESTAMP":"1","x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    const unclosed = '{"__REALTIME_TIMESTAMP":"1","x":' + '['.repeat(100_000);
    for (const bad of ['', '{}', '[]', '{"msg":"x"}', '{"__REALTIME_TIMESTAMP":', '["__REALTIME_TIMESTAMP"]', unclosed, 'null']) {
      assert.equal(parse(bad), null, bad.slice(0, 40));
    }
    assert.doesNotThrow(() => parse(deep));
  });
  it('survives a 50 MB line', () => {
    const parse = journalJson.createParser({ reference: new Date('2026-11-26T12:00:00Z') });
    const big = '{"__REALTIME_TIMESTAMP":"1795428000000000","MESSAGE":"' + 'A'.repeat(50 * 1024 * 1024) + '"}';
    const r = parse(big);
    assert.ok(r !== null && r !== 'skip');
    assert.equal(r.message.length, 50 * 1024 * 1024);
  });
  it('ignores bad field types', () => {
    const parse = journalJson.createParser({ reference: new Date('2026-11-26T12:00:00Z') });
    const r = parse('{"__REALTIME_TIMESTAMP":"soon","PRIORITY":"9","_PID":"x","MESSAGE":[1,2,300],"_HOSTNAME":5}');
    assert.deepEqual(r, { time: null, host: null, program: null, pid: null, level: null, message: '', fields: {} });
  });
});
