// The event store through the CLI: kill -9 at random moments never loses or repeats an event, query is read-only,
// and a foreign or corrupt --db is one line, exit 2, and left unchanged.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { main } from '../../src/cli.js';
import { MAX_TABLE_ROWS } from '../../src/commands/query.js';
import { memoryIo } from '../helpers/io.js';
import { failures, scan, scanProcess, storedIds, tempDir } from '../store/support.js';

const LINES = 40_000;

/** A commit every 500 lines or events (80 per run): the kills fall between commits, not all before the first one. */
const SMALL_BATCHES = { AUDIT_DB_BATCH: '500' };

test('kill -9 at random moments, then a clean run: exactly the events of one clean run', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, failures(1, LINES));
  const clean = join(dir, 'clean.db');
  const t0 = Date.now();
  assert.equal(await scanProcess(clean, [log], null, SMALL_BATCHES), 0);
  const cleanMs = Date.now() - t0; // only to spread the kills over a run's length on this machine, however loaded
  const expected = storedIds(clean);
  assert.equal(expected.count, LINES);

  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const started = Date.now();
  let kills = 0;
  let between = 0; // kills after some events were stored and before all were
  let round = 0;
  let killed = join(dir, 'killed-0.db');
  for (let i = 0; i < 30 && Date.now() - started < 15_000; i++) {
    const code = await scanProcess(killed, [log], 100 + Math.floor(random() * 0.7 * cleanMs), SMALL_BATCHES);
    if (code === 0) { // it finished before the kill: check this store, go on with a new one
      assert.deepEqual(storedIds(killed).ids, expected.ids);
      killed = join(dir, `killed-${++round}.db`);
      continue;
    }
    assert.equal(code, null, 'a run is either killed or ends well');
    kills++;
    if (existsSync(killed)) {
      const n = storedIds(killed).count;
      if (n > 0 && n < LINES) between++;
    }
  }
  assert.ok(kills >= 3, `only ${kills} runs were killed`);
  assert.ok(between >= 1, 'no kill fell between two commits');
  assert.equal(await scanProcess(killed, [log], null, SMALL_BATCHES), 0);
  const got = storedIds(killed);
  assert.equal(got.count, expected.count);
  assert.deepEqual(got.ids, expected.ids);
  assert.equal(got.ids.size, LINES); // no line stored twice
});

test('query runs read-only: a SELECT prints a table, a statement that writes is refused and changes nothing', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'auth.log'), failures(1, 3));
  await scan(dir, join(dir, 'auth.log'));
  const db = join(dir, 'audit.db');
  const ok = memoryIo();
  assert.equal(await main(['query', '--db', db, "SELECT ip, count(*) AS n FROM events WHERE type='auth.failure' GROUP BY ip"], ok), 0);
  assert.equal(ok.stdout(), [
    '1 row',
    '┌─────────────┬───┐',
    '│ ip          │ n │',
    '├─────────────┼───┤',
    '│ 203.0.113.9 │ 3 │',
    '└─────────────┴───┘',
    '',
  ].join('\n'));
  for (const sql of ['DELETE FROM events', "UPDATE events SET ip = 'x'", 'DROP TABLE events', 'PRAGMA user_version = 9']) {
    const bad = memoryIo();
    assert.equal(await main(['query', '--db', db, sql], bad), 2, sql);
    assert.match(bad.stderr(), /^audit: query: only statements that read are allowed/, sql);
  }
  const json = memoryIo();
  await main(['query', '--db', db, '--json', 'SELECT count(*) AS n FROM events'], json);
  await new Promise((r) => setImmediate(r));
  assert.equal(json.stdout(), '{"n":3}\n');
});

test('query: a table shows its first MAX_TABLE_ROWS rows and says more came; --json streams every row', async () => {
  const dir = tempDir();
  const n = MAX_TABLE_ROWS + 200;
  writeFileSync(join(dir, 'auth.log'), failures(1, n));
  await scan(dir, join(dir, 'auth.log'));
  const db = join(dir, 'audit.db');
  const table = memoryIo();
  assert.equal(await main(['query', '--db', db, 'SELECT line FROM events ORDER BY line'], table), 0);
  const lines = table.stdout().split('\n');
  assert.equal(lines[0], `the first ${MAX_TABLE_ROWS} rows`);
  assert.ok(lines.includes(`│ ${String(MAX_TABLE_ROWS).padEnd(4)} │`) && !lines.some((l) => l.includes(`│ ${MAX_TABLE_ROWS + 1} `)), 'rows 1 to MAX, not one more');
  assert.equal(lines[lines.length - 2], 'more rows not shown: add a LIMIT, or --json writes every row');
  const exact = memoryIo();
  await main(['query', '--db', db, `SELECT line FROM events LIMIT ${MAX_TABLE_ROWS}`], exact);
  assert.equal(exact.stdout().split('\n')[0], `${MAX_TABLE_ROWS} rows`);
  assert.doesNotMatch(exact.stdout(), /more rows not shown/);
  const json = memoryIo();
  assert.equal(await main(['query', '--db', db, '--json', 'SELECT line FROM events ORDER BY line'], json), 0);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(json.stdout().trimEnd().split('\n').map((l) => (JSON.parse(l) as { line: number }).line), Array.from({ length: n }, (_, i) => i + 1));
  // an error met while the rows are read is the query's error: one line, exit 2
  const bad = memoryIo();
  assert.equal(await main(['query', '--db', db, 'SELECT abs(-9223372036854775808) FROM events'], bad), 2);
  assert.match(bad.stderr(), /^audit: query: integer overflow/);
  assert.equal(bad.stderr().split('\n').filter((l) => l.startsWith('audit:')).length, 1);
});

test('a foreign or corrupt --db is one line, exit 2, and the file is left byte for byte', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'auth.log'), failures(1, 1));
  const cases: [string, Buffer, RegExp][] = [
    ['notes.txt', Buffer.from('my notes\n'.repeat(20)), /is not an audit event store \(not a SQLite database\); left unchanged/],
    ['other.db', foreignSqlite(join(dir, 'other.db')), /SQLite database of another program/],
  ];
  const ours = join(dir, 'corrupt.db');
  await scan(dir, '--db', ours, join(dir, 'auth.log'));
  const bytes = readFileSync(ours);
  bytes.fill(0x55, 4096, bytes.length); // pages past the header destroyed
  cases.push(['corrupt.db', bytes, /corrupt\.db is corrupt or not an audit event store/]);
  for (const [name, content, message] of cases) {
    const path = join(dir, name);
    writeFileSync(path, content);
    const io = memoryIo();
    assert.equal(await main(['scan', '--quiet', '--db', path, join(dir, 'auth.log')], io), 2, name);
    assert.match(io.stderr().split('\n')[0]!, message, name);
    assert.equal(io.stderr().split('\n').filter((l) => l.startsWith('audit:')).length, 1, name);
    assert.deepEqual(readFileSync(path), content, name);
  }
});

test('report prints the summary tables from the store, with --since', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'auth.log'), failures(1, 4));
  await scan(dir, join(dir, 'auth.log'));
  const io = memoryIo();
  assert.equal(await main(['report', '--db', join(dir, 'audit.db'), '--since', '30d'], io), 0);
  assert.match(io.stdout(), /│ auth\.failure │ medium {3}│ {5}4 │/);
  const later = memoryIo();
  await main(['report', '--db', join(dir, 'audit.db'), '--since', '2026-11-24'], later);
  assert.doesNotMatch(later.stdout(), /auth\.failure/);
});

test('prune deletes what is older than the limit', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'auth.log'), failures(1, 2, 1).replace(/Nov 1 /g, 'Aug  1 ') + failures(3, 3, 25));
  const notFound = (day: string, n: number): string => `198.51.100.7 - - [${day}/2026:10:00:0${n} +0000] "GET /p${n} HTTP/1.1" 404 9 "-" "x"\n`;
  writeFileSync(join(dir, 'access.log'), notFound('01/Aug', 1) + notFound('01/Aug', 2) + notFound('25/Nov', 3));
  await scan(dir, join(dir, 'auth.log'), join(dir, 'access.log'));
  const io = memoryIo();
  assert.equal(await main(['prune', '--db', join(dir, 'audit.db'), '--older-than', '90d'], io), 0);
  assert.match(io.stdout(), /^deleted 2 events, 0 alerts, 2 requests answered 404 and 0 old file cursors/);
  const db = new Database(join(dir, 'audit.db'), { readonly: true });
  try {
    assert.deepEqual(db.prepare('SELECT time, line FROM not_found').all(), [{ time: '2026-11-25T10:00:03.000Z', line: 3 }]);
  } finally {
    db.close();
  }
});

test('a second writer waits, then fails with one clear line when the database stays locked', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'auth.log'), failures(1, 2));
  await scan(dir, join(dir, 'auth.log'));
  const holder = new Database(join(dir, 'audit.db'));
  holder.prepare('BEGIN IMMEDIATE').run();
  try {
    writeFileSync(join(dir, 'b.log'), failures(3, 3));
    const io = memoryIo({ env: { AUDIT_DB_BUSY_MS: '200' } });
    const code = await main(['scan', '--quiet', '--db', join(dir, 'audit.db'), join(dir, 'b.log')], io);
    assert.equal(code, 2);
    assert.match(io.stderr(), /^audit: the event store .*audit\.db is busy: another audit is writing to it$/m);
  } finally {
    holder.prepare('ROLLBACK').run();
    holder.close();
  }
});

function foreignSqlite(path: string): Buffer {
  const db = new Database(path);
  db.exec('CREATE TABLE t (x)');
  db.close();
  return readFileSync(path);
}
