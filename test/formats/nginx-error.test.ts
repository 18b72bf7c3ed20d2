// Tests for the 'nginx-error' format on the nginx error_log fixture. nginx writes local time: the test runs in UTC.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { nginxError } from '../../src/formats/nginx-error.js';
import type { ParsedLine } from '../../src/types.js';
import { fixture } from '../helpers/paths.js';

const ctx = { reference: new Date('2026-11-26T12:00:00Z') };
const lines = readFileSync(fixture('logs', 'nginx', 'error.log'), 'utf8').split('\n').filter((l) => l !== '');

function parse(line: string): (Omit<ParsedLine, 'time'> & { time: string | null }) | null {
  const r = nginxError.createParser(ctx)(line);
  if (r === null || r === 'skip') return r === null ? null : assert.fail('SKIP');
  return { ...r, time: r.time === null ? null : new Date(r.time).toISOString() };
}

describe('nginx-error', () => {
  it('reads a file-not-found error with its context', () => {
    assert.deepEqual(parse(lines[3]!), {
      time: '2026-11-23T06:31:12.000Z',
      host: null,
      program: 'nginx',
      pid: 29,
      level: 'high',
      message: 'open() "/usr/share/nginx/html/.env" failed (2: No such file or directory), client: 198.51.100.77, server: shop.example.com, request: "GET /.env HTTP/1.1", host: "shop.example.com"',
      fields: {
        tid: '29',
        connection: '1043',
        ip: '198.51.100.77',
        vhost: 'shop.example.com',
        request: 'GET /.env HTTP/1.1',
        http_host: 'shop.example.com',
        method: 'GET',
        url: '/.env',
        protocol: 'HTTP/1.1',
      },
    });
  });

  it('reads a line without a connection number ([emerg])', () => {
    assert.deepEqual(parse(lines[2]!), {
      time: '2026-11-23T06:20:00.000Z',
      host: null,
      program: 'nginx',
      pid: 1,
      level: 'critical',
      message: 'bind() to 0.0.0.0:80 failed (98: Address already in use)',
      fields: { tid: '1' },
    });
  });

  it('maps every nginx level', () => {
    assert.deepEqual(lines.map((l) => parse(l)?.level), [
      'low', 'low', 'critical', 'high', 'high', 'critical', 'high', 'info', 'critical', 'medium',
    ]);
  });

  it('keeps quotes inside the message and reads upstream', () => {
    const r = parse(lines[4]!);
    assert.equal(r?.fields.ip, '192.0.2.15');
    assert.equal(r?.fields.url, '/products.php?id=1%27%20UNION%20SELECT');
    assert.equal(r?.fields.upstream, 'fastcgi://unix:/run/php/php8.3-fpm.sock:');
    assert.ok(r?.message.startsWith('FastCGI sent in stderr: "PHP message: PHP Warning:  Undefined array key "id"'));
  });

  it('reads an IPv6 client and a server that is an address', () => {
    const r = parse(lines[5]!);
    assert.equal(r?.fields.ip, '2001:db8:85a3::8a2e:370:7334');
    assert.equal(r?.fields.vhost, '0.0.0.0:443');
    assert.equal(r?.fields.method, undefined);
  });

  it('reads a request that is not a request line (TLS on the plain port)', () => {
    const r = parse(lines[7]!);
    assert.equal(r?.fields.request, '\\x16\\x03\\x01\\x00\\xA5');
    assert.equal(r?.fields.method, undefined);
    assert.equal(r?.fields.ip, '192.0.2.44');
  });

  it('reads the referrer', () => {
    assert.equal(parse(lines[9]!)?.fields.referer, 'https://shop.example.com/reports');
  });

  it('skips a fake ", client: " that is not an address', () => {
    const r = parse('2026/11/23 10:00:00 [error] 7#7: *1 open() "/a, client: me" failed, client: 203.0.113.5, server: x');
    assert.equal(r?.fields.ip, '203.0.113.5');
    assert.equal(r?.fields.vhost, 'x');
  });

  it('parses every line of the fixture', () => {
    assert.equal(lines.length, 10);
    assert.deepEqual(lines.filter((l) => parse(l) === null), []);
  });

  it('refuses other formats and broken stamps', () => {
    for (const line of [
      '2026/11/23 10:00:00 [loud] 1#1: nope',
      '2026/13/23 10:00:00 [error] 1#1: bad month',
      '2026/11/23 10:00:00 [error] 1: no thread id',
      '2026-11-23 10:00:00,123 ERROR [app] not nginx',
      '[Mon Nov 23 10:00:00 2026] [error] apache',
      '',
    ]) {
      assert.equal(parse(line), null, line);
    }
  });

  for (const s of nginxError.samples) {
    it(`parses and probes the sample ${s.slice(0, 40)}`, () => {
      assert.equal(nginxError.probe(s), true);
      assert.notEqual(parse(s), null);
    });
  }
});
