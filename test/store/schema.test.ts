// The store's indexes answer what the issue asks for (time, type, source address, user, phone) without a table scan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../src/store/db.js';
import { tempDir } from './support.js';

const PLANS: [string, string][] = [
  ["SELECT * FROM events WHERE time >= '2026-11-01' AND time < '2026-11-02'", 'SEARCH events USING INDEX events_time (time>? AND time<?)'],
  ["SELECT ip, count(*) FROM events WHERE type = 'auth.failure' GROUP BY ip", 'SEARCH events USING INDEX events_type (type=?)'],
  ["SELECT * FROM events WHERE ip = '203.0.113.9' AND time >= '2026-08-28'", 'SEARCH events USING INDEX events_ip (ip=?)'],
  ["SELECT * FROM events WHERE user = 'root'", 'SEARCH events USING INDEX events_user (user=?)'],
  ["SELECT * FROM events WHERE phone_digits IN ('8613888888888', '13888888888')", 'SEARCH events USING INDEX events_phone (phone_digits=?)'],
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
