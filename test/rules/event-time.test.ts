// The event builder's ISO formatter keeps the text of the current day, hour and minute (rules/event.ts): times read
// one after another, a few seconds to hours apart, must still give exactly what Date.prototype.toISOString gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createIsoFormatter } from '../../src/rules/event.js';

test('agrees with toISOString over times close together (kept day, hour and minute texts reused)', () => {
  const near = fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 });
  fc.assert(
    fc.property(fc.integer({ min: -8.6e15, max: 8.6e15 }), fc.array(near, { maxLength: 40 }), (base, offsets) => {
      const iso = createIsoFormatter();
      for (const o of offsets) assert.equal(iso(base + o), new Date(base + o).toISOString());
    }),
  );
});

test('a log read minute by minute across an hour and a day', () => {
  const iso = createIsoFormatter();
  const start = Date.UTC(2026, 10, 23, 22, 58, 59);
  for (let t = start; t < start + 3 * 3_600_000; t += 61_000) assert.equal(iso(t), new Date(t).toISOString());
});
