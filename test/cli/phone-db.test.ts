// `audit phone N --db`: answered from the store's phone index after `audit scan --db`, reading no logs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import { memoryIo } from '../helpers/io.js';

test('phone --db gives the verdict of the number-farm scenario from the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-phone-db-'));
  try {
    const db = join(dir, 'audit.db');
    assert.equal(await main(['scan', '--quiet', '--db', db, 'fixtures/logs/phone-abuse'], memoryIo()), 0);
    const io = memoryIo();
    assert.equal(await main(['phone', '+86 138 8888 8888', '--db', db, '--json'], io), 0);
    assert.equal(io.stderr(), '');
    const lines = io.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const verdict = lines.at(-1)!;
    assert.equal(verdict['kind'], 'verdict');
    assert.equal(verdict['risk'], 'high');
    assert.equal(verdict['signups'], 4);
    assert.equal(verdict['smsCodes'], 12);
    assert.deepEqual(verdict['accounts'], ['u70412', 'u70413', 'u70415', 'u70418']);
    assert.deepEqual(verdict['otherNumbers'], ['+8613888880001', '+8613888880002', '+8613888880003']);
    assert.ok(lines.slice(0, -1).every((o) => o['kind'] === 'occurrence' && o['phone'] === '+8613888888888'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('phone --db with log paths is a usage error', async () => {
  const io = memoryIo();
  assert.equal(await main(['phone', '13888888888', '--db', 'x.db', 'fixtures/logs/phone-abuse'], io), 2);
  assert.equal(io.stderr(), 'audit: --db answers from the store: name no logs with it\n');
});
