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

test('scan --json: the alert lines, in time order across the files (golden); --fail-on critical counts alerts', async () => {
  const io = memoryIo({ now: new Date('2026-11-26T12:00:00Z') });
  const code = await main(['scan', '--json', '--fail-on', 'critical', 'fixtures/logs/attacks'], io);
  assert.equal(code, 1);
  const alerts = io.stdout().split('\n').filter((l) => l.startsWith('{"kind":"alert"'));
  assert.deepEqual(alerts.map((l) => { const a = JSON.parse(l) as { id: string; key: string }; return `${a.id} ${a.key}`; }), [
    'brute_force 203.0.113.9',
    'success_after_failures 203.0.113.9',
    'distributed_attack svc-backup',
    'privilege_escalation deploy',
    'password_spraying 2001:db8:7::66',
    'mass_registration_ip 203.0.113.61',
    'web_attack_burst 198.51.100.23',
    'web_scan 198.51.100.23',
    'web_attack_burst 192.0.2.200',
  ]);
  assertGolden(alerts.join('\n') + '\n', 'alerts', 'attacks.ndjson');
});

test('scan with every detector off raises no alert', async () => {
  const io = memoryIo();
  assert.equal(await main(['scan', '--json', '--detector', 'all.enabled=false', 'fixtures/logs/attacks'], io), 0);
  assert.equal(io.stdout().includes('"kind":"alert"'), false);
});

// fixtures/logs/multi-host: the attacker fails six times on db1 at 10:00, then logs in on the bastion at 10:01:10.
// bastion-auth.log is named first and db1's file goes on for hours: read one file after the other, the success would
// come before the failures it follows. Sources are merged by time, so the alert is raised as it happened.
test('an attack spread over two hosts\' files is seen in time order, whichever file is named first', async () => {
  for (const files of [['bastion-auth.log', 'db1-auth.log'], ['db1-auth.log', 'bastion-auth.log']]) {
    const io = memoryIo({ now: new Date('2026-11-26T12:00:00Z') });
    const code = await main(['scan', '--json', ...files.map((f) => `fixtures/logs/multi-host/${f}`)], io);
    assert.equal(code, 0);
    const alerts = io.stdout().split('\n').filter((l) => l.startsWith('{"kind":"alert"')).map((l) => JSON.parse(l) as { id: string; key: string; count: number; last: string });
    assert.deepEqual(alerts.map((a) => [a.id, a.key, a.count, a.last]), [
      ['brute_force', '203.0.113.77', 10, '2026-11-24T10:00:30.000Z'],
      ['success_after_failures', '203.0.113.77', 13, '2026-11-24T10:01:10.000Z'],
    ], files.join(' '));
  }
});
