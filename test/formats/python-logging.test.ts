// Tests for the 'python' format: the Flask fixture read in order through one parser (tracebacks are continuation
// records), and each layout alone. Python's asctime is local time: the test runs in UTC.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { pythonLogging } from '../../src/formats/python-logging.js';
import type { LineParser, ParsedLine } from '../../src/types.js';
import { fixture } from '../helpers/paths.js';

const ctx = { reference: new Date('2026-11-26T12:00:00Z') };
const lines = readFileSync(fixture('logs', 'app', 'flask.log'), 'utf8').split('\n').filter((l) => l !== '');

type Shown = (Omit<ParsedLine, 'time'> & { time: string | null }) | null;

function show(r: ReturnType<LineParser>): Shown {
  if (r === null || r === 'skip') return r === null ? null : assert.fail('SKIP');
  return { ...r, time: r.time === null ? null : new Date(r.time).toISOString() };
}

/** Every line of `input` through one parser, in order. */
function parseAll(input: readonly string[]): Shown[] {
  const p = pythonLogging.createParser(ctx);
  return input.map((l) => show(p(l)));
}

const parse = (line: string): Shown => show(pythonLogging.createParser(ctx)(line));
const flask = parseAll(lines);

describe('python: the Flask log', () => {
  it('reads the Flask default layout', () => {
    assert.deepEqual(flask[5], {
      time: '2026-11-23T10:00:00.101Z',
      host: null,
      program: 'flask',
      pid: null,
      level: 'info',
      message: 'user registered: username=alice email=alice@example.com ip=203.0.113.10',
      fields: { module: 'auth' },
    });
    assert.equal(flask[11]?.level, 'medium');
    assert.equal(flask[11]?.message, 'login failed for user admin from 198.51.100.23');
    assert.equal(flask[26]?.level, 'critical');
    assert.equal(flask[26]?.fields.module, 'db');
  });

  it('reads werkzeug request lines: ip, method, url, status', () => {
    assert.deepEqual(flask[6], {
      time: '2026-11-23T10:00:00.000Z',
      host: null,
      program: 'werkzeug',
      pid: null,
      level: null,
      message: '127.0.0.1 - - [23/Nov/2026 10:00:00] "POST /api/register HTTP/1.1" 201 -',
      fields: { ip: '127.0.0.1', request: 'POST /api/register HTTP/1.1', method: 'POST', url: '/api/register', protocol: 'HTTP/1.1', status: '201' },
      foreignText: true,
    });
    assert.equal(flask[12]?.fields.status, '401');
    assert.equal(flask[25]?.fields.ip, '::1');
    assert.equal(flask[25]?.fields.url, '/api/password/reset');
  });

  it('makes the traceback continuation records without a level, after the ERROR record', () => {
    assert.equal(flask[15]?.level, 'high');
    assert.equal(flask[15]?.message, 'Exception on /api/orders [POST]');
    for (let i = 16; i <= 22; i++) {
      assert.deepEqual(flask[i], {
        time: '2026-11-23T10:02:12.777Z',
        host: null,
        program: 'flask',
        pid: null,
        level: null,
        message: lines[i],
        fields: { continuation: 'traceback' },
      }, `line ${i + 1}`);
    }
    assert.equal(flask[22]?.message, "ValueError: invalid literal for int() with base 10: 'abc'");
    assert.equal(flask[23]?.fields.status, '500');
  });

  it('reads the werkzeug banner, its development-server warning, and leaves "Press CTRL+C" unparsed', () => {
    assert.equal(flask[0]?.program, 'werkzeug');
    assert.equal(flask[0]?.message, "Serving Flask app 'shop'");
    assert.deepEqual([flask[2]?.program, flask[2]?.level], ['python', 'medium']);
    assert.equal(flask[4], null);
  });

  it("reads werkzeug's lines about a request it refused (they quote the client's bytes): ip and time, a request record", () => {
    assert.deepEqual(parse("203.0.113.9 - - [23/Nov/2026 10:00:07] code 400, message Bad request syntax ('\\x16\\x03\\x01\\x00')"), {
      time: '2026-11-23T10:00:07.000Z',
      host: null,
      program: 'werkzeug',
      pid: null,
      level: null,
      message: "203.0.113.9 - - [23/Nov/2026 10:00:07] code 400, message Bad request syntax ('\\x16\\x03\\x01\\x00')",
      fields: { ip: '203.0.113.9' },
      foreignText: true,
    });
    const logged = parse("2026-11-23 10:00:08,000 INFO werkzeug: ::1 - - [23/Nov/2026 10:00:08] code 505, message Invalid HTTP version (2.0)");
    assert.deepEqual([logged?.program, logged?.fields, logged?.foreignText], ['werkzeug', { logger: 'werkzeug', ip: '::1' }, true]);
    // not werkzeug's wording: `code` must be followed by three digits and `, message `
    assert.equal(parse('203.0.113.9 - - [23/Nov/2026 10:00:07] code 40, message x'), null);
    assert.equal(parse('203.0.113.9 - - [23/Nov/2026 10:00:07] Error on request:'), null);
  });

  it('reads basicConfig werkzeug lines (time from the request) and the other layouts', () => {
    assert.deepEqual(flask[27]?.fields, {
      logger: 'werkzeug', ip: '127.0.0.1', request: 'GET /health HTTP/1.1', method: 'GET', url: '/health', protocol: 'HTTP/1.1', status: '200',
    });
    assert.equal(flask[27]?.time, '2026-11-23T10:05:00.000Z');
    assert.equal(flask[27]?.level, 'info');
    assert.deepEqual(flask[28], {
      time: '2026-11-23T10:05:01.250Z',
      host: null,
      program: 'shop',
      pid: null,
      level: 'high',
      message: 'payment declined for order 1042',
      fields: { logger: 'shop.payments' },
    });
    assert.equal(flask[29]?.fields.logger, 'shop.auth');
    assert.equal(flask[29]?.message, 'account locked: user=admin ip=198.51.100.23');
    assert.deepEqual(flask[30], {
      time: null, host: null, program: 'shop', pid: null, level: 'high', message: 'too many failed logins for admin', fields: { logger: 'shop.auth' },
    });
  });

  it('parses every line but one', () => {
    assert.equal(lines.length, 31);
    assert.deepEqual(flask.map((r, i) => (r === null ? i : -1)).filter((i) => i >= 0), [4]);
  });
});

describe('python: layouts one by one', () => {
  it('reads `LEVEL logger: msg` with padding, `[LEVEL] logger: msg`, `logger LEVEL msg`', () => {
    assert.deepEqual(parse('2026-11-23 10:00:00,123 INFO     app.auth: login ok for alice')?.fields, { logger: 'app.auth' });
    assert.equal(parse('2026-11-23 10:00:00,123 INFO     app.auth: login ok for alice')?.message, 'login ok for alice');
    assert.equal(parse('2026-11-23 10:00:00,123 [WARNING] app.sms: slow gateway')?.level, 'medium');
    assert.equal(parse('2026-11-23 10:00:00,123 [WARNING] app.sms: slow gateway')?.message, 'slow gateway');
    const r = parse('2026-11-23T10:00:00.5 app.db CRITICAL disk full');
    assert.deepEqual([r?.time, r?.fields.logger, r?.level, r?.message], ['2026-11-23T10:00:00.500Z', 'app.db', 'critical', 'disk full']);
  });

  it('reads a level without a logger, and root / __main__ as program python', () => {
    const r = parse('2026-11-23 10:00:00,123 ERROR something broke: badly');
    assert.deepEqual([r?.program, r?.fields.logger, r?.message], ['python', undefined, 'something broke: badly']);
    assert.equal(parse('ERROR:root:oops')?.program, 'python');
    assert.equal(parse('WARNING:__main__:careful')?.program, 'python');
  });

  it('reads uvicorn lines and its access log', () => {
    assert.deepEqual(parse('INFO:     Started server process [4321]'), {
      time: null, host: null, program: 'uvicorn', pid: null, level: 'info', message: 'Started server process [4321]', fields: {},
    });
    assert.deepEqual(parse('INFO:     203.0.113.9:52100 - "GET /admin?x=1 HTTP/1.1" 403 Forbidden')?.fields, {
      ip: '203.0.113.9', port: '52100', request: 'GET /admin?x=1 HTTP/1.1', method: 'GET', url: '/admin?x=1', protocol: 'HTTP/1.1', status: '403',
    });
    assert.equal(parse('ERROR:    Exception in ASGI application')?.level, 'high');
  });

  it('reads gunicorn lines with their zone and pid', () => {
    assert.deepEqual(parse('[2026-11-23 10:00:00 +0100] [1234] [CRITICAL] WORKER TIMEOUT (pid:1240)'), {
      time: '2026-11-23T09:00:00.000Z', host: null, program: 'gunicorn', pid: 1234, level: 'critical', message: 'WORKER TIMEOUT (pid:1240)', fields: {},
    });
  });

  it('strips werkzeug colours from the request line', () => {
    const r = parse('127.0.0.1 - - [23/Nov/2026 10:00:00] "\x1b[33mGET /missing HTTP/1.1\x1b[0m" 404 -');
    assert.equal(r?.fields.url, '/missing');
    assert.equal(r?.fields.status, '404');
  });

  it('reads chained tracebacks, and an exception line only inside a traceback', () => {
    const out = parseAll([
      '2026-11-23 10:00:00,000 - app - ERROR - failed',
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in <module>',
      'KeyError: \'x\'',
      '',
      'During handling of the above exception, another exception occurred:',
      'Traceback (most recent call last):',
      '  File "a.py", line 3, in <module>',
      'app.errors.PaymentError',
      'KeyError: \'after the end\'',
    ]);
    assert.deepEqual(out.map((r) => r?.fields.continuation ?? (r === null ? null : 'record')), [
      'record', 'traceback', 'traceback', 'traceback', null, 'traceback', 'traceback', 'traceback', 'traceback', null,
    ]);
    assert.equal(out[3]?.fields.logger, 'app');
  });

  it('reads a traceback with no record before it; indented lines alone are not python', () => {
    const out = parseAll(['Traceback (most recent call last):', '  File "x.py", line 2, in <module>', 'SystemExit: 1']);
    assert.deepEqual(out.map((r) => [r?.program, r?.time, r?.level]), [['python', null, null], ['python', null, null], ['python', null, null]]);
    assert.equal(parse('    indented text'), null);
  });

  it('refuses other formats', () => {
    for (const line of [
      'Nov 23 10:00:00 web-1 sshd[1]: Accepted password for alice',
      '2026-11-23T10:00:00.123+01:00 web-1 sshd[1]: Accepted password for alice',
      '2026/11/23 10:00:00 [error] 1#1: nginx',
      '[Mon Nov 23 10:00:00 2026] [error] apache',
      '203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1',
      '{"level":"error"}',
      'level=error msg=x',
      'Error: something',
      '2026-11-23 10:00:00,123 hello world',
      '[2026-11-23 10:00:00,123] NOTALEVEL in app: x',
      '',
    ]) {
      assert.equal(parse(line), null, line);
    }
  });

  for (const s of pythonLogging.samples) {
    it(`parses and probes the sample ${s.slice(0, 40)}`, () => {
      assert.equal(pythonLogging.probe(s), true);
      assert.notEqual(parse(s), null);
    });
  }
});
