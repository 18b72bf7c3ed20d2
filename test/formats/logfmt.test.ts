// Tests for the 'logfmt' format on the logfmt fixture: quoting, bare keys, the shared key mapping, and refusals.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { logfmt } from '../../src/formats/logfmt.js';
import type { ParsedLine } from '../../src/types.js';
import { fixture } from '../helpers/paths.js';

const ctx = { reference: new Date('2026-11-26T12:00:00Z') };
const lines = readFileSync(fixture('logs', 'app', 'service.logfmt'), 'utf8').split('\n').filter((l) => l !== '');

function parse(line: string): (Omit<ParsedLine, 'time'> & { time: string | null }) | null {
  const r = logfmt.createParser(ctx)(line);
  if (r === null || r === 'skip') return r === null ? null : assert.fail('SKIP');
  return { ...r, time: r.time === null ? null : new Date(r.time).toISOString() };
}

describe('logfmt', () => {
  it('reads a failed login', () => {
    assert.deepEqual(parse(lines[2]!), {
      time: '2026-11-23T10:01:00.003Z',
      host: null,
      program: 'auth',
      pid: null,
      level: 'medium',
      message: 'login failed',
      fields: {
        time: '2026-11-23T10:01:00.003Z',
        level: 'warn',
        msg: 'login failed',
        user: 'admin',
        ip: '198.51.100.23',
        reason: 'bad password',
        service: 'auth',
      },
    });
  });

  it('keeps a quoted phone number with spaces', () => {
    assert.equal(parse(lines[1]!)?.fields.phone, '+86 138 0013 8000');
  });

  it('reads a bare key as an empty value and an offset stamp', () => {
    const r = parse(lines[3]!);
    assert.equal(r?.fields.mfa, '');
    assert.equal(r?.fields.ip, '2001:db8::10');
    assert.equal(r?.time, '2026-11-23T09:01:30.000Z');
  });

  it('unescapes quoted values and maps ts/lvl/path/status', () => {
    assert.deepEqual(parse(lines[4]!), {
      time: '2026-11-23T10:02:12.777Z',
      host: null,
      program: null,
      pid: null,
      level: 'high',
      message: 'request failed: "qty" is not a number',
      fields: {
        ts: '1795428132.777',
        lvl: 'error',
        msg: 'request failed: "qty" is not a number',
        method: 'POST',
        path: '/api/orders',
        status: '500',
        caller: 'orders.go:42',
        url: '/api/orders',
      },
    });
  });

  it('reads fatal, app and pid', () => {
    const r = parse(lines[5]!);
    assert.equal(r?.level, 'critical');
    assert.equal(r?.program, 'db-proxy');
    assert.equal(r?.pid, 77);
  });

  it('parses every line of the fixture', () => {
    assert.equal(lines.length, 6);
    assert.deepEqual(lines.filter((l) => parse(l) === null), []);
  });

  it('unescapes \\n, \\t and \\\\ and keeps unknown escapes', () => {
    assert.equal(parse('level=info msg="a\\nb\\tc\\\\d\\qe"')?.message, 'a\nb\tc\\dqe');
  });

  it('refuses what is not logfmt', () => {
    for (const line of [
      'Nov 23 10:00:00 web-1 sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9 user=root',
      'type=USER_LOGIN msg=audit(1795428000.123:456): pid=1 uid=0 auid=4294967295 ses=4294967295 msg=\'op=login acct="root" res=failed\'',
      'node=web-1 type=USER_AUTH msg=audit(1795428000.123:457): pid=1 uid=0',
      'level=info',
      'level=info msg="unterminated',
      'a=1 b c d',
      '{"level":"info"}',
      '=x y=1',
      '',
    ]) {
      assert.equal(parse(line), null, line);
    }
  });

  it('probe wants one of the usual keys; the parser does not', () => {
    assert.equal(logfmt.probe('a=1 b=2'), false);
    assert.notEqual(parse('a=1 b=2'), null);
    assert.equal(logfmt.probe('ts=1795428000 msg=x'), true);
  });

  for (const s of logfmt.samples) {
    it(`parses and probes the sample ${s.slice(0, 40)}`, () => {
      assert.equal(logfmt.probe(s), true);
      assert.notEqual(parse(s), null);
    });
  }
});
