// Helpers for store tests: a temporary directory, auth.log lines with distinct numbers, scans through main(), and
// the real scan in a process of its own (for kill -9).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { main } from '../../src/cli.js';
import { APPLICATION_ID, MIGRATIONS } from '../../src/store/schema.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';
import { tempDir as removedOnExit } from '../helpers/tmp.js';

const CLI = new URL('../../src/cli.js', import.meta.url).href;
const RUN = `const m = await import(${JSON.stringify(CLI)}); process.exitCode = await m.main(process.argv.slice(1));`;

/** `audit scan --quiet --db db logs...` in its own process, killed with SIGKILL after `ms` (null: left to finish). */
export function scanProcess(db: string, logs: readonly string[], ms: number | null, env: Record<string, string> = {}): Promise<number | null> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', RUN, 'scan', '--quiet', '--db', db, ...logs], { stdio: 'ignore', env: { ...process.env, TZ: 'UTC', ...env } });
  const timer = ms === null ? null : setTimeout(() => child.kill('SIGKILL'), ms);
  return new Promise((resolve) => child.on('exit', (code) => { if (timer) clearTimeout(timer); resolve(code); }));
}

/** A directory for one test's store and logs, removed when the test file's process exits. */
export function tempDir(): string {
  return removedOnExit('audit-store-');
}

/** Failed-password lines n..m (each one auth.failure event), with the number as the port. */
export function failures(from: number, to: number, day = 23): string {
  let s = '';
  for (let n = from; n <= to; n++) s += `Nov ${day} 10:00:${String(n % 60).padStart(2, '0')} web1 sshd[${(n % 30000) + 1}]: Failed password for root from 203.0.113.9 port ${n} ssh2\n`;
  return s;
}

export async function scan(dir: string, ...args: string[]): Promise<{ code: number; io: MemoryIo }> {
  const io = memoryIo();
  const code = await main(['scan', '--quiet', '--db', join(dir, 'audit.db'), ...args], io);
  return { code, io };
}

/**
 * The events stored in a database file, one "file:line:rule:port" each (what makes an event itself), and how many
 * rows there are: a row stored twice shows as a count larger than the set.
 */
export function storedIds(db: string): { count: number; ids: Set<string> } {
  const rows = selectAll<{ file: string; line: number; rule: string; port: number | null }>(db, 'SELECT file, line, rule, port FROM events');
  return { count: rows.length, ids: new Set(rows.map((r) => `${r.file}:${r.line}:${r.rule}:${r.port}`)) };
}

/** The rows a query gives on a database file, opened read-only for it. */
export function selectAll<T>(db: string, sql: string): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all() as T[];
  } finally {
    d.close();
  }
}

/** Stored events of `dir`/audit.db as "file:line:port" (file relative to dir), sorted. */
export function stored(dir: string): string[] {
  const db = new Database(join(dir, 'audit.db'), { readonly: true });
  try {
    return (db.prepare('SELECT file, line, rule, port FROM events').all() as { file: string; line: number; rule: string; port: number }[])
      .map((r) => `${r.file.slice(dir.length + 1)}:${r.line}:${r.port}`).sort();
  } finally {
    db.close();
  }
}

export function ports(dir: string): number[] {
  return stored(dir).map((s) => Number(s.split(':')[2])).sort((a, b) => a - b);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A store as an older audit made it: schema `version` (its first migrations only), left open for rows of that time. */
export function storeAtVersion(path: string, version: number): Database.Database {
  const db = new Database(path);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  for (let v = 0; v < version; v++) db.exec(MIGRATIONS[v]!);
  db.pragma(`user_version = ${version}`);
  return db;
}
