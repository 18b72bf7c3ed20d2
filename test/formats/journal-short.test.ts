// Tests journalctl's short outputs: markers (SKIP), short, short-precise, short-iso, short-full, short-unix.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journalShort } from '../../src/formats/journal-short.js';
import { SKIP } from '../../src/types.js';
import { fixtureLines, parseAll } from './sys-helpers.js';

const rec = (time: string, host: string, program: string, pid: number | null, message: string): unknown => ({ time, host, program, pid, level: null, message, fields: {} });

describe('journal (short)', () => {
  it('skips markers and reads the entries', () => {
    assert.deepEqual(parseAll(journalShort, fixtureLines('logs', 'journal', 'short.log')), [
      SKIP,
      rec('2026-11-23T09:59:58.000Z', 'web1', 'systemd', 1, 'Starting ssh.service - OpenBSD Secure Shell server...'),
      rec('2026-11-23T10:00:00.000Z', 'web1', 'sshd', 4120, 'Failed password for root from 203.0.113.9 port 52144 ssh2'),
      rec('2026-11-23T10:00:01.000Z', 'web1', 'sshd', 4120, 'Connection closed by authenticating user root 203.0.113.9 port 52144 [preauth]'),
      SKIP,
      rec('2026-11-23T10:05:00.000Z', 'web1', 'kernel', null, 'Linux version 6.8.0-49-generic (buildd@lcy02-amd64-103) (x86_64-linux-gnu-gcc-13)'),
      rec('2026-11-23T10:05:12.000Z', 'web1', 'systemd-logind', 610, 'New session 1 of user alice.'),
      SKIP,
      rec('2026-11-23T10:09:30.000Z', 'web1', 'sudo', 5120, '   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash'),
    ]);
  });
  it('reads short-iso and short-iso-precise', () => {
    assert.deepEqual(parseAll(journalShort, fixtureLines('logs', 'journal', 'short-iso.log')), [
      rec('2026-11-23T09:00:00.000Z', 'web1', 'sshd', 4120, 'Invalid user ftpuser from 203.0.113.9 port 52144'),
      rec('2026-11-23T09:00:02.000Z', 'web1', 'sshd', 4120, 'Failed password for invalid user ftpuser from 203.0.113.9 port 52144 ssh2'),
      rec('2026-11-23T09:00:03.000Z', 'web1', 'systemd', 1, 'Started session-42.scope - Session 42 of User alice.'),
      rec('2026-11-23T09:00:04.654Z', 'web1', 'sudo', 5120, 'pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice'),
      rec('2026-11-23T09:00:05.000Z', 'web1', 'kernel', null, 'nginx[3100]: segfault at 0 ip 00005555 sp 00007ffd error 4 in nginx[5555+1000]'),
    ]);
  });
  it('reads short-precise', () => {
    const got = parseAll(journalShort, fixtureLines('logs', 'journal', 'short-precise.log')) as { time: string }[];
    assert.deepEqual(got.map((r) => r.time), ['2026-11-23T10:00:00.123Z', '2026-11-23T10:00:00.987Z', '2026-11-23T10:00:01.000Z', '2026-11-03T10:00:02.500Z']);
  });
  it('reads short-full with abbreviated and numeric zones', () => {
    assert.deepEqual(parseAll(journalShort, fixtureLines('logs', 'journal', 'short-full.log')), [
      SKIP,
      rec('2026-11-23T10:00:00.000Z', 'web1', 'sshd', 4120, 'Failed password for root from 203.0.113.9 port 52144 ssh2'),
      rec('2026-11-23T10:00:01.000Z', 'web1', 'sshd', 4120, 'Failed password for root from 203.0.113.9 port 52144 ssh2'),
      rec('2026-11-23T10:00:02.000Z', 'web1', 'systemd-logind', 610, 'New session 7 of user alice.'),
      rec('2026-11-23T10:00:03.000Z', 'web1', 'su', 700, '(to root) alice on pts/0'),
    ]);
  });
  it('reads short-unix', () => {
    const parse = journalShort.createParser({ reference: new Date('2026-11-26T12:00:00Z') });
    const r = parse('1795428003.000123 web1 kernel: Out of memory: Killed process 2211 (java)');
    assert.deepEqual(r === null || r === SKIP ? r : [new Date(r.time!).toISOString(), r.program, r.message], ['2026-11-23T10:00:03.000Z', 'kernel', 'Out of memory: Killed process 2211 (java)']);
  });
  it('returns null for what is not journal output', () => {
    const parse = journalShort.createParser({ reference: new Date('2026-11-26T12:00:00Z') });
    for (const bad of ['', '--', '-- not closed', '--no space --', 'Mon 2026-11-23 10:00:00', 'Nov 23 10:00:00.x web1 a: b', '2026-11-23 10:00:00 web1 a: b', '12345.5 h p: m', 'hello world']) {
      assert.equal(parse(bad), null, bad);
    }
  });
});
