// Tests the shared date helpers in UTC: month names, calendar checks, year resolution, ISO-ish and BSD stamps.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBsdStamp } from '../../src/formats/bsd-stamp.js';
import {
  MONTHS, isValidDate, isoishEnd, localTime, monthFromName, parseIsoish, resolveYear, yearResolver, zonedTime, type StampResult,
} from '../../src/formats/time.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const REF = new Date('2026-11-26T12:00:00Z');

describe('month names and dates', () => {
  it('knows the twelve abbreviations, in exact case only', () => {
    assert.equal(MONTHS.length, 12);
    assert.equal(monthFromName('Jan'), 1);
    assert.equal(monthFromName('Nov 23'), 11);
    assert.equal(monthFromName('<34>Dec', 4), 12);
    assert.equal(monthFromName('nov'), 0);
    assert.equal(monthFromName('Nox'), 0);
    assert.equal(monthFromName('No'), 0);
  });
  it('rejects impossible dates', () => {
    assert.equal(isValidDate(2028, 2, 29), true);
    assert.equal(isValidDate(2026, 2, 29), false);
    assert.equal(isValidDate(2000, 2, 29), true);
    assert.equal(isValidDate(2100, 2, 29), false);
    assert.equal(isValidDate(2026, 4, 31), false);
    assert.equal(isValidDate(2026, 13, 1), false);
    assert.equal(isValidDate(2026, 1, 0), false);
  });
  it('turns local and zoned wall-clock times into epoch ms', () => {
    assert.equal(iso(localTime(2026, 11, 23, 10, 0, 0, 0)), '2026-11-23T10:00:00.000Z');
    assert.equal(iso(localTime(2026, 11, 23, 10, 59, 59, 999)), '2026-11-23T10:59:59.999Z');
    assert.equal(iso(localTime(2026, 12, 31, 23, 0, 1, 0)), '2026-12-31T23:00:01.000Z');
    assert.equal(iso(zonedTime(2026, 11, 23, 10, 0, 0, 0, 60)), '2026-11-23T09:00:00.000Z');
    assert.equal(iso(zonedTime(2026, 11, 23, 10, 0, 0, 0, -330)), '2026-11-23T15:30:00.000Z');
  });
});

describe('resolveYear', () => {
  it('takes the reference year for days up to the reference plus one day of slack', () => {
    assert.equal(resolveYear(11, 23, REF), 2026);
    assert.equal(resolveYear(11, 27, REF), 2026);
    assert.equal(resolveYear(1, 1, REF), 2026);
  });
  it('takes the previous year for days after that', () => {
    assert.equal(resolveYear(11, 28, REF), 2025);
    assert.equal(resolveYear(12, 1, REF), 2025);
  });
  it('puts a file spanning New Year across both years', () => {
    const jan2 = new Date('2027-01-02T08:00:00Z');
    assert.equal(resolveYear(12, 31, jan2), 2026);
    assert.equal(resolveYear(1, 1, jan2), 2027);
    assert.equal(resolveYear(1, 3, jan2), 2027); // within the slack: a clock a little behind
    assert.equal(resolveYear(1, 4, jan2), 2026);
  });
  it('takes next year for a line written just after the reference on New Year', () => {
    assert.equal(resolveYear(1, 1, new Date('2026-12-31T23:59:00Z')), 2027);
  });
  it('sends Feb 29 to the latest leap year', () => {
    assert.equal(resolveYear(2, 29, REF), 2024);
    assert.equal(resolveYear(2, 29, new Date('2028-03-01T00:00:00Z')), 2028);
  });
  it('yearResolver gives the same answers and 0 for impossible days', () => {
    const years = yearResolver(REF);
    assert.equal(years(11, 23), 2026);
    assert.equal(years(12, 1), 2025);
    assert.equal(years(12, 1), 2025);
    assert.equal(years(2, 29), 2024);
    assert.equal(years(2, 30), 0);
    assert.equal(years(13, 1), 0);
    assert.equal(years(0, 1), 0);
  });
});

describe('parseIsoish', () => {
  it('reads zoned stamps', () => {
    assert.equal(iso(parseIsoish('2026-11-23T10:00:00Z')), '2026-11-23T10:00:00.000Z');
    assert.equal(iso(parseIsoish('2026-11-23T10:00:00.123456+01:00')), '2026-11-23T09:00:00.123Z');
    assert.equal(iso(parseIsoish('2026-11-23T10:00+0530')), '2026-11-23T04:30:00.000Z');
    assert.equal(iso(parseIsoish('2026-11-23T10:00:00-05')), '2026-11-23T15:00:00.000Z');
    assert.equal(iso(parseIsoish('2026-11-23t10:00:00.5z')), '2026-11-23T10:00:00.500Z');
  });
  it('reads zone-less stamps as local time (UTC here), with comma fractions and slashes', () => {
    assert.equal(iso(parseIsoish('2026-11-23 10:00:00,123')), '2026-11-23T10:00:00.123Z');
    assert.equal(iso(parseIsoish('2026/11/23 10:00:00')), '2026-11-23T10:00:00.000Z');
  });
  it('reads a stamp inside a longer text when given its range', () => {
    assert.equal(iso(parseIsoish('[2026-11-23T10:00:00Z] up', 1, 21)), '2026-11-23T10:00:00.000Z');
    assert.equal(isoishEnd('2026-11-23 10:00:00,123 INFO app: x'), 23);
    assert.equal(isoishEnd('x 2026-11-23T10:00:00+01:00 y', 2), 27);
    assert.equal(isoishEnd('2026-11-23 nope'), -1);
  });
  it('returns null for anything else', () => {
    for (const bad of ['', 'garbage', '2026-11-23', '2026-02-30T10:00:00Z', '2026-11-23T24:00:00Z', '2026-11-23T10:60:00Z',
      '2026-11-23T10:00:00Zjunk', '2026-11-23T10:00:00+25:00', '2026-11/23T10:00:00Z', '20261123T100000Z']) {
      assert.equal(parseIsoish(bad), null, bad);
    }
  });
});

describe('readBsdStamp', () => {
  const years = yearResolver(REF);
  const out: StampResult = { time: 0, end: 0 };
  it('reads padded, unpadded and two-digit days', () => {
    assert.equal(readBsdStamp('Nov  3 10:00:00 host', 0, years, false, out), true);
    assert.deepEqual([iso(out.time), out.end], ['2026-11-03T10:00:00.000Z', 15]);
    assert.equal(readBsdStamp('Nov 3 10:00:00 host', 0, years, false, out), true);
    assert.deepEqual([iso(out.time), out.end], ['2026-11-03T10:00:00.000Z', 14]);
    assert.equal(readBsdStamp('<13>Dec 24 23:59:59 host', 4, years, false, out), true);
    assert.deepEqual([iso(out.time), out.end], ['2025-12-24T23:59:59.000Z', 19]);
  });
  it('takes an explicit year', () => {
    assert.equal(readBsdStamp('Nov 23 2019 10:00:00 host', 0, years, false, out), true);
    assert.deepEqual([iso(out.time), out.end], ['2019-11-23T10:00:00.000Z', 20]);
  });
  it('takes fraction digits only when asked', () => {
    assert.equal(readBsdStamp('Nov 23 10:00:00.123456 host', 0, years, false, out), false);
    assert.equal(readBsdStamp('Nov 23 10:00:00.123456 host', 0, years, true, out), true);
    assert.deepEqual([iso(out.time), out.end], ['2026-11-23T10:00:00.123Z', 22]);
  });
  it('rejects what is not a stamp', () => {
    for (const bad of ['Nov 31 10:00:00 h', 'Feb 30 10:00:00 h', 'Nov 23 25:00:00 h', 'Nov 23 10:00 h', 'Nob 23 10:00:00 h', 'Nov 123 10:00:00', 'Nov', '']) {
      assert.equal(readBsdStamp(bad, 0, years, true, out), false, bad);
    }
  });
});
