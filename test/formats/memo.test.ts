// Tests the per-line shortcuts of the formats (issue 6): the minute memos of BSD and CLF stamps, the interner's
// recent values and the quote scan, which must give exactly what the full paths give, line after line.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bsdStampReader, readBsdStamp } from '../../src/formats/bsd-stamp.js';
import { clfTime, closingQuote, cutRequest, readRequestLine, splitRequest, type RequestCuts, type RequestLine } from '../../src/formats/http.js';
import { createInterner } from '../../src/formats/intern.js';
import { yearResolver, type StampResult } from '../../src/formats/time.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const REF = new Date('2026-11-26T12:00:00Z');

describe('bsdStampReader', () => {
  /** What the reader makes of each line in turn: [ISO time, end] or null. */
  function readAll(lines: string[], fraction: boolean, start = 0): ([string | null, number] | null)[] {
    const read = bsdStampReader(yearResolver(REF), fraction);
    const out: StampResult = { time: 0, end: 0 };
    return lines.map((l) => (read(l, start, out) ? [iso(out.time), out.end] : null));
  }

  it('reads the seconds of lines that share the minute', () => {
    assert.deepEqual(readAll(['Mar  2 00:59:03 h', 'Mar  2 00:59:05 h', 'Mar  2 00:59:59 h', 'Mar  2 01:00:00 h'], false), [
      ['2026-03-02T00:59:03.000Z', 15], ['2026-03-02T00:59:05.000Z', 15], ['2026-03-02T00:59:59.000Z', 15], ['2026-03-02T01:00:00.000Z', 15],
    ]);
  });

  it('does not take a line for the remembered minute when only its start matches', () => {
    assert.deepEqual(readAll(['Mar 12 10:00:00 h', 'Mar 1 10:00:00 h', 'Mar 12 10:00 h', 'Mar 12 10:00:7x h', 'Mar 12 10:00:61 h'], false), [
      ['2026-03-12T10:00:00.000Z', 15], ['2026-03-01T10:00:00.000Z', 14], null, null, null,
    ]);
  });

  it('keeps the year of a stamp that has one, and the year resolution of one that does not', () => {
    assert.deepEqual(readAll(['Nov 23 2019 10:00:00 h', 'Nov 23 2019 10:00:09 h', 'Nov 23 10:00:09 h', 'Dec 24 23:59:59 h', 'Dec 24 23:59:58 h'], false), [
      ['2019-11-23T10:00:00.000Z', 20], ['2019-11-23T10:00:09.000Z', 20], ['2026-11-23T10:00:09.000Z', 15],
      ['2025-12-24T23:59:59.000Z', 15], ['2025-12-24T23:59:58.000Z', 15],
    ]);
  });

  it('reads fractions on the memo path only when asked', () => {
    assert.deepEqual(readAll(['Nov 23 10:00:00 h', 'Nov 23 10:00:01.5 h', 'Nov 23 10:00:02. h'], false), [['2026-11-23T10:00:00.000Z', 15], null, null]);
    assert.deepEqual(readAll(['Nov 23 10:00:00.25 h', 'Nov 23 10:00:01.123456 h', 'Nov 23 10:00:02 h', 'Nov 23 10:00:03. h'], true), [
      ['2026-11-23T10:00:00.250Z', 18], ['2026-11-23T10:00:01.123Z', 22], ['2026-11-23T10:00:02.000Z', 15], null,
    ]);
  });

  it('reads a leap second the long way, before and after the minute is remembered', () => {
    assert.deepEqual(readAll(['Dec 31 23:59:60 h', 'Dec 31 23:59:59 h', 'Dec 31 23:59:60 h', 'Dec 31 23:59:58 h'], false), [
      ['2026-01-01T00:00:00.000Z', 15], ['2025-12-31T23:59:59.000Z', 15], ['2026-01-01T00:00:00.000Z', 15], ['2025-12-31T23:59:58.000Z', 15],
    ]);
  });

  it('reads at an offset (after a <PRI>)', () => {
    assert.deepEqual(readAll(['<13>Nov 23 10:00:00 h', '<13>Nov 23 10:00:30 h'], false, 4), [['2026-11-23T10:00:00.000Z', 19], ['2026-11-23T10:00:30.000Z', 19]]);
  });

  it('agrees with readBsdStamp on any sequence of near-stamps', () => {
    const stamp = fc.tuple(
      fc.constantFrom('Nov', 'Dec', 'Feb', 'Nov'), fc.constantFrom(' ', '  '), fc.constantFrom('1', '3', '23', '29', '31'), fc.constantFrom('', ' 2019'),
      fc.constantFrom('00', '10', '23', '24'), fc.constantFrom('00', '59', '5x'), fc.constantFrom('00', '09', '59', '60', '61', '7'),
      fc.constantFrom('', '.5', '.123456', '.'), fc.constantFrom(' h', ''),
    ).map(([m, sp, d, y, h, mi, s, f, rest]) => `${m}${sp}${d}${y} ${h}:${mi}:${s}${f}${rest}`);
    fc.assert(fc.property(fc.array(stamp, { maxLength: 30 }), fc.boolean(), (lines, fraction) => {
      const years = yearResolver(REF);
      const read = bsdStampReader(years, fraction);
      const a: StampResult = { time: 0, end: 0 };
      const b: StampResult = { time: 0, end: 0 };
      for (const l of lines) {
        const ok = read(l, 0, a);
        assert.equal(ok, readBsdStamp(l, 0, years, fraction, b), l);
        if (ok) assert.deepEqual([a.time, a.end], [b.time, b.end], l);
      }
    }), { numRuns: 300 });
  });
});

describe('clfTime', () => {
  it('reads the seconds of stamps that share the minute and the zone', () => {
    const got = ['02/Mar/2025:00:00:07 +0000', '02/Mar/2025:00:00:59 +0000', '02/Mar/2025:00:00:59 +0100', '02/Mar/2025:00:01:00 +0100', '02/Mar/2025:00:01:05 -0130']
      .map((s) => iso(clfTime(s, 0, true)));
    assert.deepEqual(got, ['2025-03-02T00:00:07.000Z', '2025-03-02T00:00:59.000Z', '2025-03-01T23:00:59.000Z', '2025-03-01T23:01:00.000Z', '2025-03-02T01:31:05.000Z']);
  });

  it('does not mix up zoned stamps and werkzeug local stamps of the same minute', () => {
    assert.equal(iso(clfTime('23/Nov/2026:10:00:00 +0200', 0, true)), '2026-11-23T08:00:00.000Z');
    assert.equal(iso(clfTime('23/Nov/2026 10:00:05', 0, false)), '2026-11-23T10:00:05.000Z');
    assert.equal(clfTime('23/Nov/2026 10:00:06', 0, true), null); // a space where the zoned stamp has ':'
    assert.equal(iso(clfTime('23/Nov/2026:10:00:07 +0200', 0, true)), '2026-11-23T08:00:07.000Z');
    assert.equal(clfTime('23/Nov/2026:10:00:07', 0, false), null);
  });

  it('rejects bad seconds and zones after a good stamp of the same minute', () => {
    assert.equal(iso(clfTime('x [10/Oct/2026:13:55:36 -0700]', 3, true)), '2026-10-10T20:55:36.000Z');
    for (const bad of ['10/Oct/2026:13:55:6x -0700', '10/Oct/2026:13:55:61 -0700', '10/Oct/2026:13:55-36 -0700', '10/Oct/2026:13:55:36 -07x0', '10/Oct/2026:13:55']) {
      assert.equal(clfTime(bad, 0, true), null, bad);
    }
  });

  it('reads a leap second the long way', () => {
    assert.equal(iso(clfTime('31/Dec/2026:23:59:59 +0000', 0, true)), '2026-12-31T23:59:59.000Z');
    assert.equal(iso(clfTime('31/Dec/2026:23:59:60 +0000', 0, true)), '2027-01-01T00:00:00.000Z');
    assert.equal(iso(clfTime('31/Dec/2026:23:59:60 +0000', 0, true)), '2027-01-01T00:00:00.000Z');
    assert.equal(iso(clfTime('31/Dec/2026:23:59:58 +0000', 0, true)), '2026-12-31T23:59:58.000Z');
  });
});

describe('closingQuote and readRequestLine', () => {
  it('finds the closing quote past escapes before or after it', () => {
    assert.equal(closingQuote('"GET / HTTP/1.1" 200 "a\\"b" "c"', 0), 15);
    assert.equal(closingQuote('"GET / HTTP/1.1" 200 "a\\"b" "c"', 21), 26);
    assert.equal(closingQuote('"a\\\\" "b"', 0), 4);
    assert.equal(closingQuote('"a\\"', 0), -1);
    assert.equal(closingQuote('"abc', 0), -1);
    assert.equal(closingQuote('"x\\x22y"', 0), 7);
  });

  it('fills a reused object as splitRequest would build one', () => {
    const out: RequestLine = { method: 'old', url: 'old', protocol: 'old' };
    assert.equal(readRequestLine('GET /a b HTTP/1.1', out), true);
    assert.deepEqual(out, { method: 'GET', url: '/a b', protocol: 'HTTP/1.1' });
    assert.equal(readRequestLine('GET /x', out), true);
    assert.deepEqual(out, { method: 'GET', url: '/x', protocol: '' });
    for (const bad of ['-', 'GET ', 'GET  HTTP/1.1', 'get /', '\\x16\\x03\\x01 x']) {
      assert.equal(readRequestLine(bad, out), false, bad);
      assert.equal(splitRequest(bad), null, bad);
    }
  });
});

/** How requests were split before cutRequest (slices and lastIndexOf on the request alone): the oracle. */
function splitBySlices(request: string): RequestLine | null {
  const sp = request.indexOf(' ');
  if (sp < 1 || sp > 20 || !/^[A-Z_-]+$/.test(request.slice(0, sp))) return null;
  const last = request.lastIndexOf(' ');
  const protocol = last > sp && request.startsWith('HTTP/', last + 1);
  const url = protocol ? request.slice(sp + 1, last) : request.slice(sp + 1);
  if (url === '') return null;
  return { method: request.slice(0, sp), url, protocol: protocol ? request.slice(last + 1) : '' };
}

describe('cutRequest', () => {
  it('cuts a request inside a longer line, and never reads past its end', () => {
    const out: RequestCuts = { sp: -9, last: -9 };
    const line = '1.2.3.4 - - [x] "GET /a b HTTP/1.1" 200 12 "HTTP/1.0"';
    assert.equal(cutRequest(line, 17, 34, out), true);
    assert.deepEqual(out, { sp: 20, last: 25 });
    // no protocol: `GET /x HTTP` must not borrow the `/1.1` that follows its end
    assert.equal(cutRequest('"GET /x HTTP/1.1"', 1, 12, out), true);
    assert.deepEqual(out, { sp: 4, last: -1 });
    // the first space after the request is not its method's end
    assert.equal(cutRequest('"-" 200 1', 1, 2, out), false);
    assert.equal(cutRequest('"GET" 200 1', 1, 4, out), false);
    assert.equal(cutRequest('"GET " 200', 1, 5, out), false);
    assert.equal(cutRequest('"GET  HTTP/1.1" 200', 1, 14, out), false);
    // ` HTTP/x.y` at the end (the common case) and its near misses
    assert.equal(cutRequest('"GET / HTTP/1.1"', 1, 15, out), true);
    assert.deepEqual(out, { sp: 4, last: 6 });
    assert.equal(cutRequest('"GET / HTTP/1 1"', 1, 15, out), true);
    assert.deepEqual(out, { sp: 4, last: -1 }); // the last space is inside: `1` is no protocol
    for (const near of ['"GET / HTTP/ 11"', '"GET / HTTP/11 "']) {
      assert.equal(cutRequest(near, 1, 15, out), true);
      assert.deepEqual(out, { sp: 4, last: -1 }, near);
    }
    assert.equal(cutRequest('"GET HTTP/1.1"', 1, 13, out), true);
    assert.deepEqual(out, { sp: 4, last: -1 }); // the target is `HTTP/1.1`
    assert.equal(cutRequest('"GET /a HTTP/2.0x"', 1, 17, out), true);
    assert.deepEqual(out, { sp: 4, last: 7 });
  });

  it('splits every request as the slicing version did', () => {
    const unit = fc.constantFrom('G', 'E', 'T', 'H', 'P', '/', '1', '.', ' ', 'a', '-', '"', 'x', ' HTTP/1.1', 'HTTP/', ' HTTP/');
    const word = fc.string({ unit, maxLength: 6 });
    fc.assert(fc.property(word, word, word, (before, request, after) => {
      const line = `${before}"${request}${after}`; // what follows the request must not count
      const open = before.length;
      const close = open + 1 + request.length;
      const expected = splitBySlices(request);
      assert.deepEqual(splitRequest(request), expected);
      const out: RequestCuts = { sp: 0, last: 0 };
      const ok = cutRequest(line, open + 1, close, out);
      assert.equal(ok, expected !== null);
      if (!ok || expected === null) return;
      assert.equal(line.slice(open + 1, out.sp), expected.method);
      assert.equal(line.slice(out.sp + 1, out.last < 0 ? close : out.last), expected.url);
      assert.equal(out.last < 0 ? '' : line.slice(out.last + 1, close), expected.protocol);
    }), { numRuns: 3000 });
  });
});

describe('createInterner', () => {
  it('gives equal values for equal text wherever it sits, and copies of new ones', () => {
    const intern = createInterner(2);
    const line = 'web-01 sshd[1]: x sshd web-01 CRON';
    assert.equal(intern(line, 0, 6), 'web-01');
    assert.equal(intern(line, 7, 11), 'sshd');
    assert.equal(intern(line, 18, 22), 'sshd');
    assert.equal(intern(line, 23, 29), 'web-01');
    assert.equal(intern(line, 30, 34), 'CRON'); // past the table's bound: copied, still right
    assert.equal(intern(line, 30, 34), 'CRON');
    assert.equal(intern(line, 5, 5), '');
    assert.equal(intern('sshd', 0, 4), 'sshd');
  });

  it('never confuses values that share a slot', () => {
    const intern = createInterner();
    // Same length, same first and last character: the same recent slot.
    const words = ['abcd', 'axxd', 'abcd', 'ayyd', 'axxd', 'abcd'];
    assert.deepEqual(words.map((w) => intern(`> ${w} <`, 2, 6)), words);
  });
});
