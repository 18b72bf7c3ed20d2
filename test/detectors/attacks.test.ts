import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import { assertGolden } from '../helpers/golden.js';
import { memoryIo } from '../helpers/io.js';

// fixtures/logs/attacks: brute force then success and sudo from one address, spraying over IPv6, a distributed
// attack across two servers whose lines interleave in time, mass sign-ups, a 404 scan and an SQL injection burst.
test('scan of the attack scenarios: alerts live and in the summary (golden)', async () => {
  const io = memoryIo({ now: new Date('2026-11-26T12:00:00Z') });
  const code = await main(['scan', '--no-color', 'fixtures/logs/attacks'], io);
  assert.equal(code, 0);
  assertGolden(io.stdout(), 'alerts', 'attacks.txt');
});

test('scan --json: the alert lines, in order (golden); --fail-on critical counts alerts', async () => {
  const io = memoryIo({ now: new Date('2026-11-26T12:00:00Z') });
  const code = await main(['scan', '--json', '--fail-on', 'critical', 'fixtures/logs/attacks'], io);
  assert.equal(code, 1);
  const alerts = io.stdout().split('\n').filter((l) => l.startsWith('{"kind":"alert"'));
  assert.deepEqual(alerts.map((l) => { const a = JSON.parse(l) as { id: string; key: string }; return `${a.id} ${a.key}`; }), [
    'mass_registration_ip 203.0.113.61',
    'web_attack_burst 198.51.100.23',
    'web_scan 198.51.100.23',
    'web_attack_burst 192.0.2.200',
    'brute_force 203.0.113.9',
    'success_after_failures 203.0.113.9',
    'privilege_escalation deploy',
    'password_spraying 2001:db8:7::66',
    'distributed_attack svc-backup',
  ]);
  assertGolden(alerts.join('\n') + '\n', 'alerts', 'attacks.ndjson');
});

test('scan with every detector off raises no alert', async () => {
  const io = memoryIo();
  assert.equal(await main(['scan', '--json', '--detector', 'all.enabled=false', 'fixtures/logs/attacks'], io), 0);
  assert.equal(io.stdout().includes('"kind":"alert"'), false);
});
