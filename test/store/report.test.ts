// audit report's sources table from the store: lines read per file to date, with how they were accounted for
// (parsed, unparsed, skipped), added up over incremental runs; and a schema-1 store migrated to the files table.
import assert from 'node:assert/strict';
import { appendFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import { openStore } from '../../src/store/db.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import type { SourceSummary, Summary } from '../../src/types.js';
import { memoryIo } from '../helpers/io.js';
import { ROOT } from '../helpers/paths.js';
import { failures, scan, storeAtVersion, tempDir } from './support.js';

const OTHER = [
  'this is not a log line', // unparsed
  '', // skipped
  'Nov 23 10:00:09 web1 sshd[9]: Accepted publickey for ann from 198.51.100.7 port 22 ssh2',
  'Nov 23 10:00:10 web1 CRON[5]: pam_unix(cron:session): session opened for user root',
].join('\n') + '\n';

const MTIME = new Date('2026-11-26T00:00:00Z');

async function report(dir: string, ...args: string[]): Promise<Summary> {
  const io = memoryIo();
  assert.equal(await main(['report', '--db', join(dir, 'audit.db'), '--json', ...args], io), 0);
  await new Promise((r) => setImmediate(r));
  return JSON.parse(io.stdout()) as Summary;
}

/** A source of the summary without its directory, and without what the store does not keep (bytes). */
function row(dir: string, s: SourceSummary): Omit<SourceSummary, 'bytes' | 'sanitized'> {
  const { bytes: _b, sanitized: _s, ...rest } = s;
  return { ...rest, name: s.name.slice(dir.length + 1) };
}

test('report: lines, parsed, unparsed and skipped per file, added up over runs; files without events too', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, failures(1, 2));
  writeFileSync(join(dir, 'quiet.log'), 'Nov 23 10:00:10 web1 kernel: eth0 link up\n');
  utimesSync(log, MTIME, MTIME); // year-less times fall in 2026 whenever the test runs
  await scan(dir, log, join(dir, 'quiet.log'));
  appendFileSync(log, OTHER);
  utimesSync(log, MTIME, MTIME);
  await scan(dir, log);
  const all = await report(dir);
  assert.deepEqual(all.sources.map((s) => row(dir, s)), [
    { name: 'auth.log', format: 'syslog', lines: 6, parsed: 4, unparsed: 1, skipped: 1, truncated: 0, events: 3 },
    { name: 'quiet.log', format: 'syslog', lines: 1, parsed: 1, unparsed: 0, skipped: 0, truncated: 0, events: 0 },
  ]);
  assert.deepEqual(all.totals, { lines: 7, parsed: 5, unparsed: 1, skipped: 1, truncated: 0, events: 3, bytes: 0 });
  // a window shows the files with events in it (their lines are still those read to date)
  const later = await report(dir, '--since', '2026-11-23T10:00:05Z');
  assert.deepEqual(later.sources.map((s) => row(dir, s)), [
    { name: 'auth.log', format: 'syslog', lines: 6, parsed: 4, unparsed: 1, skipped: 1, truncated: 0, events: 1 },
  ]);
});

test('report: the sources table as text shows the parsed column filled', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'auth.log'), failures(1, 3) + OTHER);
  await scan(dir, join(dir, 'auth.log'));
  const io = memoryIo();
  await main(['report', '--db', join(dir, 'audit.db')], io);
  assert.match(io.stdout(), /│ path +│ format │ lines │ parsed │ unparsed │ skipped │ events │/);
  assert.match(io.stdout(), /│ syslog │ {5}7 │ {6}5 │ {8}1 │ {7}1 │ {6}4 │/);
  assert.match(io.stdout(), /^7 lines read: 5 parsed, 1 unparsed, 1 skipped, 0 truncated$/m);
});

test('a schema-1 store is migrated: files gets the lines of its cursors, events_stored is dropped', () => {
  const dir = tempDir();
  const path = join(dir, 'audit.db');
  const v1 = storeAtVersion(path, 1);
  const cursor = v1.prepare(`INSERT INTO cursors (path, dev, ino, size, offset, lines, fingerprint, fp_len, whole, format, updated)
    VALUES (?, '1', ?, 100, 100, ?, 'f', 10, 0, 'syslog', ?)`);
  cursor.run('/var/log/auth.log', '10', 40, '2026-11-20T00:00:00.000Z');
  cursor.run('/var/log/auth.log', '11', 2, '2026-11-21T00:00:00.000Z'); // the same path, new content after a rotation
  cursor.run('/var/log/syslog', '12', 7, '2026-11-19T00:00:00.000Z');
  v1.close();

  const store = openStore(path, { mode: 'write', cwd: dir });
  try {
    assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.deepEqual(store.db.prepare('SELECT file, lines, parsed, format, updated FROM files ORDER BY file').all(), [
      { file: '/var/log/auth.log', lines: 42, parsed: 0, format: 'syslog', updated: '2026-11-21T00:00:00.000Z' },
      { file: '/var/log/syslog', lines: 7, parsed: 0, format: 'syslog', updated: '2026-11-19T00:00:00.000Z' },
    ]);
    const indexes = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    assert.deepEqual(indexes, ['events_ip', 'events_phone', 'events_time', 'events_type', 'events_user']);
  } finally {
    store.close();
  }
});

test('report counts the stored events as the scan counted them: types, severities, top tables, time span, sanitized', async () => {
  // the store keeps what the summary's counter reads of an event (read.ts countedEvents): the same fold gives the
  // same tables, from logs with addresses, accounts, hosts, escapes and several files
  const dir = tempDir();
  const logs = ['syslog/auth.log', 'syslog/secure', 'attacks/access.log', 'attacks/bastion-auth.log', 'journal'].map((p) => join(ROOT, 'fixtures', 'logs', p));
  // and messages with terminal escapes (the sanitized count reads the message)
  writeFileSync(join(dir, 'hostile.log'), [1, 2, 3].map((n) =>
    `Nov 23 10:00:0${n} web9 sshd[${n}]: Invalid user \x1b[2Jev${n} from 203.0.113.${n} port 2222`).join('\n') + '\n');
  logs.push(join(dir, 'hostile.log'));
  const io = memoryIo();
  assert.equal(await main(['scan', '--json', '--db', join(dir, 'audit.db'), ...logs], io), 0);
  await new Promise((r) => setImmediate(r));
  const lines = io.stdout().trimEnd().split('\n');
  const scanned = JSON.parse(lines[lines.length - 1]!) as Summary & { kind: string };
  const reported = await report(dir);
  assert.ok(scanned.totals.events > 50, `a fair number of events (${scanned.totals.events})`);
  for (const key of ['byType', 'bySeverity', 'topSources', 'topUsers', 'topHosts', 'firstTime', 'lastTime', 'approximate'] as const) {
    assert.deepEqual(reported[key], scanned[key], key);
  }
  assert.deepEqual(reported.alerts.length, scanned.alerts.length);
  const bySource = (s: Summary): Record<string, [number, number | undefined]> => Object.fromEntries(s.sources.map((x) => [x.name, [x.events, x.sanitized]]));
  assert.deepEqual(bySource(reported), bySource(scanned));
  assert.equal(scanned.sources.find((x) => x.name.endsWith('hostile.log'))!.sanitized, 3);
});
