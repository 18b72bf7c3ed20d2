// Incremental scans with --db: only new lines are read, and rotation by rename, copytruncate, a replaced file and
// compressed copies neither lose nor repeat an event.
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, truncateSync, unlinkSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { failures, ports, range, scan, stored, tempDir } from './support.js';

test('a second run reads only the lines appended since the first, numbered as in the file', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, failures(1, 3));
  assert.equal((await scan(dir, log)).code, 0);
  appendFileSync(log, failures(4, 5));
  assert.equal((await scan(dir, log)).code, 0);
  assert.deepEqual(stored(dir), ['auth.log:1:1', 'auth.log:2:2', 'auth.log:3:3', 'auth.log:4:4', 'auth.log:5:5']);
  const third = await scan(dir, log);
  assert.match(third.io.stdout(), /^0 lines read/m); // nothing new: the file is not even opened
  assert.equal(stored(dir).length, 5);
});

test('rotation by rename with only the live path named: the rest of the old file is read from auth.log.1', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, failures(1, 3));
  await scan(dir, log);
  appendFileSync(log, failures(4, 5)); // written after the run, before the rotation
  renameSync(log, join(dir, 'auth.log.1'));
  writeFileSync(log, failures(6, 7));
  await scan(dir, log);
  assert.deepEqual(ports(dir), range(1, 7));
  assert.deepEqual(stored(dir).filter((s) => s.startsWith('auth.log.1:')), ['auth.log.1:4:4', 'auth.log.1:5:5']);
  await scan(dir, dir); // the whole directory now: nothing is read twice
  assert.deepEqual(ports(dir), range(1, 7));
});

test('copytruncate: the copy gives the lines written before the truncation, the live file starts again', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, failures(1, 3));
  await scan(dir, log);
  appendFileSync(log, failures(4, 4));
  copyFileSync(log, join(dir, 'auth.log.1'));
  truncateSync(log, 0);
  appendFileSync(log, failures(5, 6, 24));
  await scan(dir, log);
  assert.deepEqual(ports(dir), range(1, 6));
  await scan(dir, dir);
  assert.deepEqual(ports(dir), range(1, 6));
});

test('a replaced file (new inode, new content) is read from its start', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, failures(1, 3));
  await scan(dir, log);
  unlinkSync(log);
  writeFileSync(log, failures(10, 11, 25));
  await scan(dir, log);
  assert.deepEqual(ports(dir), [1, 2, 3, 10, 11]);
});

test('a .gz of a file already read is not read again; lines it has beyond the offset are', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log.1');
  writeFileSync(log, failures(1, 3));
  await scan(dir, dir);
  appendFileSync(log, failures(4, 4));
  writeFileSync(join(dir, 'auth.log.2.gz'), gzipSync(readFileSync(log)));
  unlinkSync(log);
  await scan(dir, dir);
  await scan(dir, dir);
  assert.deepEqual(ports(dir), range(1, 4));
});

test('--store-lines keeps the raw line; without it the raw column stays empty', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.log'), failures(1, 1));
  await scan(dir, '--store-lines', join(dir, 'a.log'));
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dir, 'audit.db'), { readonly: true });
  const raw = (db.prepare('SELECT raw FROM events').get() as { raw: string }).raw;
  db.close();
  assert.equal(raw, 'Nov 23 10:00:01 web1 sshd[2]: Failed password for root from 203.0.113.9 port 1 ssh2');
});

test('after a rotation, naming auth.log.1 as well does not read its new lines twice (it is already the continuation)', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, failures(1, 3));
  await scan(dir, log);
  appendFileSync(log, failures(4, 5));
  renameSync(log, join(dir, 'auth.log.1'));
  writeFileSync(log, failures(6, 7));
  assert.equal((await scan(dir, log, join(dir, 'auth.log.1'))).code, 0);
  assert.deepEqual(ports(dir), range(1, 7));
});

test('the store in a scanned directory is not read as a log (database, -wal, -shm)', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'auth.log'), failures(1, 2));
  const first = await scan(dir, dir);
  assert.equal(first.code, 0);
  const second = await scan(dir, '--json', dir);
  assert.equal(second.code, 0);
  assert.equal(second.io.stderr(), '');
  const summary = JSON.parse(second.io.stdout().trimEnd().split('\n').at(-1)!) as { sources: { name: string }[]; problems: unknown[] };
  assert.deepEqual(summary.sources.map((s) => s.name.slice(dir.length)), []); // nothing new: auth.log was read
  assert.deepEqual(summary.problems, []); // audit.db is not even opened as a binary file
  assert.deepEqual(ports(dir), [1, 2]);
});
