// Tests Linux audit records: audit.log lines (plain and enriched), hex-encoded values, and records forwarded by syslog.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { auditd } from '../../src/formats/auditd.js';
import type { ParsedLine } from '../../src/types.js';
import { memoryIo } from '../helpers/io.js';
import { fixtureLines, parseAll } from './sys-helpers.js';

type View = Omit<ParsedLine, 'time'> & { time: string | null };

describe('auditd: audit.log', () => {
  const got = parseAll(auditd, fixtureLines('logs', 'auditd', 'audit.log')) as View[];
  it('parses every line', () => {
    assert.equal(got.length, 13);
    assert.ok(got.every((r) => r !== null));
  });
  it('reads a failed root login completely', () => {
    assert.deepEqual(got[2], {
      time: '2026-11-23T10:00:00.130Z', host: null, program: 'sshd', pid: 4120, level: null,
      message: "pid=4120 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=login acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=? addr=203.0.113.9 terminal=ssh res=failed'",
      fields: {
        pid: '4120', uid: '0', auid: '4294967295', ses: '4294967295', subj: 'unconfined', op: 'login', acct: 'root', exe: '/usr/sbin/sshd',
        hostname: '?', addr: '203.0.113.9', terminal: 'ssh', res: 'failed', audit_type: 'USER_LOGIN', user: 'root', ip: '203.0.113.9',
      },
      foreignText: true,
    });
  });
  it('decodes hex-encoded accounts and commands', () => {
    assert.equal(got[3]!.fields.acct, 'admin user');
    assert.equal(got[3]!.fields.user, 'admin user');
    assert.equal(got[3]!.fields.ip, '2001:db8::66');
    assert.equal(got[6]!.fields.cmd, 'cat /etc/shadow');
    assert.equal(got[9]!.fields.a1, '/etc/shadow');
    assert.equal(got[9]!.fields.a0, 'cat');
    assert.equal(got[10]!.fields.proctitle, 'cat /etc/shadow');
  });
  it('keeps hex-looking numbers of SYSCALL records as written and maps success onto res', () => {
    assert.equal(got[8]!.fields.a0, '55d0c0');
    assert.equal(got[8]!.fields.res, 'success');
    assert.equal(got[8]!.program, 'cat');
    assert.equal(got[8]!.fields.key, 'shadow');
  });
  it('takes the user from acct, else the enriched AUID name, else the numeric auid', () => {
    assert.deepEqual(got.map((r) => r.fields.user ?? null), [null, 'root', 'root', 'admin user', 'alice', 'alice', 'alice', 'backdoor', 'alice', null, null, 'tmpuser', '1001']);
  });
  it('gives types, times, programs, hosts and results', () => {
    assert.deepEqual(got.map((r) => r.fields.audit_type), ['DAEMON_START', 'USER_AUTH', 'USER_LOGIN', 'USER_AUTH', 'USER_ACCT', 'USER_START', 'USER_CMD', 'ADD_USER', 'SYSCALL', 'EXECVE', 'PROCTITLE', 'DEL_USER', 'USER_LOGIN']);
    assert.deepEqual(got.map((r) => r.program), ['auditd', 'sshd', 'sshd', 'sshd', 'sshd', 'sshd', 'sudo', 'useradd', 'cat', 'auditd', 'auditd', 'userdel', 'sshd']);
    assert.deepEqual(got.map((r) => r.fields.res ?? null), ['success', 'failed', 'failed', 'failed', 'success', 'success', 'success', 'success', 'success', null, null, 'success', 'success']);
    assert.equal(got[0]!.time, '2026-11-23T07:46:40.001Z');
    assert.equal(got[12]!.host, 'web1');
    assert.equal(got[12]!.time, '2026-11-23T10:01:00.000Z');
    assert.equal(got[5]!.fields.AUID, 'alice');
  });
});

describe('auditd: forwarded through syslog and journald', () => {
  it('reads the record inside the syslog message', () => {
    const got = parseAll(auditd, fixtureLines('logs', 'auditd', 'audit-syslog.log')) as View[];
    assert.deepEqual(got.map((r) => [r.time, r.host, r.program, r.pid, r.fields.audit_type, r.fields.user ?? null, r.fields.ip ?? null, r.fields.res ?? null]), [
      ['2026-11-23T10:00:05.000Z', 'web1', 'sshd', 4122, 'USER_LOGIN', 'admin', '198.51.100.23', 'failed'],
      ['2026-11-23T10:00:06.000Z', 'web1', 'userdel', 6002, 'DEL_USER', 'olduser', null, 'success'],
      ['2026-11-23T10:00:07.250Z', 'web1', 'auditd', 3100, 'AVC', null, null, null],
      ['2026-11-23T10:00:08.000Z', 'web1', 'sudo', 5120, 'USER_CMD', '1000', null, 'success'],
    ]);
    assert.equal(got[2]!.fields.apparmor, 'DENIED');
    assert.equal(got[2]!.fields.name, '/etc/shadow');
    assert.equal(got[3]!.fields.cmd, 'id');
    assert.equal(got[0]!.message, "pid=4122 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct=\"admin\" exe=\"/usr/sbin/sshd\" hostname=? addr=198.51.100.23 terminal=sshd res=failed'");
  });
  it('returns null for syslog lines that carry no audit record and for other text', () => {
    const parse = auditd.createParser({ reference: new Date('2026-11-26T12:00:00Z') });
    for (const bad of ['', 'type=', 'type=USER_LOGIN', 'type=USER_LOGIN msg=audit(): x', 'type=USER_LOGIN msg=audit(abc.1:2): x', 'node=web1',
      'Nov 23 10:00:00 web1 sshd[1]: Accepted password for alice', 'Nov 23 10:00:00 web1 audit[1]: lowercase pid=1', 'typewriter']) {
      assert.equal(parse(bad), null, bad);
    }
  });
  it('never lets a key named __proto__ change the fields object', () => {
    const parse = auditd.createParser({ reference: new Date('2026-11-26T12:00:00Z') });
    const r = parse("type=USER_LOGIN msg=audit(1795428000.000:1): __proto__=x msg='__proto__=\"y\" acct=\"a\"'") as ParsedLine;
    assert.equal(Object.getPrototypeOf(r.fields), Object.prototype);
    assert.equal(r.fields.acct, 'a');
  });
});

describe('auditd: application wording is not read in audit records', () => {
  // A command line auditd recorded (the execve rule) is text a local user chose, not an application's log.
  const forged = [
    'type=EXECVE msg=audit(1795428004.000:460): argc=2 a0="echo" a1="registration successful for user bob"',
    'type=EXECVE msg=audit(1795428004.100:461): argc=3 a0="curl" a1="-d" a2="login failed for user admin"',
  ].join('\n') + '\n';
  const plain = 'Nov 23 10:00:04 web1 shop[77]: login failed for user admin\n';

  it('gives no event for a command line worded like an application log, and the same words from an application still do', async () => {
    const io = memoryIo({ stdin: forged + plain });
    assert.equal(await main(['scan', '--json', '-'], io), 0);
    const events = io.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['kind'] === 'event');
    assert.deepEqual(events.map((e) => [e['line'], e['rule'], e['user']]), [[3, 'app.login_failure', 'admin']]);
  });

  it('reads audit records forwarded into a syslog file or the journal the same way, and the kernel\'s own lines as before', async () => {
    const syslog = [
      'Nov 23 10:00:05 web1 sshd[4122]: Accepted publickey for bob from 192.0.2.1 port 22 ssh2',
      'Nov 23 10:00:06 web1 audit[4123]: EXECVE argc=2 a0="echo" a1="login failed for user root"',
      'Nov 23 10:00:07 web1 kernel: audit: type=1400 audit(1795428007.000:5): apparmor="DENIED" name="/tmp/login failed for user root"',
      'Nov 23 10:00:08 web1 audispd: node=web1 type=EXECVE msg=audit(1795428008.000:6): argc=2 a0="echo" a1="login failed for user root"',
      'Nov 23 10:00:09 web1 kernel: Out of memory: Killed process 2211 (java) total-vm:4194304kB',
    ].join('\n') + '\n';
    const journal = JSON.stringify({
      __REALTIME_TIMESTAMP: '1795428010000000', SYSLOG_IDENTIFIER: 'audit', _TRANSPORT: 'audit', SYSLOG_FACILITY: '4',
      MESSAGE: 'EXECVE argc=3 a0="curl" a1="-d" a2="login failed for user admin"',
    }) + '\n';
    for (const [text, want] of [[syslog, [[1, 'sshd.accepted'], [5, 'kernel.oom_kill']]], [journal, []]] as const) {
      const io = memoryIo({ stdin: text });
      assert.equal(await main(['scan', '--json', '-'], io), 0);
      const events = io.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['kind'] === 'event');
      assert.deepEqual(events.map((e) => [e['line'], e['rule']]), want);
    }
  });

  it('marks every record as text its program did not word, forwarded through syslog or journald too', () => {
    const lines = [...fixtureLines('logs', 'auditd', 'audit.log'), ...auditd.samples];
    const parsed = parseAll(auditd, lines) as View[];
    assert.ok(parsed.length > 10 && parsed.every((r) => r !== null && r.foreignText === true));
  });
});
