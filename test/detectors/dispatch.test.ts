// What decides which detectors an event or a record reaches: the type AND the outcome of events (the last answer is
// remembered), the status of records (lines with no status at all among them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDetectors } from '../../src/detectors/detectors.js';
import type { Alert, LogRecord } from '../../src/types.js';
import { BASE, at, config, ev, record404, run } from './ev.js';

test('an event of a counted type but another outcome is not counted, even right after one that was', () => {
  const only = config('password_spraying.enabled=false', 'distributed_attack.enabled=false', 'success_after_failures.enabled=false');
  // auth.failure with outcome failure (counted) and with outcome unknown (not), alternating, one address
  const events = Array.from({ length: 20 }, (_, i) => ev('auth.failure', at(`00:${String(i).padStart(2, '0')}`), {
    ip: '203.0.113.9', outcome: i % 2 === 0 ? 'failure' : 'unknown', line: i + 1,
  }));
  const alerts = run(events, only);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.count, 10); // the 10 failures: reached by the 19th event (00:18), not the 10th
  assert.equal(alerts[0]!.last, '2026-03-01T10:00:18.000Z');
  assert.deepEqual(alerts[0]!.evidence.map((e) => e.line), [1, 3, 5, 7, 9]);
});

test('web_scan counts 404 records among records that carry no status at all', () => {
  const alerts: Alert[] = [];
  const d = createDetectors(config('web_scan.threshold=3'), (a) => alerts.push(a));
  const noStatus = (line: number): LogRecord => ({ ...record404('198.51.100.4', BASE + line * 1000, line), fields: {} });
  d.record(noStatus(1), 'parsed');
  d.record(record404('198.51.100.4', BASE + 2000, 2), 'parsed');
  d.record(noStatus(3), 'parsed');
  d.record(record404('198.51.100.4', BASE + 4000, 4, '200'), 'parsed');
  d.record(record404('198.51.100.4', BASE + 5000, 5), 'parsed');
  assert.equal(alerts.length, 0);
  d.record(record404('198.51.100.4', BASE + 6000, 6), 'parsed');
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.count, 3);
  assert.deepEqual(alerts[0]!.evidence.map((e) => e.line), [2, 5, 6]);
});

test('an event no detector takes still gives its time to the events of its file that have none', () => {
  const only = config('password_spraying.enabled=false', 'distributed_attack.enabled=false', 'success_after_failures.enabled=false');
  // a probe (taken by no detector) at 10:30, then failures without a time: they count at 10:30, in one window
  const events = [ev('auth.probe', at('30:00'), { ip: '203.0.113.9' }), ...Array.from({ length: 10 }, (_, i) => ev('auth.failure', null, { ip: '203.0.113.9', line: i + 2 }))];
  const alerts = run(events, only);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.first, '2026-03-01T10:30:00.000Z');
  assert.equal(alerts[0]!.last, '2026-03-01T10:30:00.000Z');
});
