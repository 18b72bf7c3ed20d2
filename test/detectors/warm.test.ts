// The detectors' warm start (scan --db): events replayed from the store fill the windows and raise nothing; stored
// alerts put their keys in cooldown; a run that continues from them raises what one run over everything would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createDetectors, warmHorizon, type Detectors } from '../../src/detectors/detectors.js';
import type { DetectorConfig } from '../../src/detectors/config.js';
import type { Alert, SecurityEvent } from '../../src/types.js';
import { at, config, ev, failures, ids, record404 } from './ev.js';

const quiet = ['password_spraying.enabled=false', 'distributed_attack.enabled=false', 'success_after_failures.enabled=false'];

function detectors(cfg: DetectorConfig): { d: Detectors; alerts: Alert[] } {
  const alerts: Alert[] = [];
  return { d: createDetectors(cfg, (a) => alerts.push(a)), alerts };
}

test('replayed events raise nothing, and count with the new ones: 5 stored + 5 new failures make one brute force', () => {
  const all = failures(10, '203.0.113.9', { every: 30 });
  const { d, alerts } = detectors(config(...quiet));
  for (const e of all.slice(0, 5)) d.replay(e);
  assert.equal(alerts.length, 0);
  for (const e of all.slice(5)) d.event(e);
  assert.deepEqual(ids(alerts), ['brute_force 203.0.113.9']);
  assert.equal(alerts[0]!.count, 10);
  assert.equal(alerts[0]!.first, '2026-03-01T10:00:00.000Z'); // the first replayed failure
  assert.equal(alerts[0]!.last, '2026-03-01T10:04:30.000Z');
  assert.deepEqual(alerts[0]!.evidence.map((x) => x.line), [1, 2, 3, 4, 5]); // evidence from the earlier run's lines

  const alone = detectors(config(...quiet)); // without the replay, the 5 new ones are not enough
  for (const e of all.slice(5)) alone.d.event(e);
  assert.deepEqual(alone.alerts, []);
});

test('replaying a whole attack raises nothing and moves no cooldown: only the stored alert does', () => {
  const { d, alerts } = detectors(config(...quiet));
  for (const e of failures(10, '203.0.113.9', { every: 30 })) d.replay(e); // 10:00:00-10:04:30, an attack already alerted
  assert.equal(alerts.length, 0);
  // not seeded: the next failure completes a window and alerts (this is why the stored alerts are seeded)
  d.event(failures(1, '203.0.113.9', { from: 5 })[0]!);
  assert.deepEqual(ids(alerts), ['brute_force 203.0.113.9']);
});

test('a stored alert puts its key in cooldown: no second alert within the hour, a new one after it', () => {
  const { d, alerts } = detectors(config(...quiet));
  d.seedAlert('brute_force', '203.0.113.9', Date.parse(at('04:30'))); // raised by the earlier run at 10:04:30
  for (const e of failures(10, '203.0.113.9', { every: 30 })) d.replay(e);
  for (const e of failures(20, '203.0.113.9', { from: 5, every: 30 })) d.event(e); // 10:05:00-10:14:30
  assert.equal(alerts.length, 0);
  d.seedAlert('brute_force', '198.51.100.7', Date.parse(at('04:30'))); // another key: cools only that one
  for (const e of failures(10, '203.0.113.9', { from: 65, every: 30 })) d.event(e); // 11:05:00-: cooldown over
  assert.deepEqual(alerts.map((a) => `${a.id} ${a.key} ${a.last}`), ['brute_force 203.0.113.9 2026-03-01T11:09:30.000Z']);
});

test('seedAlert ignores unknown detectors and cools web_scan', () => {
  const { d, alerts } = detectors(config());
  d.seedAlert('sigma_rule_42', '203.0.113.9', Date.parse(at('00:00')));
  d.seedAlert('web_scan', '203.0.113.9', Date.parse(at('00:00')));
  for (let i = 0; i < 40; i++) d.record(record404('203.0.113.9', Date.parse(at('01:00')) + i * 1000, i + 1), 'parsed');
  assert.deepEqual(alerts, []);
  for (let i = 0; i < 40; i++) d.record(record404('198.51.100.7', Date.parse(at('01:00')) + i * 1000, i + 1), 'parsed');
  assert.deepEqual(ids(alerts), ['web_scan 198.51.100.7']);
});

test('web_scan: 404s replayed raise nothing and count with the new ones; the counted ones are handed on with their time', () => {
  const alerts: Alert[] = [];
  const counted: string[] = [];
  const d = createDetectors(config(), (a) => alerts.push(a), (ip, t, file, line, message) => counted.push(`${line} ${new Date(t).toISOString()} ${ip} ${file} ${message}`));
  const start = Date.parse(at('01:00'));
  for (let i = 0; i < 20; i++) d.replayNotFound('203.0.113.9', start + i * 1000, 'access.log', i + 1, `GET /probe${i + 1} HTTP/1.1 404`);
  assert.equal(alerts.length, 0);
  assert.deepEqual(counted, []); // a replay is not counted again
  for (let i = 20; i < 30; i++) d.record(record404('203.0.113.9', start + i * 1000, i + 1), 'parsed');
  assert.deepEqual(ids(alerts), ['web_scan 203.0.113.9']);
  assert.equal(alerts[0]!.count, 30);
  assert.equal(alerts[0]!.first, '2026-03-01T10:01:00.000Z'); // the first replayed 404
  assert.deepEqual(alerts[0]!.evidence.map((x) => x.line), [1, 2, 3, 4, 5]);
  assert.equal(counted.length, 10);
  assert.equal(counted[0], '21 2026-03-01T10:01:20.000Z 203.0.113.9 access.log GET /probe21 HTTP/1.1 404');
  // not counted, so not handed on: another status, a line that did not parse, a 404 without an address
  const last = start + 40_000;
  d.record(record404('203.0.113.9', last, 31, '200'), 'parsed');
  d.record(record404('203.0.113.9', last, 32), 'unparsed');
  d.record({ ...record404('203.0.113.9', last, 33), fields: { status: '404' } }, 'parsed');
  // a 404 without a time of its own counts at the last time its file gave
  d.record({ ...record404('203.0.113.9', last, 34), time: null }, 'parsed');
  assert.deepEqual(counted.slice(10), ['34 2026-03-01T10:01:40.000Z 203.0.113.9 access.log GET /probe34 HTTP/1.1 404']);

  const alone = detectors(config()); // without the replay, the 10 new ones are not enough
  for (let i = 20; i < 30; i++) alone.d.record(record404('203.0.113.9', start + i * 1000, i + 1), 'parsed');
  assert.deepEqual(alone.alerts, []);
});

test('success after failures: failures of the earlier run, the success in this one', () => {
  const { d, alerts } = detectors(config('brute_force.enabled=false', 'password_spraying.enabled=false', 'distributed_attack.enabled=false'));
  for (const e of failures(5, '203.0.113.9', { users: ['deploy'] })) d.replay(e);
  d.event(ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy', line: 6 }));
  assert.deepEqual(ids(alerts), ['success_after_failures 203.0.113.9']);
  assert.equal(alerts[0]!.count, 6);
});

test('privilege escalation: the suspicious login in the earlier run (its alert stored), the sudo in this one', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false', 'distributed_attack.enabled=false');
  const login = [...failures(5, '203.0.113.9', { users: ['deploy'] }), ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy', line: 6 })];
  const sudo = ev('priv.sudo', at('05:00'), { user: 'deploy', line: 7 });

  const { d, alerts } = detectors(cfg);
  d.seedAlert('success_after_failures', '203.0.113.9', Date.parse(at('01:00')));
  for (const e of login) d.replay(e);
  d.event(sudo);
  assert.deepEqual(ids(alerts), ['privilege_escalation deploy']);
  assert.deepEqual(alerts[0]!.evidence.map((x) => x.line), [6, 7]); // the login, then the sudo
  assert.equal(alerts[0]!.first, '2026-03-01T10:01:00.000Z');

  // No stored alert for that login (the earlier run had the address in cooldown): it was not suspicious then either.
  const other = detectors(cfg);
  for (const e of login) other.d.replay(e);
  other.d.event(sudo);
  assert.deepEqual(other.alerts, []);
});

test('privilege escalation almost an hour after the login: the replay reaches back to the failures before that login', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false', 'distributed_attack.enabled=false');
  const earlier = [
    ...failures(5, '203.0.113.9', { users: ['deploy'] }), // 10:00:00-10:00:40
    ev('auth.success', at('05:00'), { ip: '203.0.113.9', user: 'deploy', line: 6 }), // alerted on, stored
    ev('auth.success', at('64:00'), { ip: '192.0.2.1', user: 'alice', line: 7 }), // 11:04:00, the latest stored event
  ];
  const latest = Date.parse(at('64:00'));
  const from = latest - warmHorizon(cfg).eventsMs; // 09:54: 1h for the sudo after the login, 10m for the failures before it
  assert.equal(new Date(from).toISOString(), '2026-03-01T09:54:00.000Z');
  const { d, alerts } = detectors(cfg);
  d.seedAlert('success_after_failures', '203.0.113.9', Date.parse(at('05:00')));
  for (const e of earlier) if (Date.parse(e.time!) >= from) d.replay(e);
  d.event(ev('priv.sudo', at('64:30'), { user: 'deploy', line: 8 })); // 59m30s after the login
  assert.deepEqual(ids(alerts), ['privilege_escalation deploy']);
});

test('the stored success-after-failures alert is not raised again when the success is read again', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false', 'distributed_attack.enabled=false');
  const { d, alerts } = detectors(cfg);
  d.seedAlert('success_after_failures', '203.0.113.9', Date.parse(at('01:00')));
  for (const e of failures(5, '203.0.113.9', { users: ['deploy'] })) d.replay(e);
  // the success's line was cut (its end not read) when the earlier run stored the alert: it is read again now
  d.event(ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy', line: 6 }));
  assert.deepEqual(alerts, []);
});

test('warmHorizon: the longest window each detector needs; the cooldowns plus a window for alerts', () => {
  // privilege_escalation 1h + 10m; web_scan's 5m of 404s; 1h + 1h
  assert.deepEqual(warmHorizon(config()), { eventsMs: 70 * 60_000, notFoundMs: 5 * 60_000, alertsMs: 120 * 60_000 });
  const bf = config('all.enabled=false', 'brute_force.enabled=true');
  assert.deepEqual(warmHorizon(bf), { eventsMs: 10 * 60_000, notFoundMs: 0, alertsMs: 70 * 60_000 });
  const saf = config('all.enabled=false', 'success_after_failures.enabled=true', 'success_after_failures.cooldown=0s');
  assert.deepEqual(warmHorizon(saf), { eventsMs: 20 * 60_000, notFoundMs: 0, alertsMs: 20 * 60_000 }); // twice its window
  const scan = config('all.enabled=false', 'web_scan.enabled=true');
  assert.deepEqual(warmHorizon(scan), { eventsMs: 0, notFoundMs: 5 * 60_000, alertsMs: 65 * 60_000 }); // only 404s to replay
  const short = config('all.enabled=false', 'web_scan.enabled=true', 'web_scan.window=20m', 'web_scan.cooldown=0s');
  assert.deepEqual(warmHorizon(short), { eventsMs: 0, notFoundMs: 20 * 60_000, alertsMs: 20 * 60_000 }); // its window, for alerts too
});

// --- One run over everything, or two runs where the second starts warm from what the first stored: same alerts. ---

const IPS = ['203.0.113.9', '198.51.100.7', '192.0.2.1'];
const USERS = ['root', 'deploy', 'alice'];
// Small thresholds and short cooldowns, so that a few events make many alerts; the mass_registration and web_scan
// detectors off (no sign-ups here), so that each horizon is as short as the detectors below need.
const small = ['all.enabled=false', 'brute_force.enabled=true', 'password_spraying.enabled=true', 'distributed_attack.enabled=true',
  'success_after_failures.enabled=true', 'privilege_escalation.enabled=true', 'brute_force.threshold=4', 'brute_force.cooldown=20m',
  'password_spraying.threshold=2', 'distributed_attack.threshold=2', 'success_after_failures.threshold=2', 'success_after_failures.cooldown=15m'];
const CONFIGS = {
  'a long privilege_escalation window': [...small, 'privilege_escalation.window=30m', 'privilege_escalation.cooldown=40m'],
  'a short one (success_after_failures sets the horizon)': [...small, 'privilege_escalation.window=3m', 'privilege_escalation.cooldown=5m'],
};

const step = fc.record({
  gap: fc.integer({ min: 0, max: 240 }), // seconds after the previous event
  kind: fc.constantFrom('auth.failure', 'auth.failure', 'auth.failure', 'auth.success', 'priv.sudo'),
  ip: fc.integer({ min: 0, max: 2 }),
  user: fc.integer({ min: 0, max: 2 }),
});

function eventsOf(steps: readonly { gap: number; kind: string; ip: number; user: number }[]): SecurityEvent[] {
  let t = Date.parse(at('00:00'));
  return steps.map((s, i) => {
    t += s.gap * 1000;
    const type = s.kind as 'auth.failure' | 'auth.success' | 'priv.sudo';
    return ev(type, new Date(t).toISOString(), { ip: type === 'priv.sudo' ? undefined : IPS[s.ip], user: USERS[s.user], line: i + 1 });
  });
}

const show = (a: Alert): string => JSON.stringify(a);

for (const [name, settings] of Object.entries(CONFIGS)) test(`property: a warm second run raises exactly the alerts one run over everything raises after the split; ${name}`, () => {
  const cfg = config(...settings);
  const horizon = warmHorizon(cfg);
  fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), fc.nat(), (steps, cut) => {
    const events = eventsOf(steps);
    const split = cut % (events.length + 1);
    const whole: { at: number; alert: Alert }[] = [];
    let index = 0;
    const one = createDetectors(cfg, (alert) => whole.push({ at: index, alert }));
    for (; index < events.length; index++) one.event(events[index]!);

    // What the first run stored: its events and the alerts they raised. The second run seeds, replays, goes on.
    const stored = whole.filter((w) => w.at < split).map((w) => w.alert);
    const expected = whole.filter((w) => w.at >= split).map((w) => show(w.alert));
    const { d, alerts } = detectors(cfg);
    if (split > 0) {
      const latest = Date.parse(events[split - 1]!.time!);
      for (const a of stored) if (Date.parse(a.last!) >= latest - horizon.alertsMs) d.seedAlert(a.id, a.key, Date.parse(a.last!));
      for (const e of events.slice(0, split)) if (Date.parse(e.time!) >= latest - horizon.eventsMs) d.replay(e);
    }
    for (const e of events.slice(split)) d.event(e);
    assert.deepEqual(alerts.map(show), expected);
  }), { numRuns: 300, seed: 20261126 });
});
