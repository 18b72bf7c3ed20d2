// Realistic service logs (mail, FTP, databases, kernel, su, shadow-utils) through the whole scan: each line gives
// the event a person reading it would name, with the address and user taken from the right place.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import { assertGolden } from '../helpers/golden.js';
import { memoryIo } from '../helpers/io.js';

const FILE = 'fixtures/logs/services/services.log';

async function events(): Promise<Record<string, unknown>[]> {
  const io = memoryIo();
  assert.equal(await main(['scan', '--json', FILE], io), 0);
  assertGolden(io.stdout(), 'scan', 'services.ndjson');
  return io.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['kind'] === 'event');
}

test('every service family fires on its realistic lines', async () => {
  const got = (await events()).map((e) => `${String(e['line'])} ${String(e['type'])} ${String((e['source'] as { ip: unknown }).ip)} ${String(e['user'])}`);
  assert.deepEqual(got, [
    '2 auth.failure 203.0.113.80 null',
    '3 auth.failure 203.0.113.80 info@example.com',
    '5 auth.failure 198.51.100.61 sales@example.com', // "3 attempts": three failures
    '5 auth.failure 198.51.100.61 sales@example.com',
    '5 auth.failure 198.51.100.61 sales@example.com',
    '6 auth.failure 198.51.100.61 sales', // PAM behind dovecot's "auth: " prefix
    '7 auth.success 192.0.2.200 ceo@example.com',
    '8 auth.failure 198.51.100.99 admin@example.com',
    '9 auth.failure 203.0.113.90 anonymous', // ::ffff: mapped address unwrapped
    '10 auth.failure 203.0.113.90 backup',
    '11 auth.success 192.0.2.15 backup',
    '12 auth.failure 203.0.113.91 admin',
    '13 auth.invalid_user 203.0.113.91 test',
    '14 auth.failure 203.0.113.92 webmaster',
    '15 auth.failure 203.0.113.95 root',
    '16 auth.failure null postgres', // FATAL, but an auth failure first: no app.fatal
    '17 auth.invalid_user null admin',
    '18 system.crash null null',
    '19 system.crash null 1001',
    '21 system.oom null null', // one event per kill, not one for "invoked oom-killer" too
    '22 priv.su_failure null deploy',
    '23 priv.su null deploy',
    '24 priv.su null deploy',
    '25 account.deleted null backup2',
    '26 account.deleted null null',
  ]);
});
