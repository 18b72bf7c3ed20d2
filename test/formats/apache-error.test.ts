// Tests for the 'apache-error' format on 2.4 and 2.2 fixtures. Apache writes local time: the test runs in UTC.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { apacheError } from '../../src/formats/apache-error.js';
import type { ParsedLine } from '../../src/types.js';
import { fixture } from '../helpers/paths.js';

const ctx = { reference: new Date('2026-11-26T12:00:00Z') };
const read = (...p: string[]): string[] => readFileSync(fixture(...p), 'utf8').split('\n').filter((l) => l !== '');
const v24 = read('logs', 'apache', 'error.log');
const v22 = read('logs', 'apache', 'error-2.2.log');

function parse(line: string): (Omit<ParsedLine, 'time'> & { time: string | null }) | null {
  const r = apacheError.createParser(ctx)(line);
  if (r === null || r === 'skip') return r === null ? null : assert.fail('SKIP');
  return { ...r, time: r.time === null ? null : new Date(r.time).toISOString() };
}

describe('apache-error 2.4', () => {
  it('reads module:level, pid:tid, client with port and the AH code', () => {
    assert.deepEqual(parse(v24[2]!), {
      time: '2026-11-23T10:03:12.331Z',
      host: null,
      program: 'apache',
      pid: 1021,
      level: 'high',
      message: 'AH10244: invalid URI path (/wp-content/plugins/../../../wp-config.php)',
      fields: { module: 'core', tid: '140192899795648', ip: '198.51.100.77', port: '51422', code: 'AH10244' },
    });
  });

  it('reads a trailing referer', () => {
    const r = parse(v24[3]!);
    assert.equal(r?.fields.referer, 'https://intranet.example.com/login');
    assert.equal(r?.fields.module, 'auth_basic');
    assert.equal(r?.message, 'AH01617: user bob: authentication failure for "/login": Password Mismatch, referer: https://intranet.example.com/login');
  });

  it('splits the port off an unbracketed IPv6 client and reads a bracketed one', () => {
    assert.equal(parse(v24[4]!)?.fields.ip, '2001:db8::beef');
    assert.equal(parse(v24[4]!)?.fields.port, '40022');
    assert.equal(parse(v24[5]!)?.fields.ip, '2001:db8::beef');
    assert.equal(parse(v24[5]!)?.fields.port, '40023');
    assert.equal(parse(v24[5]!)?.level, 'medium');
  });

  it('takes [remote] as the address when there is no [client], and keeps it aside when there is', () => {
    assert.deepEqual(parse(v24[7]!)?.fields, { module: 'proxy_fcgi', tid: '140192874617536', ip: '10.0.0.7', port: '9000', code: 'AH01071' });
    assert.deepEqual(parse(v24[8]!)?.fields, {
      module: 'proxy', tid: '140192874617536', ip: '203.0.113.55', port: '51000', remote: '10.0.0.7', code: 'AH00898',
    });
  });

  it('maps crit, alert and trace levels; [pid N] without a thread', () => {
    const crit = parse(v24[9]!);
    assert.equal(crit?.level, 'critical');
    assert.equal(crit?.pid, 812);
    assert.equal(crit?.message, 'AH00102: [Mon Nov 23 10:09:00 2026] file server.c, line 1234, assertion "x" failed');
    assert.equal(parse(v24[10]!)?.level, 'critical');
    const trace = parse(v24[11]!);
    assert.equal(trace?.level, 'info');
    assert.equal(trace?.fields.ip, undefined, 'a [client] inside the message is not the header group');
  });

  it('parses every line of the fixture', () => {
    assert.equal(v24.length, 12);
    assert.deepEqual(v24.filter((l) => parse(l) === null), []);
  });
});

describe('apache-error 2.2', () => {
  it('reads [level] [client ip] without a port', () => {
    assert.deepEqual(parse(v22[2]!), {
      time: '2005-12-04T04:51:18.000Z',
      host: null,
      program: 'apache',
      pid: null,
      level: 'high',
      message: 'Directory index forbidden by rule: /var/www/html/',
      fields: { ip: '81.199.21.119' },
    });
  });

  it('does not take the end of an IPv6 address for a port', () => {
    assert.deepEqual(parse(v22[3]!)?.fields, { ip: '2001:db8::1' });
  });

  it('reads a space-padded day and a referer', () => {
    const r = parse(v22[4]!);
    assert.equal(r?.time, '2005-12-04T06:00:01.000Z');
    assert.equal(r?.fields.referer, 'http://intranet/');
  });

  it('reads notice lines without a client', () => {
    assert.deepEqual(parse(v22[0]!), {
      time: '2005-12-04T04:47:44.000Z',
      host: null,
      program: 'apache',
      pid: null,
      level: 'low',
      message: 'workerEnv.init() ok /etc/httpd/conf/workers2.properties',
      fields: {},
    });
  });
});

describe('apache-error: refusals and samples', () => {
  it('refuses other formats', () => {
    for (const line of [
      '[Mon Nov 23 10:00:00 2026] [shout] unknown level',
      '[Mon Foo 23 10:00:00 2026] [error] bad month',
      '[2026-11-23 10:00:00,123] ERROR in app: flask',
      '2026/11/23 10:00:00 [error] 1#1: nginx',
      '[Mon Nov 23 10:00:00 2026]',
      '',
    ]) {
      assert.equal(parse(line), null, line);
    }
  });

  for (const s of apacheError.samples) {
    it(`parses and probes the sample ${s.slice(0, 40)}`, () => {
      assert.equal(apacheError.probe(s), true);
      assert.notEqual(parse(s), null);
    });
  }
});
