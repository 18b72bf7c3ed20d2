// Tests local-time handling in a zone with an offset and daylight saving time (Europe/Berlin), including the cache.
import './zone-berlin.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clfTime } from '../../src/formats/http.js';
import { journalShort } from '../../src/formats/journal-short.js';
import { syslog3164 } from '../../src/formats/syslog-3164.js';
import { localTime, parseIsoish, resolveYear } from '../../src/formats/time.js';
import type { ParsedLine } from '../../src/types.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const ctx = { reference: new Date('2026-11-26T12:00:00Z') };

describe('local time in Europe/Berlin', () => {
  it('applies winter and summer offsets', () => {
    assert.equal(iso(localTime(2026, 11, 23, 10, 0, 0, 0)), '2026-11-23T09:00:00.000Z');
    assert.equal(iso(localTime(2026, 7, 1, 12, 30, 0, 0)), '2026-07-01T10:30:00.000Z');
  });
  it('crosses the spring-forward hour correctly, cache or not', () => {
    assert.equal(iso(localTime(2026, 3, 29, 1, 59, 59, 0)), '2026-03-29T00:59:59.000Z');
    assert.equal(iso(localTime(2026, 3, 29, 3, 0, 0, 0)), '2026-03-29T01:00:00.000Z');
    assert.equal(iso(localTime(2026, 3, 29, 3, 30, 0, 0)), '2026-03-29T01:30:00.000Z');
    assert.equal(iso(localTime(2026, 3, 29, 1, 0, 0, 0)), '2026-03-29T00:00:00.000Z');
  });
  it('parses zone-less stamps in local time and zoned ones by their offset', () => {
    assert.equal(iso(parseIsoish('2026-11-23 10:00:00')), '2026-11-23T09:00:00.000Z');
    assert.equal(iso(parseIsoish('2026-11-23T10:00:00Z')), '2026-11-23T10:00:00.000Z');
  });
  it('resolves years against local midnight', () => {
    assert.equal(resolveYear(11, 27, ctx.reference), 2026);
    assert.equal(resolveYear(11, 28, ctx.reference), 2025);
  });
  it('reads syslog and journal short-full lines in local time', () => {
    const s = syslog3164.createParser(ctx)('Nov 23 10:00:00 web1 sshd[1]: x') as ParsedLine;
    assert.equal(iso(s.time), '2026-11-23T09:00:00.000Z');
    const j = journalShort.createParser(ctx)('Mon 2026-11-23 10:00:00 CET web1 sshd[1]: x') as ParsedLine;
    assert.equal(iso(j.time), '2026-11-23T09:00:00.000Z');
    const u = journalShort.createParser(ctx)('Mon 2026-11-23 10:00:00 UTC web1 sshd[1]: x') as ParsedLine;
    assert.equal(iso(u.time), '2026-11-23T10:00:00.000Z');
  });
  it('reads a leap second in the repeated fall-back hour as the next hour, after a line of the same minute', () => {
    // 02:59:60 is 03:00 (CET), not the first 02:59 (CEST) plus 60 s: the minute memo must not take it.
    const parse = syslog3164.createParser(ctx);
    const times = ['Oct 25 02:59:59 h p: x', 'Oct 25 02:59:60 h p: x', 'Oct 25 02:59:58 h p: x'].map((l) => iso((parse(l) as ParsedLine).time));
    assert.deepEqual(times, ['2026-10-25T00:59:59.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T00:59:58.000Z']);
    const werkzeug = ['25/Oct/2026 02:59:59', '25/Oct/2026 02:59:60'].map((s) => iso(clfTime(s, 0, false)));
    assert.deepEqual(werkzeug, ['2026-10-25T00:59:59.000Z', '2026-10-25T02:00:00.000Z']);
  });
});
