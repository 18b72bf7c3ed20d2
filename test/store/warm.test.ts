// Cron-like runs of `audit scan --db`: lines are appended to a log between runs, and the detectors of each run go on
// from what the store holds: an attack across the run boundary raises its alert once, an alert raised by an earlier
// run is not raised again within its cooldown, and failures too far apart stay apart.
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { scan, tempDir } from './support.js';

/** A failed ssh password for root from 203.0.113.9 at Nov 23 `hms`; the port tells the lines apart. */
function failed(hms: string, port: number): string {
  return `Nov 23 ${hms} web1 sshd[${port}]: Failed password for root from 203.0.113.9 port ${port} ssh2\n`;
}

/** Failures one a second from 10:mm:00, ports from `port` on. */
function burst(mm: number, n: number, port: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += failed(`10:${String(mm).padStart(2, '0')}:${String(i).padStart(2, '0')}`, port + i);
  return s;
}

interface StoredAlert { detector: string; key: string; count: number; first: string; last: string; evidence: string }

function storedAlerts(dir: string): StoredAlert[] {
  const db = new Database(join(dir, 'audit.db'), { readonly: true });
  try {
    return db.prepare('SELECT detector, key, count, first, last, evidence FROM alerts ORDER BY id').all() as StoredAlert[];
  } finally {
    db.close();
  }
}

/** The alert lines of a --json run, as "id key count first..last". */
function alertLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('{"kind":"alert"')).map((l) => {
    const a = JSON.parse(l) as { id: string; key: string; count: number; first: string; last: string };
    return `${a.id} ${a.key} ${a.count} ${a.first}..${a.last}`;
  });
}

test('5 failures before the run boundary and 5 after: one brute force alert, raised by the second run and stored once', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, burst(0, 5, 1)); // 10:00:00-10:00:04
  const first = await scan(dir, '--json', log);
  assert.deepEqual(alertLines(first.io.stdout()), []);
  assert.deepEqual(storedAlerts(dir), []);

  appendFileSync(log, burst(1, 5, 6)); // 10:01:00-10:01:04
  const second = await scan(dir, '--json', '--verbose', log);
  assert.equal(second.code, 0);
  assert.deepEqual(alertLines(second.io.stdout()), ['brute_force 203.0.113.9 10 2026-11-23T10:00:00.000Z..2026-11-23T10:01:04.000Z']);
  assert.match(second.io.stderr(), /^audit: detectors warmed up from the store: 5 events replayed, 0 recent alerts \(latest stored time 2026-11-23T10:00:04\.000Z\)$/m);
  const alerts = storedAlerts(dir);
  assert.equal(alerts.length, 1);
  assert.deepEqual([alerts[0]!.detector, alerts[0]!.key, alerts[0]!.count], ['brute_force', '203.0.113.9', 10]);
  // the evidence is the first run's lines, named as this run reads the file
  const evidence = JSON.parse(alerts[0]!.evidence) as { file: string; line: number }[];
  assert.deepEqual(evidence.map((e) => `${e.file.slice(dir.length + 1)}:${e.line}`), ['auth.log:1', 'auth.log:2', 'auth.log:3', 'auth.log:4', 'auth.log:5']);

  const third = await scan(dir, '--json', log); // nothing new: nothing raised again
  assert.deepEqual(alertLines(third.io.stdout()), []);
  assert.equal(storedAlerts(dir).length, 1);
});

test('an attack alerted in the first run goes on in the second: no second alert within the cooldown, a new one after it', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, burst(0, 10, 1)); // 10:00:00-10:00:09: alerted at 10:00:09
  assert.deepEqual(alertLines((await scan(dir, '--json', log)).io.stdout()), ['brute_force 203.0.113.9 10 2026-11-23T10:00:00.000Z..2026-11-23T10:00:09.000Z']);

  appendFileSync(log, burst(20, 15, 11)); // 10:20: 15 more, enough for an alert of their own, but within the hour
  const second = await scan(dir, '--json', '--verbose', log);
  assert.deepEqual(alertLines(second.io.stdout()), []);
  assert.match(second.io.stderr(), /: 10 events replayed, 1 recent alert \(latest stored time 2026-11-23T10:00:09\.000Z\)$/m);
  assert.equal(storedAlerts(dir).length, 1);

  // 11:05 and later: the hour is over (counted from 10:00:09), the key may alert again
  appendFileSync(log, Array.from({ length: 10 }, (_, i) => failed(`11:05:${String(i).padStart(2, '0')}`, 100 + i)).join(''));
  assert.deepEqual(alertLines((await scan(dir, '--json', log)).io.stdout()), ['brute_force 203.0.113.9 10 2026-11-23T11:05:00.000Z..2026-11-23T11:05:09.000Z']);
  assert.deepEqual(storedAlerts(dir).map((a) => a.last), ['2026-11-23T10:00:09.000Z', '2026-11-23T11:05:09.000Z']);
});

test('the negative case: 5 failures, then 5 more half an hour later, in two runs: no alert', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, burst(0, 5, 1));
  await scan(dir, log);
  appendFileSync(log, burst(30, 5, 6)); // 10:30: the first five are 30 minutes old, the window is 10
  const second = await scan(dir, '--json', log);
  assert.deepEqual(alertLines(second.io.stdout()), []);
  assert.deepEqual(storedAlerts(dir), []);
});

test('an event stamped far in the future (a forged line) does not move where the history ends', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, burst(0, 5, 1));
  await scan(dir, log);
  const db = new Database(join(dir, 'audit.db'));
  db.prepare(`INSERT INTO events (type, severity, outcome, time, rule, message, file, line, stored)
    VALUES ('app.error', 'low', 'unknown', '2099-01-01T00:00:00.000Z', 'app.error', 'forged', 'app.log', 1, '2026-11-26T12:00:00.000Z')`).run();
  db.close();
  appendFileSync(log, burst(1, 5, 6));
  const second = await scan(dir, '--json', '--verbose', log);
  assert.deepEqual(alertLines(second.io.stdout()), ['brute_force 203.0.113.9 10 2026-11-23T10:00:00.000Z..2026-11-23T10:01:04.000Z']);
  assert.match(second.io.stderr(), /5 events replayed, 0 recent alerts \(latest stored time 2026-11-23T10:00:04\.000Z\)$/m);
});

test('a login after failures in one run, sudo by that account in the next: privilege escalation', async () => {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, burst(0, 5, 1) + 'Nov 23 10:02:00 web1 sshd[300]: Accepted password for deploy from 203.0.113.9 port 300 ssh2\n');
  assert.deepEqual(alertLines((await scan(dir, '--json', log)).io.stdout()), ['success_after_failures 203.0.113.9 6 2026-11-23T10:00:00.000Z..2026-11-23T10:02:00.000Z']);
  appendFileSync(log, 'Nov 23 10:40:00 web1 sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/bin/bash\n');
  assert.deepEqual(alertLines((await scan(dir, '--json', log)).io.stdout()), ['privilege_escalation deploy 2 2026-11-23T10:02:00.000Z..2026-11-23T10:40:00.000Z']);
  assert.deepEqual(storedAlerts(dir).map((a) => a.detector), ['success_after_failures', 'privilege_escalation']);
});

/** `n` requests from 198.51.100.7 answered 404, one a second from 10:mm:00, paths from `from` on. */
function probes(mm: number, n: number, from: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    s += `198.51.100.7 - - [23/Nov/2026:10:${String(mm).padStart(2, '0')}:${String(i).padStart(2, '0')} +0000] "GET /probe${from + i} HTTP/1.1" 404 153 "-" "scanner"\n`;
  }
  return s;
}

test('a web scan across the run boundary: 404s of the first run count with those of the second, evidence and all', async () => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  writeFileSync(log, probes(0, 20, 1)); // 10:00:00-10:00:19: 20 of the 30 web_scan needs within 5 minutes
  assert.deepEqual(alertLines((await scan(dir, '--json', log)).io.stdout()), []);

  appendFileSync(log, probes(1, 10, 21)); // 10:01:00-10:01:09
  const second = await scan(dir, '--json', '--verbose', log);
  assert.deepEqual(alertLines(second.io.stdout()), ['web_scan 198.51.100.7 30 2026-11-23T10:00:00.000Z..2026-11-23T10:01:09.000Z']);
  assert.match(second.io.stderr(), /: 0 events and 20 requests answered 404 replayed, 0 recent alerts \(latest stored time 2026-11-23T10:00:19\.000Z\)$/m);
  const alerts = storedAlerts(dir);
  assert.deepEqual(alerts.map((a) => `${a.detector} ${a.key} ${a.count}`), ['web_scan 198.51.100.7 30']);
  const evidence = JSON.parse(alerts[0]!.evidence) as { file: string; line: number; message: string }[];
  assert.deepEqual(evidence.map((e) => `${e.file.slice(dir.length + 1)}:${e.line} ${e.message}`).slice(0, 2), ['access.log:1 GET /probe1 HTTP/1.1 404', 'access.log:2 GET /probe2 HTTP/1.1 404']);

  appendFileSync(log, probes(20, 40, 31)); // 10:20: enough for an alert of its own, but within the hour's cooldown
  assert.deepEqual(alertLines((await scan(dir, '--json', log)).io.stdout()), []);
  assert.equal(storedAlerts(dir).length, 1);
});

test('404s too far apart stay apart across runs: 20, then 20 more ten minutes later, no web scan', async () => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  writeFileSync(log, probes(0, 20, 1));
  await scan(dir, log);
  appendFileSync(log, probes(10, 20, 21)); // the window is 5 minutes
  const second = await scan(dir, '--json', '--verbose', log);
  assert.deepEqual(alertLines(second.io.stdout()), []);
  assert.match(second.io.stderr(), /: 0 events and 20 requests answered 404 replayed/m); // replayed, but out of the window
});
