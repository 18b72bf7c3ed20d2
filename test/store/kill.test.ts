// Exactly once with two files whose lines interleave in time (read at once and merged, their commits interleave):
// a real scan killed with SIGKILL at random moments, then a clean run, stores exactly the events of one clean run, and
// exactly its alerts: each run's detectors start warm from the store, so the alerts a killed run had not committed
// are raised again by the next one, and those it had committed are not. The same for the 404s web_scan counts, which
// are stored apart from events, and its alerts.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanProcess, selectAll, storedIds, tempDir } from './support.js';

const LINES = 20_000; // per file
const START = Date.UTC(2026, 10, 23, 0, 0, 0);
/** A commit every 500 lines or events: about 80 moments per run where a kill falls between two commits. */
const SMALL_BATCHES = { AUDIT_DB_BATCH: '500' };

/**
 * Failed-password lines, one event each; line i of file `parity` (0 or 1) is at second 2i + parity, port = its id.
 * The address changes every 120 s (203.0.113.1-200, then again): a brute force alert each time, so that alerts are
 * raised all along the run.
 */
function interleaved(parity: 0 | 1): string {
  let s = '';
  for (let i = 0; i < LINES; i++) {
    const second = 2 * i + parity;
    const t = new Date(START + second * 1000).toISOString(); // 2026-11-23T00:00:00.000Z
    const ip = `203.0.113.${(Math.floor(second / 120) % 200) + 1}`;
    s += `Nov 23 ${t.slice(11, 19)} web${parity + 1} sshd[${i + 1}]: Failed password for root from ${ip} port ${parity * LINES + i + 1} ssh2\n`;
  }
  return s;
}

/** Stored alerts as JSON (all but the row id and the time of storing), sorted: a multiset to compare. */
function storedAlerts(db: string): string[] {
  return selectAll<object>(db, 'SELECT detector, severity, key, title, count, first, last, evidence FROM alerts').map((r) => JSON.stringify(r)).sort();
}

test('kill -9 at random moments with two interleaved files, then a clean run: exactly the events and alerts of one clean run', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const logs = [join(dir, 'a.log'), join(dir, 'b.log')];
  writeFileSync(logs[0]!, interleaved(0));
  writeFileSync(logs[1]!, interleaved(1));
  const { expected, expectedAlerts, cleanMs } = await cleanRun(dir, logs, storedIds);
  assert.equal(expected.count, 2 * LINES);
  assert.ok(expected.ids.has(`${logs[0]}:1:sshd.failed:1`) && expected.ids.has(`${logs[1]}:${LINES}:sshd.failed:${2 * LINES}`)); // file, line, rule, port
  // 40,000 s: 334 address blocks of 120 s (the last one 40 s), one brute force alert each (an address comes back
  // after 24,000 s, long after its cooldown); and root is attacked from 5 addresses every 10 minutes: a distributed
  // attack alert each hour of cooldown (11 in 40,000 s)
  assert.equal(expectedAlerts.filter((a) => a.startsWith('{"detector":"brute_force"')).length, 334);
  assert.equal(expectedAlerts.filter((a) => a.startsWith('{"detector":"distributed_attack"')).length, 11);
  assert.equal(expectedAlerts.length, 345);
  assert.ok(expectedAlerts.includes(JSON.stringify({
    detector: 'brute_force', severity: 'high', key: '203.0.113.1', title: 'brute force: 10 failed logins from one address within 10m', count: 10,
    first: '2026-11-23T00:00:00.000Z', last: '2026-11-23T00:00:09.000Z',
    evidence: JSON.stringify([1, 1, 2, 2, 3].map((line, k) => ({ file: logs[k % 2], line, message: `Failed password for root from 203.0.113.1 port ${(k % 2) * LINES + line} ssh2` }))),
  })));

  await killThenFinish(dir, logs, { seed: 11, cleanMs, rows: storedIds, expected, expectedAlerts });
});

const REQUESTS = 10_000; // per file

/**
 * Requests answered 404 (no rule takes them: no events); line i of file `parity` is at second 2i + parity. The
 * address changes every 40 s (198.51.100.1-200): 40 requests from each, a web scan alert at the 30th. A commit comes
 * every 500 lines, 20 s into a block for every other one: a run killed after it must count the block's 20 stored 404s
 * with the 20 it reads, or raise nothing.
 */
function probes(parity: 0 | 1): string {
  let s = '';
  for (let i = 0; i < REQUESTS; i++) {
    const second = 2 * i + parity;
    const t = new Date(START + second * 1000);
    const clf = `${String(t.getUTCDate()).padStart(2, '0')}/Nov/2026:${t.toISOString().slice(11, 19)} +0000`;
    s += `198.51.100.${(Math.floor(second / 40) % 200) + 1} - - [${clf}] "GET /p${parity * REQUESTS + i + 1} HTTP/1.1" 404 153 "-" "scanner"\n`;
  }
  return s;
}

/** The stored 404s, one "file:line time ip" each, and how many rows there are (a row stored twice shows). */
function storedNotFound(db: string): { count: number; ids: Set<string> } {
  const rows = selectAll<{ file: string; line: number; time: string; ip: string }>(db, 'SELECT file, line, time, ip FROM not_found');
  return { count: rows.length, ids: new Set(rows.map((r) => `${r.file}:${r.line} ${r.time} ${r.ip}`)) };
}

test('kill -9 at random moments with two interleaved access logs of 404s, then a clean run: exactly the 404s and web scan alerts of one clean run', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const logs = [join(dir, 'a.log'), join(dir, 'b.log')];
  writeFileSync(logs[0]!, probes(0));
  writeFileSync(logs[1]!, probes(1));
  const { expected, expectedAlerts, cleanMs } = await cleanRun(dir, logs, storedNotFound);
  assert.equal(expected.count, 2 * REQUESTS);
  assert.ok(expected.ids.has(`${logs[0]}:1 2026-11-23T00:00:00.000Z 198.51.100.1`) && expected.ids.has(`${logs[1]}:${REQUESTS} 2026-11-23T05:33:19.000Z 198.51.100.100`));
  assert.equal(storedIds(join(dir, 'clean.db')).count, 0); // no events: the 404s alone carry the web scans across runs
  // 20,000 s: 500 address blocks of 40 s, one web scan alert each (an address comes back after 8,000 s, past its hour)
  assert.equal(expectedAlerts.length, 500);
  assert.ok(expectedAlerts.every((a) => a.startsWith('{"detector":"web_scan"')));

  await killThenFinish(dir, logs, { seed: 7, cleanMs, rows: storedNotFound, expected, expectedAlerts });
});

/** What a store holds of one kind of row (events, 404s): how many rows, and the set of what makes each itself. */
type Rows = (db: string) => { count: number; ids: Set<string> };

/** One clean run of `logs` into `dir`/clean.db: what it stored, its alerts, and how long it took. */
async function cleanRun(dir: string, logs: string[], rows: Rows): Promise<{ expected: ReturnType<Rows>; expectedAlerts: string[]; cleanMs: number }> {
  const clean = join(dir, 'clean.db');
  const t0 = Date.now();
  assert.equal(await scanProcess(clean, logs, null), 0);
  const cleanMs = Date.now() - t0; // only to spread the kills over a run's length on this machine
  return { expected: rows(clean), expectedAlerts: storedAlerts(clean), cleanMs };
}

/**
 * Scans of `logs` killed at random moments (a seeded sequence) into one store, until 4 were killed between two
 * commits (at most 40 tries), then one left to finish: that store, and every store a run finished before its kill,
 * holds exactly the clean run's rows and alerts.
 */
async function killThenFinish(dir: string, logs: string[], o: { seed: number; cleanMs: number; rows: Rows; expected: ReturnType<Rows>; expectedAlerts: readonly string[] }): Promise<void> {
  let seed = o.seed;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let partial = 0; // killed runs that had committed some batches, not all
  let round = 0;
  let killed = join(dir, 'killed-0.db');
  let before = 0;
  for (let i = 0; i < 40 && partial < 4; i++) {
    const code = await scanProcess(killed, logs, 100 + Math.floor(random() * 0.7 * o.cleanMs), SMALL_BATCHES);
    if (code === 0) { // it finished before the kill: check this store, go on with a new one
      assertExactlyOnce(killed, o);
      killed = join(dir, `killed-${++round}.db`);
      before = 0;
      continue;
    }
    assert.equal(code, null, 'a run is either killed or ends well');
    const now = existsSync(killed) ? o.rows(killed).count : 0;
    if (now > before && now < o.expected.count) partial++;
    before = now;
  }
  assert.ok(partial >= 4, `only ${partial} runs were killed between two commits`);
  assert.equal(await scanProcess(killed, logs, null), 0);
  assertExactlyOnce(killed, o);
}

function assertExactlyOnce(db: string, o: { rows: Rows; expected: ReturnType<Rows>; expectedAlerts: readonly string[] }): void {
  const got = o.rows(db);
  assert.equal(got.count, o.expected.count, 'nothing stored twice');
  assert.deepEqual(got.ids, o.expected.ids, 'nothing missing');
  assert.deepEqual(storedAlerts(db), o.expectedAlerts, 'the same alerts, none twice, none missing');
}
