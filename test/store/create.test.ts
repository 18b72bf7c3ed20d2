// A new store appears whole or not at all: it is made in a temporary file and linked to its name, so that a run
// killed while creating it leaves nothing that a later run would refuse.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openStore, PAGE_SIZE } from '../../src/store/db.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../src/store/schema.js';
import { failures, scanProcess, storeAtVersion, tempDir } from './support.js';

test('a new store is complete under its name, and no temporary file is left', () => {
  const dir = tempDir();
  // what a killed run with this pid would have left
  writeFileSync(join(dir, `audit.db.new-${process.pid}`), 'half a database');
  const store = openStore('audit.db', { mode: 'write', cwd: dir });
  store.close();
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.new-')), []);
  const db = new Database(join(dir, 'audit.db'), { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.pragma('application_id', { simple: true }), APPLICATION_ID);
    assert.equal(db.pragma('page_size', { simple: true }), PAGE_SIZE);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    db.close();
  }
});

test('an empty file given as --db (mktemp) still becomes a store', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'empty.db'), '');
  openStore('empty.db', { mode: 'write', cwd: dir }).close();
  const db = new Database(join(dir, 'empty.db'), { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.pragma('page_size', { simple: true }), PAGE_SIZE);
  } finally {
    db.close();
  }
});

// Creating takes milliseconds, so most kills land before or after it: this loop guards the behaviour; the proof is
// that the store's name only ever points at a complete file. The log is long enough that a run lasts well past the
// latest kill (12,000 lines: ~1.2 s on the 2-core bench machine; with 2,000 a faster start-up let runs finish first).
test('first runs killed at random moments never leave a store that the next run refuses', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, failures(1, 12_000));
  let seed = 11;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let killed = 0;
  for (let i = 0; i < 12; i++) {
    const db = join(dir, `run-${i}.db`);
    if ((await scanProcess(db, [log], 150 + Math.floor(random() * 450))) === null) killed++;
    assert.equal(await scanProcess(db, [log], null), 0, `run ${i}: the store left by the killed run is usable`);
  }
  assert.ok(killed >= 6, `only ${killed} first runs were killed`);
});

test('a store made with pages of another size keeps them when it is migrated', () => {
  const dir = tempDir();
  const old = storeAtVersion(join(dir, 'old.db'), 1); // SQLite's default pages, 4 KiB, as stores were made before
  old.close();
  openStore('old.db', { mode: 'write', cwd: dir }).close();
  const db = new Database(join(dir, 'old.db'), { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.pragma('page_size', { simple: true }), 4096);
  } finally {
    db.close();
  }
});
