// Tests for the access parser's shortcuts: the memo of the last ` - - [stamp] "` head, the known-request cut
// (GET/POST/HEAD ... HTTP/1.1|2.0|1.0) and the ` "referer" "agent"` tail. Each must give what the general code gives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { closingQuote, splitRequest } from '../../src/formats/http.js';
import { parseAccess } from '../../src/formats/web-access.js';
import type { ParsedLine } from '../../src/types.js';

/** A valid line whose head no other line in these tests has: parsing it replaces the memo. */
const RESET = '192.0.2.1 - - [01/Jan/1999:00:00:00 +0000] "GET / HTTP/1.1" 200 1';

function fresh(line: string): ParsedLine | null {
  parseAccess(RESET);
  return parseAccess(line);
}

describe('access: head memo', () => {
  it('gives a line with the last line\'s head its own ip and the same time', () => {
    fresh('203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.1" 200 5');
    const r = parseAccess('198.51.100.7 - - [10/Oct/2026:13:55:36 -0700] "GET /b HTTP/1.1" 404 9');
    assert.equal(r?.fields.ip, '198.51.100.7');
    assert.equal(r?.time, Date.UTC(2026, 9, 10, 20, 55, 36));
  });

  it('does not take the head for a line with a user, another zone or another second', () => {
    fresh('203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.1" 200 5');
    const user = parseAccess('203.0.113.9 - bob [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.1" 200 5');
    assert.equal(user?.fields.user, 'bob');
    const zone = parseAccess('203.0.113.9 - - [10/Oct/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 5');
    assert.equal(zone?.time, Date.UTC(2026, 9, 10, 13, 55, 36));
    const second = parseAccess('203.0.113.9 - - [10/Oct/2026:13:55:37 +0000] "GET / HTTP/1.1" 200 5');
    assert.equal(second?.time, Date.UTC(2026, 9, 10, 13, 55, 37));
  });

  it('reads a vhost line with the same head as a vhost line (the first space comes earlier)', () => {
    fresh('203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.1" 200 5');
    const r = parseAccess('www.example.com 203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.1" 200 5');
    assert.equal(r?.fields.vhost, 'www.example.com');
    assert.equal(r?.fields.ip, '203.0.113.9');
  });

  it('still refuses a line with the head but no request after it', () => {
    fresh('203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.1" 200 5');
    assert.equal(parseAccess('203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.1" 20 5'), null);
    assert.equal(parseAccess('203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "'), null);
  });
});

describe('access: known requests and the referer/agent pair', () => {
  const at = (request: string): ParsedLine['fields'] | undefined =>
    fresh(`203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "${request}" 200 5`)?.fields;

  it('cuts GET/POST/HEAD requests as the general code does', () => {
    assert.deepEqual([at('GET /a HTTP/1.1')?.method, at('GET /a HTTP/1.1')?.url, at('GET /a HTTP/1.1')?.protocol], ['GET', '/a', 'HTTP/1.1']);
    assert.deepEqual([at('POST /a b HTTP/2.0')?.method, at('POST /a b HTTP/2.0')?.url], ['POST', '/a b']);
    assert.deepEqual([at('HEAD / HTTP/1.0')?.url, at('HEAD / HTTP/1.0')?.protocol], ['/', 'HTTP/1.0']);
    assert.deepEqual([at('GET  HTTP/1.1')?.method, at('GET  HTTP/1.1')?.url, at('GET  HTTP/1.1')?.protocol], ['', '', undefined]);
    assert.deepEqual([at('GET / HTTP/3')?.url, at('GET / HTTP/3')?.protocol], ['/', 'HTTP/3']);
    assert.deepEqual([at('GETX / HTTP/1.1')?.method, at('get / HTTP/1.1')?.method], ['GETX', '']);
    assert.deepEqual([at('GET / HTTP/1.1x')?.url, at('GET / HTTP/1.1x')?.protocol], ['/', 'HTTP/1.1x']);
  });

  it('reads the referer and agent, - as missing, escapes kept, extras after them', () => {
    const tail = (t: string): ParsedLine['fields'] | undefined => fresh(`203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.1" 200 5${t}`)?.fields;
    assert.deepEqual([tail(' "-" "-"')?.referer, tail(' "-" "-"')?.agent], [undefined, undefined]);
    assert.deepEqual([tail(' "" "--"')?.referer, tail(' "" "--"')?.agent], ['', '--']);
    assert.equal(tail(' "-" "say \\"hi\\""')?.agent, 'say \\"hi\\"');
    assert.deepEqual([tail(' "r" "a" 0.004')?.agent, tail(' "r" "a" 0.004')?.extra], ['a', '0.004']);
    assert.deepEqual([tail(' "r"  "a"')?.referer, tail(' "r"  "a"')?.agent], ['r', 'a']);
    assert.deepEqual([tail(' "r" "a')?.agent, tail(' "r" "a')?.extra], [undefined, '"a']);
  });
});

// Pieces of hostile lines: escapes, missing values, spaces inside a target, near misses of the known shapes.
const ip = fc.constantFrom('203.0.113.9', '2001:db8::1', '10.0.0.1', 'a');
const who = fc.constantFrom(' - - ', ' - bob ', ' x - ', ' - - - ', '  - - ');
const stamp = fc.constantFrom('10/Oct/2026:13:55:36 -0700', '10/Oct/2026:13:55:37 -0700', '10/Oct/2026:13:55:36 +0000', '31/Feb/2026:00:00:00 +0000', '10/Oct/2026:13:55:60 +0000');
const method = fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'get', 'G', 'GETX', '');
const target = fc.constantFrom('/', '/a b', '', '/x?q=1', 'HTTP/1.1', '/\\"x', '-');
const protocol = fc.constantFrom('HTTP/1.1', 'HTTP/2.0', 'HTTP/1.0', 'HTTP/3', '', 'HTTP/1.1x', 'HTTP/ 1.1');
const value = fc.constantFrom('-', '', 'r', 'Mozilla/5.0 (X11)', 'a\\"b', '\\\\', ' ');
const extra = fc.constantFrom('', ' ', ' 0.004', ' "1.2.3.4"', ' "x');
const request = fc.tuple(method, target, protocol).map(([m, t, p]) => [m, t, p].filter((x) => x !== '').join(' '));
const line = fc.tuple(ip, who, stamp, request, fc.constantFrom('200', '404', '20', '999'), fc.constantFrom('5', '-', ''), value, value, extra)
  .map(([i, w, s, r, st, b, ref, ag, ex]) => `${i}${w}[${s}] "${r}" ${st}${b === '' ? '' : ' ' + b} "${ref}" "${ag}"${ex}`);

describe('access: shortcuts give what the general code gives (property)', () => {
  it('a line parses the same after any other line, and its request is cut as splitRequest cuts it', () => {
    fc.assert(fc.property(line, line, (other, text) => {
      const alone = fresh(text);
      parseAccess(text);
      assert.deepEqual(parseAccess(text), alone); // the memo holds this line's head now (when it has one)
      parseAccess(other);
      assert.deepEqual(parseAccess(text), alone);
      parseAccess(text.replace(/^[^ ]*/, '198.51.100.7')); // the same head, another ip
      assert.deepEqual(parseAccess(text), alone);
      if (alone === null) return;
      const cut = splitRequest(alone.fields.request!);
      assert.equal(alone.fields.method, cut?.method ?? '');
      assert.equal(alone.fields.url, cut?.url ?? '');
      assert.equal(alone.fields.protocol, cut === null || cut.protocol === '' ? undefined : cut.protocol);
    }), { numRuns: 3000 });
  });

  it('a plain ` "referer" "agent"` tail gives those values, - as missing', () => {
    const plainValue = fc.constantFrom('-', '', 'r', 'Mozilla/5.0 (X11)', ' ', '--');
    fc.assert(fc.property(plainValue, plainValue, fc.constantFrom('', ' '), (ref, ag, end) => {
      const r = fresh(`203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.1" 200 5 "${ref}" "${ag}"${end}`);
      assert.equal(r?.fields.referer, ref === '-' ? undefined : ref);
      assert.equal(r?.fields.agent, ag === '-' ? undefined : ag);
      assert.equal(r?.fields.extra, undefined);
    }), { numRuns: 300 });
  });
});

describe('access: quoted values close where closingQuote closes them', () => {
  it('the request, referer and agent, with backslashes and quotes anywhere (property)', () => {
    const piece = fc.array(fc.constantFrom('a', ' ', '-', '\\', '"', '\\"', '\\\\', '\\x22'), { maxLength: 8 }).map((a) => a.join(''));
    fc.assert(fc.property(piece, piece, piece, (target, ref, ag) => {
      const text = `203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET /${target} HTTP/1.1" 200 5 "${ref}" "${ag}"`;
      const open = text.indexOf('"');
      const close = closingQuote(text, open);
      const r = fresh(text);
      if (close < 0 || !text.startsWith('" 200 5 "', close)) return; // the request closes elsewhere: other paths
      assert.equal(r?.fields.request, text.slice(open + 1, close));
      const rc = closingQuote(text, close + 8);
      const ac = rc < 0 || !text.startsWith('" "', rc) ? -1 : closingQuote(text, rc + 2);
      if (ac !== text.length - 1) return; // not a plain pair: readTail's extras
      const value = (v: string): string | undefined => (v === '-' ? undefined : v);
      assert.equal(r?.fields.referer, value(text.slice(close + 9, rc)));
      assert.equal(r?.fields.agent, value(text.slice(rc + 3, ac)));
    }), { numRuns: 3000 });
  });
});

describe('access: status and message from the status table, fields as a plain object', () => {
  const head = '203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] ';

  it('gives each status 100-599 as written, and the message `<request> <status>`', () => {
    for (const [status, ok] of [['100', true], ['200', true], ['404', true], ['599', true], ['099', false], ['600', false], ['2x0', false]] as const) {
      const r = fresh(`${head}"GET /a HTTP/1.1" ${status} 5`);
      assert.equal(r?.fields.status, ok ? status : undefined, status);
      assert.equal(r?.message, ok ? `GET /a HTTP/1.1 ${status}` : undefined, status);
    }
  });

  it('reads the status after an unescaped quote inside the request (the fallback) the same way', () => {
    const r = fresh(`${head}"GET /a"b HTTP/1.1" 503 7 "-" "x"`);
    assert.equal(r?.fields.request, 'GET /a"b HTTP/1.1');
    assert.equal(r?.fields.status, '503');
    assert.equal(r?.message, 'GET /a"b HTTP/1.1 503');
    assert.equal(r?.fields.bytes, '7');
  });

  it('reads bytes of any length, as written, and refuses bytes that are not digits or -', () => {
    // The text after the request's quote is read from a 12-character copy: bytes end before it, at it and after it.
    for (const bytes of ['0', '5', '99999', '999999', '1234567', '12345678', '123456789012', '12345678901234567890', '-', '', '5x', '-5', '--', '1234567x']) {
      for (const end of ['', ' "r" "a"', ' x', 'x', '"']) {
        const text = `${head}"GET /a HTTP/1.1" 200${bytes === '' ? '' : ' ' + bytes}${end}`;
        // After the status: the end of the line, or a space, digits or -, then the end or a space.
        const tail = text.slice(text.indexOf('" 200') + 5);
        const m = /^ (\d+|-)(?: |$)/.exec(tail);
        const expected = tail === '' ? '' : m === null ? undefined : m[1] === '-' ? '' : m[1];
        const r = fresh(text);
        assert.equal(r === null ? undefined : r.fields.bytes ?? '', expected, text);
      }
    }
  });

  it('makes fields that are plain objects, with their keys in the order they are read', () => {
    const r = fresh(`www.example.com:443 ${head.replace('- - ', '- bob ')}"GET /a HTTP/1.1" 200 5 "https://r/" "curl/8" "10.0.0.1"`);
    assert.equal(Object.getPrototypeOf(r?.fields), Object.prototype);
    assert.deepEqual(Object.keys(r?.fields ?? {}), ['vhost', 'server_port', 'ip', 'user', 'request', 'method', 'url', 'protocol', 'status', 'bytes', 'referer', 'agent', 'x_forwarded_for']);
    assert.equal(JSON.stringify(fresh(`${head}"GET /a HTTP/1.1" 200 -`)?.fields), '{"ip":"203.0.113.9","request":"GET /a HTTP/1.1","method":"GET","url":"/a","protocol":"HTTP/1.1","status":"200"}');
  });
});
