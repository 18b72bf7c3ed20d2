// Tests the RFC 5424 syslog format: nil values, structured data with escapes, BOM, PRI mapping.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syslog5424 } from '../../src/formats/syslog-5424.js';
import { fixtureLines, parseAll } from './sys-helpers.js';

describe('syslog-5424', () => {
  it('reads the fixture', () => {
    assert.deepEqual(parseAll(syslog5424, fixtureLines('logs', 'syslog', 'rfc5424.log')), [
      { time: '2026-11-23T10:00:00.003Z', host: 'web1.example.com', program: 'sshd', pid: 4120, level: 'critical', message: 'Failed password for root from 203.0.113.9 port 52144 ssh2', fields: { facility: 'auth', priority: '2' } },
      {
        time: '2026-11-23T09:00:01.000Z', host: 'mymachine.example.com', program: 'evntslog', pid: null, level: 'low', message: 'An application event log entry',
        fields: { facility: 'local4', priority: '5', msgid: 'ID47', 'sd.exampleSDID@32473.iut': '3', 'sd.exampleSDID@32473.eventSource': 'Application', 'sd.exampleSDID@32473.eventID': '1011' },
      },
      {
        time: '2026-11-23T10:00:02.000Z', host: 'web1', program: 'sudo', pid: 5120, level: 'info', message: 'alice : TTY=pts/0 ; USER=root ; COMMAND=/bin/sh',
        fields: { facility: 'authpriv', priority: '6', 'sd.meta.sequenceId': '7', 'sd.meta.note': 'a "quoted" ] bracket', 'sd.origin.ip': '192.0.2.10' },
      },
      { time: null, host: null, program: null, pid: null, level: 'low', message: '', fields: { facility: 'user', priority: '5' } },
      { time: '2026-11-23T10:00:04.000Z', host: 'app01', program: 'payments', pid: null, level: 'high', message: 'card declined for order 1188', fields: { facility: 'user', priority: '3', msgid: 'AUDIT', procid: 'worker-3' } },
      { time: '2026-11-23T10:00:05.000Z', host: 'app01', program: 'payments', pid: 7, level: 'info', message: 'payment received', fields: { facility: 'user', priority: '6' } },
    ]);
  });
  it('accepts a line without PRI and a backslash that escapes nothing', () => {
    const parse = syslog5424.createParser({ reference: new Date('2026-11-26T12:00:00Z') });
    const r = parse('1 2026-11-23T10:00:00Z h app - - [x p="C:\\dir"] m');
    assert.deepEqual(r === null || r === 'skip' ? r : [r.level, r.message, r.fields], [null, 'm', { 'sd.x.p': 'C:\\dir' }]);
  });
  it('rejects malformed lines', () => {
    const parse = syslog5424.createParser({ reference: new Date('2026-11-26T12:00:00Z') });
    for (const bad of ['', '<34>2 2026-11-23T10:00:00Z h a 1 - - m', '<34>1 2026-11-23 h a 1 - - m', '<34>1 2026-11-23T10:00:00Z h a 1 - [x p="unterminated] m',
      '<34>1 2026-11-23T10:00:00Z h a 1 - [x p=unquoted] m', '<34>1 2026-11-23T10:00:00Z h a 1 - [x p="v"]m', '<34>1 2026-11-23T10:00:00Z h a',
      'Nov 23 10:00:00 web1 sshd[1]: x']) {
      assert.equal(parse(bad), null, bad);
    }
  });
});
