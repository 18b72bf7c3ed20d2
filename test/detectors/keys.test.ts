import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createFileTimes, createIsoParser } from '../../src/detectors/keys.js';

test('the ISO parser reads event times as Date.parse does, across days', () => {
  const parse = createIsoParser();
  assert.equal(parse('2026-03-01T10:05:30.250Z'), 1772359530250);
  assert.equal(parse('2026-03-01T23:59:59.999Z'), 1772409599999);
  assert.equal(parse('2026-03-02T00:00:00.000Z'), 1772409600000); // a new day
  assert.equal(parse('2026-03-01T10:05:30.250Z'), 1772359530250); // and back
  assert.equal(parse('1969-12-31T23:59:59.000Z'), -1000);
});

test('the ISO parser leaves odd values to Date.parse: hour 24, second 60, month 13, day 30 of February, not a time', () => {
  const parse = createIsoParser();
  assert.equal(parse('2026-03-01T10:05:30.250Z'), 1772359530250); // a day held, then values on that day
  assert.equal(parse('2026-03-01T24:00:00.000Z'), 1772409600000);
  assert.ok(Number.isNaN(parse('2026-03-01T10:05:60.000Z')));
  assert.ok(Number.isNaN(parse('2026-13-01T00:00:00.000Z')));
  assert.equal(parse('2026-02-30T01:00:00.000Z'), 1772413200000); // as V8's Date.parse: March 2nd
  assert.ok(Number.isNaN(parse('not a time at all, no..Z')));
  assert.ok(Number.isNaN(parse('2026-03-01T1a:05:30.250Z')));
});

test('file times: the last time set for each file, whichever file was set last', () => {
  const times = createFileTimes();
  assert.equal(times.get('a'), undefined);
  times.set('a', 1);
  times.set('a', 2);
  times.set('b', 10);
  assert.equal(times.get('a'), 2);
  assert.equal(times.get('b'), 10);
  times.set('a', 3);
  assert.equal(times.get('a'), 3);
  assert.equal(times.get('b'), 10);
});

test('the ISO parser remembers its last answer: a repeated value, even an odd one, gives the same answer again', () => {
  const parse = createIsoParser();
  assert.equal(parse('2026-03-01T10:05:30.250Z'), 1772359530250);
  assert.equal(parse('2026-03-01T10:05:30.250Z'), 1772359530250); // the memo
  assert.equal(parse('2026-03-01T10:05:30.251Z'), 1772359530251); // one digit apart: parsed
  assert.ok(Number.isNaN(parse('2026-03-01T10:05:60.000Z')));
  assert.ok(Number.isNaN(parse('2026-03-01T10:05:60.000Z'))); // NaN remembered as NaN
  assert.ok(Number.isNaN(parse(''))); // the memo's starting value: Date.parse('') is NaN too
  assert.equal(parse('2026-03-01T24:00:00.000Z'), 1772409600000);
  assert.equal(parse('2026-03-01T24:00:00.000Z'), 1772409600000);
  assert.equal(parse('2026-03-01T10:05:30.250Z'), 1772359530250); // back to an earlier value
});

test('property: the ISO parser agrees with Date.parse over any sequence with repeats', () => {
  const iso = fc.integer({ min: -62_000_000_000_000, max: 250_000_000_000_000 }).map((t) => new Date(t).toISOString());
  const odd = fc.constantFrom('', '2026-03-01T24:00:00.000Z', '2026-03-01T10:05:60.000Z', '2026-02-30T01:00:00.000Z', 'x'.repeat(24), '2026-03-01T10:05:30Z');
  const value = fc.oneof(iso, odd, fc.string({ maxLength: 30 }));
  fc.assert(fc.property(fc.array(value, { maxLength: 40 }), fc.array(fc.nat(39), { maxLength: 40 }), (values, repeats) => {
    const parse = createIsoParser();
    // each value, then sometimes an earlier one again (the memo and the day held both see returns)
    const seq = values.flatMap((v, i) => (repeats[i] !== undefined && values.length > 0 ? [v, v, values[repeats[i]! % values.length]!] : [v]));
    for (const s of seq) assert.ok(Object.is(parse(s), Date.parse(s)), s);
  }), { numRuns: 300 });
});

test('the ISO parser drops the day it holds when any character of the day differs (year, month, day, T)', () => {
  const parse = createIsoParser();
  const seq = [
    '2026-03-01T10:00:00.000Z', '2027-03-01T10:00:00.000Z', // the year's last digit
    '1027-03-01T10:00:00.000Z', // the year's first digit only
    '1027-04-01T10:00:00.000Z', '1027-04-21T10:00:00.000Z', '1027-04-22T10:00:00.000Z', // month, day's tens, day's units
    '2026-03-01T10:00:00.000Z', '2026-03-01 10:00:00.000Z', '2026-03-01T10:00:00.000Z', // not T: not the shape
  ];
  const expected = [1772359200000, 1803895200000, -29753100000000, -29750421600000, -29748693600000, -29748607200000, 1772359200000, 1772359200000, 1772359200000];
  assert.deepEqual(seq.map(parse), expected);
  assert.deepEqual(seq.map((s) => Date.parse(s)), expected); // the values written out are Date.parse's
});
