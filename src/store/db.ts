// Opens the event store (a SQLite file through better-sqlite3): refuses a foreign or corrupt file without writing to
// it, creates and migrates a new one, and sets WAL, a busy timeout and foreign keys. Every failure is an InputError.
import { closeSync, linkSync, openSync, readSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';

// The native addon is loaded at the first open, so that commands without --db do not pay for it.
const requireLazily = createRequire(import.meta.url);
let DatabaseClass: typeof Database | null = null;
function sqlite(): typeof Database {
  return (DatabaseClass ??= requireLazily('better-sqlite3') as typeof Database);
}
import { InputError } from '../errors.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

export interface Store {
  db: Db;
  /** Absolute path of the database file. */
  path: string;
  /** The path as the user wrote it, for messages. */
  name: string;
  close(): void;
}

export interface OpenOptions {
  /** read: the file must exist and is opened read-only; write: created when missing, migrated when old. */
  mode: 'read' | 'write';
  cwd: string;
  /** How long a writer waits for another one before giving up (ms). */
  busyMs?: number;
}

export const BUSY_MS = 10_000;
/** Page size of a new store (bytes). */
export const PAGE_SIZE = 8192;
const MAGIC = 'SQLite format 3\0';

/** Opens `name` as an audit store, or throws an InputError with a one-line message and a hint. */
export function openStore(name: string, opts: OpenOptions): Store {
  const path = resolve(opts.cwd, name);
  const state = checkHeader(path, name, opts.mode);
  if (state === 'existing') probe(path, name, opts.mode);
  if (state === 'new-file') createAtomically(path, name);
  let db: Db;
  try {
    db = new (sqlite())(path, { readonly: opts.mode === 'read', fileMustExist: opts.mode === 'read', timeout: opts.busyMs ?? BUSY_MS });
    if (opts.mode === 'write') prepareForWriting(db);
    else db.pragma('query_only = ON');
  } catch (err) {
    throw storeError(err, name);
  }
  return { db, path, name, close: () => { if (db.open) db.close(); } };
}

/** Reads the 100-byte header with plain fs: nothing is opened for writing before the file is known to be ours. */
function checkHeader(path: string, name: string, mode: OpenOptions['mode']): 'new-file' | 'empty' | 'existing' {
  const header = Buffer.alloc(100);
  let n: number;
  try {
    const fd = openSync(path, 'r');
    try {
      n = readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && mode === 'write') return 'new-file';
    if (code === 'ENOENT') throw new InputError(`no event store at ${name}`, { hint: `create one with: audit scan --db ${name} <logs>` });
    if (code === 'EISDIR') throw new InputError(`--db ${name} is a directory, not an event store`);
    throw new InputError(`cannot read the event store ${name}: ${(err as Error).message}`, { cause: err });
  }
  if (n === 0) {
    if (mode === 'write') return 'empty'; // an empty file (e.g. made by mktemp) becomes a store, in place
    throw new InputError(`${name} is empty, not an event store`, { hint: `create one with: audit scan --db ${name} <logs>` });
  }
  if (n < 100 || header.toString('latin1', 0, 16) !== MAGIC) {
    throw new InputError(`${name} is not an audit event store (not a SQLite database); left unchanged`, { hint: 'give --db a new file name or one made by audit scan --db' });
  }
  if (header.readUInt32BE(68) !== APPLICATION_ID) {
    throw new InputError(`${name} is a SQLite database of another program, not an audit event store; left unchanged`, { hint: 'give --db a new file name or one made by audit scan --db' });
  }
  return 'existing';
}

/** A read-only look inside: a damaged file fails here, before anything could write to it. */
function probe(path: string, name: string, mode: OpenOptions['mode']): void {
  let version: number;
  try {
    const ro = new (sqlite())(path, { readonly: true, fileMustExist: true });
    try {
      version = ro.pragma('user_version', { simple: true }) as number;
      ro.prepare('SELECT count(*) FROM sqlite_master').get();
    } finally {
      ro.close();
    }
  } catch (err) {
    throw storeError(err, name);
  }
  if (version > SCHEMA_VERSION) {
    throw new InputError(`${name} was made by a newer audit (schema ${version}; this one knows ${SCHEMA_VERSION}); left unchanged`, { hint: 'upgrade audit' });
  }
  if (mode === 'read' && version < SCHEMA_VERSION) {
    throw new InputError(`${name} has an older schema (${version}; now ${SCHEMA_VERSION})`, { hint: `run audit scan --db ${name} once to migrate it` });
  }
}

/**
 * A new store is made whole in a file of its own and then linked to its name, so that a run killed while creating
 * it never leaves a half-made store behind (checkHeader would refuse it on every later run). link(), not rename():
 * when another first run got there first, its store is kept and used. A killed run leaves only its temporary file.
 */
function createAtomically(path: string, name: string): void {
  const temp = `${path}.new-${process.pid}`;
  try {
    rmSync(temp, { force: true }); // a file of a killed run that had this pid
    const db = new (sqlite())(temp);
    try {
      // in WAL mode already: the store's name never sees a rollback journal (a run killed while switching to WAL
      // would leave a hot journal that the read-only probe of the next run cannot roll back). Closing the last
      // connection checkpoints the WAL into the file and removes it.
      prepareForWriting(db);
    } finally {
      db.close();
    }
    try {
      linkSync(temp, path);
    } catch (err) {
      // EEXIST: another first run made it. Anything else (a filesystem without hard links): it is made in place.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return;
    }
  } catch (err) {
    throw err instanceof InputError ? err : storeError(err, name);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Migrations run in one IMMEDIATE transaction each, so that two first runs cannot both create the tables. */
function prepareForWriting(db: Db): void {
  const migrate = db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (from < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  // A new store gets pages of 8 KiB (SQLite's default is 4 KiB): a scan's transactions touch fewer pages of the five
  // event indexes, and less time goes into writing them (BENCHMARKS.md, twenty-first round). SQLite applies it to an
  // empty file only: a store made with other pages keeps them.
  db.pragma(`page_size = ${PAGE_SIZE}`);
  // The header (application_id) is written while still in rollback-journal mode, so that it reaches the main file at
  // once and checkHeader() sees it on the next run; WAL afterwards: readers do not block the writer.
  migrate.immediate();
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // with WAL: a commit survives kill -9; only a power cut may lose the last ones
  db.pragma('foreign_keys = ON');
}

/** SQLite's errors in words a user can act on. */
export function storeError(err: unknown, name: string): InputError {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new InputError(`the event store ${name} is busy: another audit is writing to it`, { code: 'EBUSY', hint: 'try again when the other run ends (cron: give runs time to finish)', cause: err });
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new InputError(`${name} is corrupt or not an audit event store (${message}); left unchanged`, { hint: 'restore it from a backup, or give --db a new file name', cause: err });
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new InputError(`cannot open the event store ${name}: ${message}`, { hint: 'check the permissions of the file and of its directory (SQLite writes -wal and -shm files beside it)', cause: err });
  }
  return new InputError(`event store ${name}: ${message}`, { cause: err });
}
