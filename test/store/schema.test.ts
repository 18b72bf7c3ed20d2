// The store's indexes answer what the issue asks for (time, type, source address, user, phone) without a table scan,
// and the warm start's reads of the 404s web_scan counted; a schema-2 store is migrated to keep those.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { openStore } from '../../src/store/db.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { storeAtVersion, tempDir } from './support.js';

const PLANS: [string, string][] = [
  ["SELECT * FROM events WHERE time >= '2026-11-01' AND time < '2026-11-02'", 'SEARCH events USING INDEX events_time (time>? AND time<?)'],
  ["SELECT ip, count(*) FROM events WHERE type = 'auth.failure' GROUP BY ip", 'SEARCH events USING INDEX events_type (type=?)'],
  ["SELECT * FROM events WHERE ip = '203.0.113.9' AND time >= '2026-08-28'", 'SEARCH events USING INDEX events_ip (ip=?)'],
  ["SELECT * FROM events WHERE user = 'root'", 'SEARCH events USING INDEX events_user (user=?)'],
  ["SELECT * FROM events WHERE phone_digits IN ('8613888888888', '13888888888')", 'SEARCH events USING INDEX events_phone (phone_digits=?)'],
  ["SELECT * FROM not_found WHERE time >= '2026-11-01' AND time <= '2026-11-02' ORDER BY time, id", 'SEARCH not_found USING INDEX not_found_time (time>? AND time<?)'],
  ["DELETE FROM not_found WHERE time < '2026-08-28'", 'SEARCH not_found USING INDEX not_found_time (time<?)'],
];

test('lookups by time, type, address, user and phone use their index (the last three leave out empty values)', () => {
  const store = openStore('audit.db', { mode: 'write', cwd: tempDir() });
  try {
    for (const [sql, plan] of PLANS) {
      const detail = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])[0]!.detail;
      assert.equal(detail, plan, sql);
    }
  } finally {
    store.close();
  }
});

test('a schema-2 store is migrated: its events stay, and the 404s web_scan counts get their table', () => {
  const dir = tempDir();
  const path = join(dir, 'audit.db');
  const v2 = storeAtVersion(path, 2);
  v2.prepare(`INSERT INTO events (type, severity, outcome, time, rule, message, file, line, stored)
    VALUES ('auth.failure', 'medium', 'failure', '2026-11-23T10:00:00.000Z', 'sshd.failed', 'Failed password', '/var/log/auth.log', 1, '2026-11-23T10:05:00.000Z')`).run();
  v2.close();

  const store = openStore(path, { mode: 'write', cwd: dir });
  try {
    assert.equal(SCHEMA_VERSION, 3);
    assert.equal(store.db.pragma('user_version', { simple: true }), 3);
    assert.deepEqual(store.db.prepare('SELECT count(*) AS n FROM events').get(), { n: 1 });
    assert.deepEqual(store.db.prepare('SELECT count(*) AS n FROM not_found').get(), { n: 0 });
    const columns = (store.db.prepare('PRAGMA table_info(not_found)').all() as { name: string }[]).map((c) => c.name);
    assert.deepEqual(columns, ['id', 'time', 'ip', 'file', 'line', 'message', 'stored']);
  } finally {
    store.close();
  }
});
