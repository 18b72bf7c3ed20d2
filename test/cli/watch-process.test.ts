// `audit watch` as a real process: real signals (SIGUSR1, SIGTERM), real appends and a rotation by rename. Spawns
// the compiled cli next to this test (dist/ under npm test) through a tiny wrapper, since bin/ imports dist/.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = new URL('../../src/cli.js', import.meta.url).href;
const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Ten failed ssh passwords from one address, syslog lines. */
function bruteForce(ip: string, minute: number, pid: number): string {
  let lines = '';
  for (let i = 0; i < 10; i++) lines += `Nov 24 03:${minute}:${10 + i} bastion sshd[${pid + i}]: Failed password for root from ${ip} port ${50000 + i} ssh2\n`;
  return lines;
}

test('watch (real process): alert on stdout, SIGUSR1 status on stderr, follows a rename rotation, SIGTERM: summary, exit 0', { timeout: 15_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-watch-proc-'));
  const log = join(dir, 'auth.log');
  const wrapper = join(dir, 'audit.mjs');
  writeFileSync(wrapper, `const { main } = await import(${JSON.stringify(CLI)});\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  writeFileSync(log, 'Nov 24 03:00:00 bastion sshd[1]: Server listening on 0.0.0.0 port 22.\n');
  // --from-start: lines appended before the first poll are read too, so the test does not race the start-up
  const child: ChildProcess = spawn(process.execPath, [wrapper, 'watch', '--poll', '20ms', '--from-start', '--alerts', join(dir, 'alerts.ndjson'), log], {
    env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const until = async (check: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 500 && !check() && child.exitCode === null; i++) await wait(10);
    assert.ok(check(), `timed out waiting for ${what}; stdout: ${out}; stderr: ${err}`);
  };

  appendFileSync(log, bruteForce('203.0.113.9', 12, 100));
  await until(() => out.includes('Alert:'), 'the first alert');
  assert.match(out, /Alert: \[high\] brute force: 10 failed logins from one address within 10m \(203\.0\.113\.9\) 10 events/);

  child.kill('SIGUSR1'); // the alert came out: runWatch is running and its handler is on
  await until(() => err.includes('audit: watching'), 'the status line');
  assert.match(err, /^audit: watching 1 file: 11 lines, 10 events, 1 alerts; last event \S+ \(\S+\)\n$/);

  renameSync(log, `${log}.1`); // logrotate without copytruncate: a new file under the old name
  writeFileSync(log, bruteForce('198.51.100.77', 20, 200));
  await until(() => out.includes('(198.51.100.77)'), 'the alert from the new file');

  child.kill('SIGUSR1');
  await until(() => err.split('\n').length > 2, 'the second status line');
  assert.match(err.split('\n')[1]!, /^audit: watching 1 file: 21 lines, 20 events, 2 alerts;/);

  child.kill('SIGTERM');
  const { code, signal } = await closed;
  assert.equal(signal, null);
  assert.equal(code, 0);
  assert.match(out, /Alerts/); // the summary's alerts table
  const saved = readFileSync(join(dir, 'alerts.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { key: string; evidence: { line: number }[] });
  assert.deepEqual(saved.map((a) => a.key), ['203.0.113.9', '198.51.100.77']);
  assert.deepEqual(saved[0]!.evidence.map((e) => e.line), [2, 3, 4, 5, 6]);
  assert.deepEqual(saved[1]!.evidence.map((e) => e.line), [1, 2, 3, 4, 5]); // the new file counts from its own start
});
