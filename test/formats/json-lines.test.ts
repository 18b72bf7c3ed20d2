// Tests for the 'json' format on the JSON-lines application fixture, and the key mapping it shares with logfmt.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { jsonLines } from '../../src/formats/json-lines.js';
import type { ParsedLine } from '../../src/types.js';
import { fixture } from '../helpers/paths.js';

const ctx = { reference: new Date('2026-11-26T12:00:00Z') };
const lines = readFileSync(fixture('logs', 'app', 'app.jsonl'), 'utf8').split('\n').filter((l) => l !== '');

function parse(line: string): (Omit<ParsedLine, 'time'> & { time: string | null }) | null {
  const r = jsonLines.createParser(ctx)(line);
  if (r === null || r === 'skip') return r === null ? null : assert.fail('SKIP');
  return { ...r, time: r.time === null ? null : new Date(r.time).toISOString() };
}

describe('json: pino lines', () => {
  it('flattens nested objects and maps the usual keys', () => {
    assert.deepEqual(parse(lines[0]!), {
      time: '2026-11-23T10:00:00.101Z',
      host: 'api-1',
      program: 'shop-api',
      pid: 4242,
      level: 'info',
      message: 'user registered',
      fields: {
        level: '30',
        time: '1795428000101',
        pid: '4242',
        hostname: 'api-1',
        name: 'shop-api',
        'req.id': '17',
        'req.method': 'POST',
        'req.url': '/api/register',
        'req.remoteAddress': '::ffff:203.0.113.10',
        'req.headers.user-agent': 'Mozilla/5.0',
        event: 'user.register',
        'user.name': 'alice',
        'user.id': '1001',
        email: 'alice@example.com',
        msg: 'user registered',
        ip: '203.0.113.10',
        user: 'alice',
        method: 'POST',
        url: '/api/register',
        agent: 'Mozilla/5.0',
      },
    });
  });

  it('reads phone and ip of an SMS-code event', () => {
    const r = parse(lines[1]!);
    assert.equal(r?.fields.phone, '+8613800138000');
    assert.equal(r?.fields.ip, '203.0.113.10');
    assert.equal(r?.fields.event, 'sms_code_sent');
    assert.equal(r?.time, '2026-11-23T10:00:05.230Z');
  });

  it('takes the first hop of x_forwarded_for, the username and a numeric status_code', () => {
    const r = parse(lines[2]!);
    assert.equal(r?.level, 'medium');
    assert.equal(r?.fields.ip, '198.51.100.23');
    assert.equal(r?.fields.user, 'admin');
    assert.equal(r?.fields.status, '401');
    assert.equal(r?.fields.status_code, '401');
  });

  it('maps pino 60 to critical and finds no message key other than msg', () => {
    const r = parse(lines[6]!);
    assert.equal(r?.level, 'critical');
    assert.equal(r?.message, 'out of file descriptors');
    assert.equal(r?.fields['err.code'], 'EMFILE');
  });
});

describe('json: other loggers', () => {
  it('reads ISO time with offset, severity words, user_id, client_ip, booleans and arrays', () => {
    assert.deepEqual(parse(lines[3]!), {
      time: '2026-11-23T10:01:30.540Z',
      host: null,
      program: 'auth',
      pid: null,
      level: 'info',
      message: 'login ok',
      fields: {
        timestamp: '2026-11-23T10:01:30.540+00:00',
        severity: 'INFO',
        service: 'auth',
        user_id: 'alice',
        client_ip: '2001:db8::10',
        message: 'login ok',
        mfa: 'true',
        'roles.0': 'admin',
        'roles.1': 'billing',
        ip: '2001:db8::10',
        user: 'alice',
      },
    });
  });

  it('reads ECS keys (@timestamp, log.level, service.name, nested http and url)', () => {
    const r = parse(lines[4]!);
    assert.equal(r?.time, '2026-11-23T10:02:12.777Z');
    assert.equal(r?.level, 'high');
    assert.equal(r?.program, 'orders');
    assert.equal(r?.fields.method, 'POST');
    assert.equal(r?.fields['error.type'], 'ValueError');
    assert.equal(r?.fields['url.path'], '/api/orders');
  });

  it('reads t / lvl / app and a fatal level', () => {
    const r = parse(lines[5]!);
    assert.equal(r?.time, '2026-11-23T10:04:44.900Z');
    assert.equal(r?.level, 'critical');
    assert.equal(r?.program, 'db-proxy');
  });

  it('reads epoch seconds with a fraction, mobile and src_ip', () => {
    const r = parse(lines[7]!);
    assert.equal(r?.time, '2026-11-23T10:05:00.250Z');
    assert.equal(r?.fields.phone, '+447700900123');
    assert.equal(r?.fields.ip, '198.51.100.99');
    assert.equal(r?.program, 'sms');
    assert.equal(r?.level, 'medium');
  });

  it('reads Docker json-file lines: the message without its newline', () => {
    const r = parse('{"log":"listening on :8080\\n","stream":"stderr","time":"2026-11-23T10:00:00.123456789Z"}');
    assert.equal(r?.message, 'listening on :8080');
    assert.equal(r?.time, '2026-11-23T10:00:00.123Z');
  });

  it('falls back to the whole line when there is no message key', () => {
    assert.equal(parse(' {"level":"error","code":42} ')?.message, '{"level":"error","code":42}');
  });

  it('reads epoch microseconds, syslog numeric severity and zone-less ISO stamps as local time', () => {
    assert.equal(parse('{"ts":1795428000000000,"msg":"x"}')?.time, '2026-11-23T10:00:00.000Z');
    assert.equal(parse('{"severity":3,"msg":"x"}')?.level, 'high');
    assert.equal(parse('{"date":"2026-11-23 10:00:00","msg":"x"}')?.time, '2026-11-23T10:00:00.000Z');
    assert.equal(parse('{"time":"yesterday","msg":"x"}')?.time, null);
  });

  it('does not let a __proto__ key touch the prototype', () => {
    const r = parse('{"__proto__":{"polluted":"yes"},"msg":"x"}');
    assert.equal(r?.message, 'x');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('bounds the number of flattened keys and the depth', () => {
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])));
    assert.equal(Object.keys(parse(wide)?.fields ?? {}).length, 200);
    const deep = '{"a":{"b":{"c":{"d":{"e":{"f":1,"g":{"h":1}}}}}},"msg":"deep"}';
    assert.deepEqual(parse(deep)?.fields, { 'a.b.c.d.e.f': '1', msg: 'deep' });
  });
});

describe('json: what is not mine', () => {
  it('refuses arrays, broken JSON and journald export lines', () => {
    assert.equal(parse(lines[8]!), null);
    assert.equal(parse(lines[9]!), null);
    assert.equal(parse(lines[10]!), null);
    assert.equal(jsonLines.probe(lines[10]!), false);
  });

  it('survives absurdly deep nesting: no fields below the depth bound, the line as message', () => {
    // V8's JSON.parse is iterative today; were it to throw RangeError, the parser would return null instead.
    const deep = '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000);
    const r = parse(deep);
    assert.ok(r === null || (Object.keys(r.fields).length === 0 && r.message.length === deep.length));
    const arrays = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)},"msg":"x"}`;
    assert.ok(parse(arrays) === null || parse(arrays)?.message === 'x');
  });

  it('refuses non-JSON lines', () => {
    for (const line of ['', 'plain text', '{not json}', '"a string"', '42', 'null', 'time=1 level=info msg=x']) {
      assert.equal(parse(line), null, line);
    }
  });

  it('parses every object line of the fixture', () => {
    assert.equal(lines.length, 11);
    assert.deepEqual(lines.map((l) => parse(l) !== null), [true, true, true, true, true, true, true, true, false, false, false]);
  });

  for (const s of jsonLines.samples) {
    it(`parses and probes the sample ${s.slice(0, 40)}`, () => {
      assert.equal(jsonLines.probe(s), true);
      assert.notEqual(parse(s), null);
    });
  }
});
