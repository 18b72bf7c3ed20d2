// KeptAlerts keeps at most `capacity` alerts; past it an alert that matters more replaces the first of those that
// matter least. The expected lists are written by hand; the property compares with a plain scan (the old code).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { KeptAlerts } from '../../src/counter/kept-alerts.js';
import { SEVERITIES, severityRank, type Alert, type Severity } from '../../src/types.js';
import { alert } from '../reporters/sample.js';

const a = (key: string, severity: Severity, count: number): Alert => alert({ key, severity, count });
const keys = (k: KeptAlerts): string[] => k.list().map((x) => x.key);

test('below capacity every alert is kept, in arrival order', () => {
  const k = new KeptAlerts(3);
  k.add(a('a', 'low', 5));
  k.add(a('b', 'high', 1));
  assert.deepEqual(keys(k), ['a', 'b']);
});

test('when full, a more important alert takes the place of the first least important one', () => {
  const k = new KeptAlerts(3);
  k.add(a('a', 'medium', 5));
  k.add(a('b', 'low', 9));
  k.add(a('c', 'low', 9)); // as unimportant as b, but later: b goes first
  k.add(a('d', 'low', 9)); // no more important than the least: dropped
  assert.deepEqual(keys(k), ['a', 'b', 'c']);
  k.add(a('e', 'low', 10)); // same severity, more events: replaces b, in b's place
  assert.deepEqual(keys(k), ['a', 'e', 'c']);
  k.add(a('f', 'critical', 1)); // now c is the least
  assert.deepEqual(keys(k), ['a', 'e', 'f']);
  k.add(a('g', 'medium', 6)); // e (low) is the least
  assert.deepEqual(keys(k), ['a', 'g', 'f']);
  k.add(a('h', 'medium', 5)); // a (medium, 5) is the least; an equal alert does not replace it
  assert.deepEqual(keys(k), ['a', 'g', 'f']);
});

test('list() is a copy', () => {
  const k = new KeptAlerts(2);
  k.add(a('a', 'low', 1));
  const before = k.list();
  k.add(a('b', 'low', 1));
  assert.deepEqual(before.map((x) => x.key), ['a']);
});

test('a capacity that is not a positive whole number is refused', () => {
  assert.throws(() => new KeptAlerts(0), RangeError);
  assert.throws(() => new KeptAlerts(1.5), RangeError);
});

/** The scan the heap replaces: the first alert of lowest severity, then fewest events. */
function reference(capacity: number, alerts: readonly Alert[]): string[] {
  const kept: Alert[] = [];
  const order = (x: Alert, y: Alert): number => severityRank(y.severity) - severityRank(x.severity) || y.count - x.count;
  for (const x of alerts) {
    if (kept.length < capacity) {
      kept.push(x);
      continue;
    }
    let least = 0;
    for (let i = 1; i < kept.length; i++) if (order(kept[i]!, kept[least]!) > 0) least = i;
    if (order(x, kept[least]!) < 0) kept[least] = x;
  }
  return kept.map((x) => x.key);
}

test('property: the same alerts, in the same places, as a scan for the least important', () => {
  const arb = fc.record({ severity: fc.constantFrom(...SEVERITIES), count: fc.integer({ min: 1, max: 4 }) }); // many ties
  fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.array(arb, { maxLength: 80 }), (capacity, specs) => {
    const alerts = specs.map((s, i) => a(`k${i}`, s.severity, s.count));
    const k = new KeptAlerts(capacity);
    for (const x of alerts) k.add(x);
    assert.deepEqual(keys(k), reference(capacity, alerts));
  }), { numRuns: 500 });
});
