// Tests the RFC 3164 syslog format on realistic auth.log / secure / messages fixtures and on odd variants.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syslog3164 } from '../../src/formats/syslog-3164.js';
import type { ParsedLine } from '../../src/types.js';
import { CTX, fixtureLines, iso, parseAll } from './sys-helpers.js';

type Row = [time: string, host: string | null, program: string | null, pid: number | null, message: string];

/** Expected records without level or fields (files without <PRI> have neither). */
function plain(rows: Row[]): unknown[] {
  return rows.map(([time, host, program, pid, message]) => ({ time, host, program, pid, level: null, message, fields: {} }));
}

describe('syslog-3164: auth.log (Debian)', () => {
  it('reads every line by position', () => {
    assert.deepEqual(parseAll(syslog3164, fixtureLines('logs', 'syslog', 'auth.log')), plain([
      ['2026-11-23T06:25:01.000Z', 'web1', 'CRON', 20211, 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)'],
      ['2026-11-23T06:25:01.000Z', 'web1', 'CRON', 20211, 'pam_unix(cron:session): session closed for user root'],
      ['2026-11-23T10:00:00.000Z', 'web1', 'sshd', 4120, 'Invalid user admin from 203.0.113.9 port 52144'],
      ['2026-11-23T10:00:02.000Z', 'web1', 'sshd', 4120, 'pam_unix(sshd:auth): check pass; user unknown'],
      ['2026-11-23T10:00:02.000Z', 'web1', 'sshd', 4120, 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9'],
      ['2026-11-23T10:00:04.000Z', 'web1', 'sshd', 4120, 'Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2'],
      ['2026-11-23T10:00:05.000Z', 'web1', 'sshd', 4120, 'Connection closed by invalid user admin 203.0.113.9 port 52144 [preauth]'],
      ['2026-11-23T10:01:10.000Z', 'web1', 'sshd', 4188, 'Failed password for root from 2001:db8:beef::17 port 40112 ssh2'],
      ['2026-11-23T10:01:12.000Z', 'web1', 'sshd', 4188, 'message repeated 2 times: [ Failed password for root from 2001:db8:beef::17 port 40112 ssh2]'],
      ['2026-11-23T10:02:00.000Z', 'web1', 'sshd', 4201, 'Accepted publickey for deploy from 198.51.100.20 port 51022 ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4cXV1eHh5enp5eHh5enp5eHh5'],
      ['2026-11-23T10:02:00.000Z', 'web1', 'sshd', 4201, 'pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)'],
      ['2026-11-23T10:02:00.000Z', 'web1', 'systemd-logind', 611, 'New session 42 of user deploy.'],
      ['2026-11-23T10:03:15.000Z', 'web1', 'sudo', null, '  deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx'],
      ['2026-11-23T10:03:15.000Z', 'web1', 'sudo', null, 'pam_unix(sudo:session): session opened for user root(uid=0) by deploy(uid=1001)'],
      ['2026-11-23T10:04:40.000Z', 'web1', 'sudo', null, ' mallory : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/mallory ; USER=root ; COMMAND=/bin/bash'],
      ['2026-11-23T10:05:00.000Z', 'web1', 'su', 4302, 'FAILED SU (to root) mallory on pts/1'],
      ['2026-11-23T10:06:00.000Z', 'web1', 'useradd', 4410, 'new user: name=backdoor, UID=1002, GID=1002, home=/home/backdoor, shell=/bin/bash, from=/dev/pts/0'],
      ['2026-11-23T10:06:30.000Z', 'web1', 'passwd', 4420, 'pam_unix(passwd:chauthtok): password changed for backdoor'],
      ['2026-11-23T10:07:00.000Z', 'web1', 'sshd', 4500, 'Did not receive identification string from 192.0.2.44 port 61000'],
      ['2026-11-23T10:07:01.000Z', 'web1', 'sshd', 4501, 'error: kex_exchange_identification: Connection closed by remote host'],
      ['2026-11-23T10:08:00.000Z', 'web1', 'sshd', 812, 'Server listening on :: port 22.'],
    ]));
  });
});

describe('syslog-3164: secure (RHEL), padded days, (pam_unix) tags', () => {
  it('gives sshd(pam_unix) and su(pam_unix) as sshd and su', () => {
    const got = parseAll(syslog3164, fixtureLines('logs', 'syslog', 'secure')) as ParsedLine[];
    assert.equal(got.length, 12);
    assert.deepEqual(got.slice(0, 5), plain([
      ['2026-11-03T04:02:11.000Z', 'db2', 'sshd', 2231, 'Failed password for root from 198.51.100.77 port 39022 ssh2'],
      ['2026-11-03T04:02:13.000Z', 'db2', 'sshd', 2231, 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=198.51.100.77  user=root'],
      ['2026-11-03T04:02:15.000Z', 'db2', 'sshd', 2231, 'PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.77  user=root'],
      ['2026-11-03T04:05:40.000Z', 'db2', 'su', 2290, 'session opened for user postgres by alice(uid=1000)'],
      ['2026-11-03T04:05:41.000Z', 'db2', 'su', 2290, 'session closed for user postgres'],
    ]));
    assert.deepEqual(got.map((r) => r.program), ['sshd', 'sshd', 'sshd', 'su', 'su', 'unix_chkpwd', 'sshd', 'sshd', 'groupadd', 'groupadd', 'userdel', 'polkitd']);
  });
});

describe('syslog-3164: messages across New Year', () => {
  it('puts December in the previous year and January in the reference year', () => {
    const ctx = { reference: new Date('2027-01-01T00:05:00Z') };
    assert.deepEqual(parseAll(syslog3164, fixtureLines('logs', 'syslog', 'messages'), ctx), plain([
      ['2026-12-31T23:58:01.000Z', 'gw', 'kernel', null, '[8812345.112233] device eth0 entered promiscuous mode'],
      ['2026-12-31T23:59:10.000Z', 'gw', 'dhclient', 1020, 'DHCPREQUEST on eth0 to 192.0.2.1 port 67 (xid=0x5a3c12)'],
      ['2026-12-31T23:59:59.000Z', 'gw', 'rsyslogd', null, '-- MARK --'],
      ['2027-01-01T00:00:00.000Z', 'gw', 'systemd', 1, 'Starting logrotate.service - Rotate log files...'],
      ['2027-01-01T00:00:01.000Z', 'gw', 'kernel', null, 'Out of memory: Killed process 2211 (java) total-vm:4194304kB, anon-rss:2097152kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:4500kB oom_score_adj:0'],
      ['2027-01-01T00:00:01.000Z', 'gw', null, null, 'last message repeated 3 times'],
      ['2027-01-01T00:00:02.000Z', 'gw', 'org.gnome.Shell.desktop', 2000, 'Window manager warning: last_user_time (1234) is greater than comparison timestamp (1200).'],
      ['2027-01-01T00:00:03.000Z', 'gw', 'systemd-coredump', 3001, 'Process 2999 (nginx) of user 33 dumped core.'],
      ['2027-01-01T00:00:04.000Z', '2001:db8::53', 'named', 900, "client @0x7f 198.51.100.9#53211 (example.com): query (cache) 'example.com/A/IN' denied"],
      ['2027-01-01T00:00:05.000Z', '192.0.2.254', 'dropbear', 77, "Bad password attempt for 'root' from 203.0.113.50:4122"],
      ['2027-01-01T00:00:06.000Z', 'gw', 'kernel', null, 'traps: php-fpm[3100] general protection fault ip:7f00 sp:7ffd error:0 in libc.so.6[7f00+1000]'],
      ['2027-01-01T00:00:07.000Z', 'gw', 'sshd', 3200, 'Connection from 203.0.113.51 port 5500 on 192.0.2.2 port 22 rdomain ""'],
      ['2027-01-01T00:00:08.000Z', 'gw', 'syslogd', null, 'restart.'],
    ]));
  });
  it('reads the same file a year later as the year before, never in the future', () => {
    const got = parseAll(syslog3164, fixtureLines('logs', 'syslog', 'messages'), { reference: new Date('2027-06-01T00:00:00Z') }) as ParsedLine[];
    assert.equal((got[0] as unknown as { time: string }).time, '2026-12-31T23:58:01.000Z');
    assert.equal((got[3] as unknown as { time: string }).time, '2027-01-01T00:00:00.000Z');
  });
});

describe('syslog-3164: rsyslog RFC 3339 stamps', () => {
  it('reads the offset and the fraction', () => {
    const got = parseAll(syslog3164, fixtureLines('logs', 'syslog', 'rsyslog-precise.log')) as { time: string; program: string; message: string }[];
    assert.deepEqual(got.map((r) => r.time), [
      '2026-11-23T09:00:00.123Z', '2026-11-23T09:00:00.512Z', '2026-11-23T09:00:01.000Z', '2026-11-23T09:00:02.250Z', '2026-11-23T09:00:03.999Z',
    ]);
    assert.deepEqual(got.map((r) => r.program), ['sshd', 'sshd', 'sudo', 'kernel', 'CRON']);
    assert.equal(got[3]!.message, '[  12.345678] EXT4-fs (sda1): mounted filesystem with ordered data mode');
  });
});

describe('syslog-3164: <PRI> prefixes from network devices', () => {
  it('sets facility, priority and level from PRI', () => {
    const got = parseAll(syslog3164, fixtureLines('logs', 'syslog', 'remote-pri.log'));
    assert.deepEqual(got, [
      { time: '2026-11-23T10:00:05.000Z', host: '192.0.2.254', program: 'dropbear', pid: 77, level: 'info', message: "Bad password attempt for 'root' from 203.0.113.50:4122", fields: { facility: 'auth', priority: '6' } },
      { time: '2026-11-23T10:00:06.000Z', host: '192.0.2.254', program: 'dropbear', pid: 78, level: 'info', message: "Password auth succeeded for 'root' from 198.51.100.3:5000", fields: { facility: 'authpriv', priority: '6' } },
      { time: '2026-11-23T10:00:07.000Z', host: 'fw1', program: 'sshd', pid: 91, level: 'critical', message: 'error: PAM: Authentication failure for illegal user guest from 203.0.113.50', fields: { facility: 'auth', priority: '2' } },
      { time: '2026-11-23T10:00:08.000Z', host: 'fw1', program: 'logger', pid: null, level: 'low', message: 'test message from the admin', fields: { facility: 'user', priority: '5' } },
      { time: '2026-11-23T10:00:09.000Z', host: 'fw1', program: 'kernel', pid: null, level: 'critical', message: 'Kernel panic - not syncing: Fatal exception', fields: { facility: 'kern', priority: '0' } },
    ]);
  });
});

describe('syslog-3164: rotated file with CRLF, invalid UTF-8, a blank line and a double space', () => {
  it('parses the lines as the sources deliver them', () => {
    const lines = fixtureLines('logs', 'syslog', 'auth.log.1');
    const parse = syslog3164.createParser(CTX);
    const r0 = parse(lines[0]!) as ParsedLine;
    assert.equal(r0.message, 'Failed password for invalid user \ufffd\ufffdadmin from 203.0.113.70 port 40000 ssh2');
    const r1 = parse(lines[1]!) as ParsedLine;
    assert.deepEqual([r1.host, r1.program, r1.pid, r1.message], ['web1', 'sshd', 1101, 'Received disconnect from 203.0.113.70 port 40000:11: Bye Bye [preauth]']);
    assert.equal(parse(lines[3]!), null);
    assert.equal(iso((parse(lines[4]!) as ParsedLine).time), '2026-11-16T07:12:00.000Z');
  });
});

describe('syslog-3164: odd lines', () => {
  const parse = syslog3164.createParser(CTX);
  const one = (line: string): unknown => {
    const r = parse(line);
    return r === null || r === 'skip' ? r : [r.host, r.program, r.pid, r.message];
  };
  it('reads lines without a host', () => {
    assert.deepEqual(one('Nov 23 10:00:00 sshd[12]: Connection closed'), [null, 'sshd', 12, 'Connection closed']);
    assert.deepEqual(one('Nov 23 10:00:00 kernel: usb 1-1: new device'), [null, 'kernel', null, 'usb 1-1: new device']);
  });
  it('keeps an IPv6 host that ends with a colon', () => {
    assert.deepEqual(one('Nov 23 10:00:00 2001:db8:: sshd[12]: hi'), ['2001:db8::', 'sshd', 12, 'hi']);
  });
  it('reads macOS-style tags without a colon and tags with an empty message', () => {
    assert.deepEqual(one('Nov 23 10:00:00 mac com.apple.xpc.launchd[1] (com.apple.mdworker): exited'), ['mac', 'com.apple.xpc.launchd', 1, '(com.apple.mdworker): exited']);
    assert.deepEqual(one('Nov 23 10:00:00 web1 sshd[12]:'), ['web1', 'sshd', 12, '']);
    assert.deepEqual(one('Nov 23 10:00:00 web1'), ['web1', null, null, '']);
  });
  it('keeps a non-numeric pid out of pid', () => {
    assert.deepEqual(one('Nov 23 10:00:00 web1 foo[bar]: x'), ['web1', 'foo', null, 'x']);
  });
  it('does not treat a bracketed word in the message as a tag', () => {
    assert.deepEqual(one('Nov 23 10:00:00 web1 -- root[2421]: ROOT LOGIN ON tty2'), ['web1', null, null, '-- root[2421]: ROOT LOGIN ON tty2']);
  });
  it('rejects what is not syslog', () => {
    for (const bad of ['', 'hello world', 'Nov 23 10:00:00', 'Nov 23 10:00:00.123 web1 sshd[1]: x', '2026-11-23T10:00:00+0100 web1 sshd[1]: x',
      '2026-11-23T10:00:00 web1 sshd[1]: x', '<34>1 2026-11-23T10:00:00Z web1 sshd 1 - - x', '<999>Nov 23 10:00:00 h p: m', 'Nov 31 10:00:00 h p: m',
      '203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1']) {
      assert.equal(parse(bad), null, bad);
    }
  });
  it('copies host and program out of the line', () => {
    const a = parse('Nov 23 10:00:00 a-rather-long-host-name.example.com a-rather-long-program-name[1]: x') as ParsedLine;
    const b = parse('Nov 23 10:00:01 a-rather-long-host-name.example.com a-rather-long-program-name[2]: y') as ParsedLine;
    assert.equal(a.host, 'a-rather-long-host-name.example.com');
    assert.equal(a.host, b.host);
    assert.equal(a.program, 'a-rather-long-program-name');
  });
});
