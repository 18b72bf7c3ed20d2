import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createEventClock, createFileTimes, isoTime } from '../../src/detectors/keys.js';
import { createIsoFormatter, timeMsOf, timeMsOfIso } from '../../src/rules/event.js';
import { ev } from './ev.js';

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

test('an event\'s timeMs is the ms its ISO text says, null when it has no text', () => {
  assert.equal(timeMsOf(1772359530250), 1772359530250);
  assert.equal(timeMsOf(1772359530250.9), 1772359530250); // truncated, as the text is
  assert.ok(Object.is(timeMsOf(-0.5), 0)); // Date.parse('1970-01-01T00:00:00.000Z') is 0, not -0
  assert.equal(timeMsOf(-1000.5), -1000);
  assert.equal(timeMsOf(null), null);
  assert.equal(timeMsOf(Number.NaN), null);
  assert.equal(timeMsOf(Infinity), null);
  assert.equal(timeMsOf(8.64e15), 8.64e15);
  assert.equal(timeMsOf(8.64e15 + 1), null); // past the Date range: no text either
  assert.equal(timeMsOfIso('2026-03-01T10:05:30.250Z'), 1772359530250);
  assert.equal(timeMsOfIso('+010000-01-01T00:00:00.000Z'), 253402300800000);
  assert.equal(timeMsOfIso('2026-03-01T10:05:60.000Z'), null); // unreadable
  assert.equal(timeMsOfIso(null), null);
});

test('property: timeMs and the event\'s text agree for any record time (Date.parse of the text)', () => {
  const time = fc.oneof(
    fc.integer({ min: -62_000_000_000_000, max: 250_000_000_000_000 }),
    fc.double({ min: -9e15, max: 9e15 }),
    fc.constantFrom(0, -0, -0.5, 8.64e15, -8.64e15, 8.64e15 + 1, Number.NaN, Infinity, -Infinity),
  );
  fc.assert(fc.property(fc.array(time, { maxLength: 30 }), (times) => {
    const iso = createIsoFormatter();
    for (const t of times) {
      const text = iso(t);
      const ms = timeMsOf(t);
      if (text === null) assert.equal(ms, null, String(t));
      else assert.ok(Object.is(ms, Date.parse(text)), `${t} ${text}`);
    }
  }), { numRuns: 300 });
});

test('the clock: an event without a time takes the last time of its own file; none yet: null', () => {
  const clock = createEventClock();
  const at = (time: string | null, file: string, timeMs?: number | null) => {
    const e = ev('auth.failure', time, { file });
    return clock(timeMs === undefined ? e : { ...e, timeMs });
  };
  assert.equal(at(null, 'a'), null);
  assert.equal(at('2026-03-01T10:00:00.000Z', 'a'), 1772359200000);
  assert.equal(at('2026-03-01T11:00:00.000Z', 'b'), 1772362800000);
  assert.equal(at(null, 'a'), 1772359200000);
  assert.equal(at('not a time', 'b', null), 1772362800000); // unreadable text: as no time
  assert.equal(at(null, 'c'), null);
});

test('property: alert times (isoTime) are Date.prototype.toISOString\'s text, in any order of calls', () => {
  const time = fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: 1.7e12, max: 1.8e12 }), fc.constantFrom(0, -1, 999, 1000, 59_999, 60_000, 8.64e15, -8.64e15));
  fc.assert(fc.property(fc.array(time, { maxLength: 30 }), (times) => {
    for (const t of times) assert.equal(isoTime(t), new Date(t).toISOString());
  }));
  assert.equal(isoTime(1772359530250), '2026-03-01T10:05:30.250Z');
  assert.equal(isoTime(1772359530000), '2026-03-01T10:05:30.000Z');
  assert.throws(() => isoTime(8.64e15 + 1), RangeError); // as toISOString
});
