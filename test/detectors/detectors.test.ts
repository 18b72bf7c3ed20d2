import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDetectors } from '../../src/detectors/detectors.js';
import type { Alert } from '../../src/types.js';
import { BASE, at, config, ev, failures, ids, record404, run } from './ev.js';

// Defaults: brute_force 10 in 10m; spraying 5 users; distributed 5 addresses; success after 5 failures in 10m.
const quiet = ['password_spraying.enabled=false', 'distributed_attack.enabled=false', 'success_after_failures.enabled=false'];

test('brute force: 10 failures from one address within 10 minutes', () => {
  const alerts = run(failures(10, '203.0.113.9', { every: 30 }), config(...quiet));
  assert.equal(alerts.length, 1);
  const a = alerts[0]!;
  assert.equal(a.id, 'brute_force');
  assert.equal(a.severity, 'high');
  assert.equal(a.key, '203.0.113.9');
  assert.equal(a.count, 10);
  assert.equal(a.first, '2026-03-01T10:00:00.000Z');
  assert.equal(a.last, '2026-03-01T10:04:30.000Z');
  assert.equal(a.title, 'brute force: 10 failed logins from one address within 10m');
  assert.deepEqual(a.evidence.map((x) => `${x.file}:${x.line}`), ['auth.log:1', 'auth.log:2', 'auth.log:3', 'auth.log:4', 'auth.log:5']);
});

test('brute force, just under: 9 failures, or 10 spread over more than 10 minutes', () => {
  assert.deepEqual(run(failures(9, '203.0.113.9'), config(...quiet)), []);
  // one every 67 s: 10 failures span 10 m 3 s
  assert.deepEqual(run(failures(10, '203.0.113.9', { every: 67 }), config(...quiet)), []);
});

test('brute force: the cooldown keeps a long storm to one alert per hour', () => {
  const alerts = run(failures(300, '203.0.113.9', { every: 20 }), config(...quiet)); // 100 minutes
  // raised at 10:03:00 (the 10th failure), again at 11:03:00 with the 31 failures of 10:53:00-11:03:00
  assert.deepEqual(alerts.map((a) => [a.first, a.last, a.count]), [['2026-03-01T10:00:00.000Z', '2026-03-01T10:03:00.000Z', 10], ['2026-03-01T10:53:00.000Z', '2026-03-01T11:03:00.000Z', 31]]);
});

test('brute force: two files whose lines interleave in time add up', () => {
  const a = failures(5, '203.0.113.9', { every: 20, file: 'web1/auth.log' });
  const b = failures(5, '203.0.113.9', { every: 20, from: 0.1, file: 'web2/auth.log' }); // 6 s later each
  const alerts = run([...a, ...b], config(...quiet));
  assert.deepEqual(ids(alerts), ['brute_force 203.0.113.9']);
  assert.equal(alerts[0]!.first, '2026-03-01T10:00:00.000Z');
  assert.equal(alerts[0]!.last, '2026-03-01T10:01:26.000Z');
});

test('password spraying: 5 distinct accounts from one address; 4 is not enough', () => {
  const cfg = config('brute_force.enabled=false', 'distributed_attack.enabled=false', 'success_after_failures.enabled=false');
  const five = run(failures(5, '198.51.100.7', { users: ['root', 'admin', 'oracle', 'test', 'ubuntu'] }), cfg);
  assert.deepEqual(ids(five), ['password_spraying 198.51.100.7']);
  assert.equal(five[0]!.count, 5);
  assert.equal(five[0]!.title, 'password spraying: 5 accounts tried from one address within 10m');
  assert.deepEqual(run(failures(20, '198.51.100.7', { users: ['root', 'admin', 'oracle', 'test'] }), cfg), []);
});

test('distributed attack: one account, failures from 5 addresses; 4 is not enough', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false', 'success_after_failures.enabled=false');
  const from = (n: number): ReturnType<typeof ev>[] =>
    Array.from({ length: n }, (_, i) => ev('auth.failure', at(`0${i}:00`), { ip: `192.0.2.${10 + i}`, user: 'alice', line: i + 1 }));
  const alerts = run(from(5), cfg);
  assert.deepEqual(ids(alerts), ['distributed_attack alice']);
  assert.equal(alerts[0]!.count, 5);
  assert.deepEqual(run(from(4), cfg), []);
});

test('success after failures: critical, keyed on the address, evidence ends with the success', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false');
  const events = [...failures(5, '203.0.113.9', { users: ['deploy'] }), ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy', line: 99 })];
  const alerts = run(events, cfg);
  assert.deepEqual(ids(alerts), ['success_after_failures 203.0.113.9']);
  const a = alerts[0]!;
  assert.equal(a.severity, 'critical');
  assert.equal(a.count, 6);
  assert.equal(a.first, '2026-03-01T10:00:00.000Z');
  assert.equal(a.last, '2026-03-01T10:01:00.000Z');
  assert.deepEqual(a.evidence.map((x) => x.line), [1, 2, 3, 4, 99]);
});

test('success after failures, just under: 4 failures, or failures older than the window', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false');
  assert.deepEqual(run([...failures(4, '203.0.113.9'), ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy' })], cfg), []);
  // 5 failures at 10:00:00-10:00:40, success at 10:10:01: the first failure is 1 s too old
  assert.deepEqual(run([...failures(5, '203.0.113.9'), ev('auth.success', at('10:01'), { ip: '203.0.113.9', user: 'deploy' })], cfg), []);
});

test('success after failures for one account from other addresses (keyed on the account)', () => {
  const cfg = config('brute_force.enabled=false', 'distributed_attack.enabled=false');
  const fails = Array.from({ length: 5 }, (_, i) => ev('auth.failure', at(`00:0${i}`), { ip: `192.0.2.${i}`, user: 'alice' }));
  const alerts = run([...fails, ev('auth.success', at('00:30'), { ip: '198.51.100.1', user: 'alice' })], cfg);
  assert.deepEqual(ids(alerts), ['success_after_failures alice']);
});

test('success after failures: the failures read after the success (another file) still count', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false');
  const alerts = run([ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy', file: 'b.log' }), ...failures(5, '203.0.113.9', { file: 'a.log' })], cfg);
  assert.deepEqual(ids(alerts), ['success_after_failures 203.0.113.9']);
});

test('privilege escalation: sudo within the hour after a login that followed failures', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false');
  const login = [...failures(5, '203.0.113.9', { users: ['deploy'] }), ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy' })];
  const alerts = run([...login, ev('priv.sudo', at('05:00'), { user: 'deploy', line: 200 })], cfg);
  assert.deepEqual(ids(alerts), ['success_after_failures 203.0.113.9', 'privilege_escalation deploy']);
  assert.equal(alerts[1]!.severity, 'critical');
  assert.equal(alerts[1]!.title, 'privilege escalation: sudo/su 4m after a login that followed failures');
  // just under: sudo by another account, or more than an hour later
  assert.deepEqual(ids(run([...login, ev('priv.sudo', at('05:00'), { user: 'alice' })], cfg)), ['success_after_failures 203.0.113.9']);
  assert.deepEqual(ids(run([...login, ev('priv.sudo', at('61:01'), { user: 'deploy' })], cfg)), ['success_after_failures 203.0.113.9']);
});

test('mass registration: by address, by /24, by phone; just under each threshold nothing', () => {
  const reg = (ip: string, phone: string | undefined, s: number): ReturnType<typeof ev> =>
    ev('account.registration', new Date(BASE + s * 1000).toISOString(), { ip, phone });
  const byIp = Array.from({ length: 10 }, (_, i) => reg('203.0.113.50', undefined, i * 30));
  assert.deepEqual(ids(run(byIp)), ['mass_registration_ip 203.0.113.50']);
  assert.deepEqual(run(byIp.slice(0, 9)), []);
  const byNet = Array.from({ length: 20 }, (_, i) => reg(`203.0.113.${i + 1}`, undefined, i * 20));
  assert.deepEqual(ids(run(byNet)), ['mass_registration_subnet 203.0.113.0/24']);
  assert.deepEqual(run(byNet.slice(0, 19)), []);
  const byPhone = Array.from({ length: 3 }, (_, i) => reg(`198.51.${i}.1`, '+8613800138000', i * 600));
  assert.deepEqual(ids(run(byPhone)), ['mass_registration_phone +8613800138000']);
  assert.deepEqual(run(byPhone.slice(0, 2)), []);
});

test('web attack burst: 20 web.* events from one address in 5 minutes; 19 is not enough', () => {
  const web = Array.from({ length: 20 }, (_, i) => ev(i % 2 === 0 ? 'web.sqli' : 'web.traversal', new Date(BASE + i * 10_000).toISOString(), { ip: '192.0.2.66' }));
  assert.deepEqual(ids(run(web)), ['web_attack_burst 192.0.2.66']);
  assert.deepEqual(run(web.slice(0, 19)), []);
});

test('web scan: 30 requests answered 404 to one address in 5 minutes; 29, or other statuses, are not', () => {
  const feed = (n: number, status = '404'): Alert[] => {
    const alerts: Alert[] = [];
    const d = createDetectors(config(), (a) => alerts.push(a));
    for (let i = 0; i < n; i++) d.record(record404('192.0.2.77', BASE + i * 5000, i + 1, status), 'parsed');
    return alerts;
  };
  const alerts = feed(30);
  assert.deepEqual(ids(alerts), ['web_scan 192.0.2.77']);
  assert.equal(alerts[0]!.evidence[0]!.message, 'GET /probe1 HTTP/1.1 404');
  assert.deepEqual(feed(29), []);
  assert.deepEqual(feed(60, '200'), []);
});

test('events without a time take the last time of their file; before any, they are not counted', () => {
  const cfg = config(...quiet);
  const timed = failures(5, '203.0.113.9');
  const untimed = Array.from({ length: 5 }, () => ev('auth.failure', null, { ip: '203.0.113.9' }));
  assert.deepEqual(ids(run([...timed, ...untimed], cfg)), ['brute_force 203.0.113.9']);
  assert.deepEqual(run([...untimed, ...untimed, ...timed.slice(0, 4)], cfg), []);
});

test('deterministic: the same events give the same alerts in the same order', () => {
  const events = [
    ...failures(12, '203.0.113.9', { users: ['a', 'b', 'c', 'd', 'e', 'f'] }),
    ev('auth.success', at('03:00'), { ip: '203.0.113.9', user: 'f' }),
  ];
  const first = JSON.stringify(run(events));
  assert.equal(JSON.stringify(run(events)), first);
  assert.deepEqual(ids(JSON.parse(first) as Alert[]), ['password_spraying 203.0.113.9', 'brute_force 203.0.113.9', 'success_after_failures 203.0.113.9']);
});

test('disabled detectors raise nothing', () => {
  assert.deepEqual(run(failures(50, '203.0.113.9', { users: ['a', 'b', 'c', 'd', 'e'] }), config('all.enabled=false')), []);
});

test('privilege escalation: threshold counts the sudo/su after the suspicious login; one under it is not enough', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false', 'privilege_escalation.threshold=3');
  const login = [...failures(5, '203.0.113.9', { users: ['deploy'] }), ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy', line: 100 })];
  const sudo = (mmss: string, line: number): ReturnType<typeof ev> => ev('priv.sudo', at(mmss), { user: 'deploy', line });
  const three = [sudo('02:00', 201), ev('priv.su', at('03:00'), { user: 'deploy', line: 202 }), sudo('10:00', 203)];
  const alerts = run([...login, ...three], cfg);
  assert.deepEqual(ids(alerts), ['success_after_failures 203.0.113.9', 'privilege_escalation deploy']);
  const esc = alerts[1]!;
  assert.equal(esc.title, 'privilege escalation: 3 sudo/su within 9m after a login that followed failures');
  assert.equal(esc.count, 4);
  assert.equal(esc.first, '2026-03-01T10:01:00.000Z');
  assert.equal(esc.last, '2026-03-01T10:10:00.000Z');
  assert.deepEqual(esc.evidence.map((x) => x.line), [100, 201, 202, 203]);
  // just under: two sudo/su after the login
  assert.deepEqual(ids(run([...login, ...three.slice(0, 2)], cfg)), ['success_after_failures 203.0.113.9']);
  // a sudo before the login, or after the window, does not count towards the three
  const before = [sudo('00:20', 199), ...login, ...three.slice(0, 2)];
  assert.deepEqual(ids(run(before, cfg)), ['success_after_failures 203.0.113.9']);
  assert.deepEqual(ids(run([...login, ...three.slice(0, 2), sudo('61:01', 204)], cfg)), ['success_after_failures 203.0.113.9']);
});

test('privilege escalation: sudo/su read before the login (another file) still reach the threshold', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false', 'privilege_escalation.threshold=2');
  const login = [...failures(5, '203.0.113.9', { users: ['deploy'], file: 'auth.log' }), ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy', line: 100 })];
  const sudos = [ev('priv.sudo', at('04:00'), { user: 'deploy', file: 'secure', line: 7 }), ev('priv.sudo', at('05:30'), { user: 'deploy', file: 'secure', line: 8 })];
  const alerts = run([...sudos, ...login], cfg);
  assert.deepEqual(ids(alerts), ['success_after_failures 203.0.113.9', 'privilege_escalation deploy']);
  assert.equal(alerts[1]!.title, 'privilege escalation: 2 sudo/su within 270s after a login that followed failures');
  assert.deepEqual(ids(run([sudos[0]!, ...login], cfg)), ['success_after_failures 203.0.113.9']);
});

test('success after failures in a flood: the stores hold 32 failures a key, and the alert says there were more', () => {
  // 100 failures in the window before the login: the store keeps the latest 32 (four thresholds), not all of them
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false');
  const flood = failures(100, '203.0.113.9', { every: 1, users: ['deploy'] });
  const alerts = run([...flood, ev('auth.success', at('05:00'), { ip: '203.0.113.9', user: 'deploy', line: 999 })], cfg);
  assert.deepEqual(ids(alerts), ['success_after_failures 203.0.113.9']);
  const a = alerts[0]!;
  assert.match(a.title, /^success after failures: a login succeeded after more than 32 failures within 10m$/);
  assert.equal(a.count, 33);
  assert.equal(a.first, at('01:08')); // the 69th failure: the oldest one kept
  assert.deepEqual(a.evidence.map((x) => x.line), [69, 70, 71, 72, 999]);
  // within the cap the count is exact, and said so
  const exact = run([...failures(32, '203.0.113.9', { every: 1 }), ev('auth.success', at('05:00'), { ip: '203.0.113.9', user: 'deploy' })], cfg);
  assert.match(exact[0]!.title, /after 32 failures within/);
  // four times a larger threshold
  const wide = run([...flood, ev('auth.success', at('05:00'), { ip: '203.0.113.9', user: 'deploy' })], config('brute_force.enabled=false', 'password_spraying.enabled=false', 'success_after_failures.threshold=20'));
  assert.match(wide[0]!.title, /after more than 80 failures within/);
  assert.equal(wide[0]!.first, at('00:20'));
});

test('privilege escalation in a flood of sudo: the count says there were more than the store holds', () => {
  const cfg = config('brute_force.enabled=false', 'password_spraying.enabled=false');
  const login = [...failures(5, '203.0.113.9', { users: ['deploy'] }), ev('auth.success', at('01:00'), { ip: '203.0.113.9', user: 'deploy' })];
  // the sudo come first (another file): the login read later finds the latest 32 of its hour
  const sudo = Array.from({ length: 40 }, (_, i) => ev('priv.sudo', at(`02:${String(i).padStart(2, '0')}`), { user: 'deploy', line: 100 + i, file: 'b.log' }));
  const alerts = run([...sudo, ...login], cfg).filter((a) => a.id === 'privilege_escalation');
  assert.equal(alerts.length, 1);
  assert.match(alerts[0]!.title, /^privilege escalation: more than 32 sudo\/su within /);
  assert.equal(alerts[0]!.count, 33);
});

test('evidence keeps the first 512 characters of a long line; the 404s counted for the store keep it whole', () => {
  const long = `Failed password for root from 203.0.113.9 port 22 ssh2 ${'A'.repeat(3000)}`;
  const cfg = config('password_spraying.enabled=false', 'success_after_failures.enabled=false', 'distributed_attack.enabled=false');
  const events = failures(10, '203.0.113.9').map((e) => ({ ...e, message: long }));
  const alerts = run(events, cfg);
  assert.deepEqual(ids(alerts), ['brute_force 203.0.113.9']);
  for (const x of alerts[0]!.evidence) assert.equal(x.message, `${long.slice(0, 512)}...`);
  const counted: string[] = [];
  const found: Alert[] = [];
  const d = createDetectors(config(), (a) => found.push(a), (_ip, _t, _file, _line, message) => counted.push(message));
  const url = `GET /${'x'.repeat(2000)} HTTP/1.1 404`;
  for (let i = 0; i < 30; i++) d.record({ ...record404('198.51.100.4', BASE + i * 1000, i + 1), message: url }, 'parsed');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.evidence[0]!.message, `${url.slice(0, 512)}...`);
  assert.deepEqual(new Set(counted), new Set([url]));
});
