import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import { memoryIo } from '../helpers/io.js';
import { tempDir } from '../helpers/tmp.js';

// main() loads a command's module when the command runs (src/cli.ts): loaded here, so that the 100 ms the test gives
// watch to reach the end of the file are not spent importing it on a busy machine.
await import('../../src/commands/watch.js');

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await wait(10);
  assert.ok(check(), `timed out waiting for ${what}`);
}

test('watch: appended brute force raises an alert live; SIGUSR1 prints a status; SIGTERM prints the summary, exit 0', async () => {
  const dir = tempDir('audit-watch-');
  const log = join(dir, 'auth.log');
  writeFileSync(log, 'Nov 24 03:00:00 bastion sshd[1]: Server listening on 0.0.0.0 port 22.\n');
  const io = memoryIo();
  const signals = new EventEmitter();
  io.signals = signals;
  const done = main(['watch', '--no-color', '--poll', '20ms', '--alerts', join(dir, 'alerts.ndjson'), log], io);
  await wait(100);
  let lines = '';
  for (let i = 0; i < 10; i++) lines += `Nov 24 03:12:${String(10 + i)} bastion sshd[${100 + i}]: Failed password for root from 203.0.113.9 port ${50000 + i} ssh2\n`;
  appendFileSync(log, lines);
  await until(() => io.stdout().includes('Alert:'), 'the alert');
  signals.emit('SIGUSR1');
  await until(() => io.stderr().includes('audit: watching 1 file: 10 lines, 10 events, 1 alerts'), 'the status line');
  signals.emit('SIGTERM');
  assert.equal(await done, 0);
  assert.match(io.stdout(), /Alert: \[high\] brute force: 10 failed logins from one address within 10m \(203\.0\.113\.9\) 10 events/);
  assert.match(io.stdout(), /Alerts/); // the summary's alerts table
  const saved = JSON.parse(readFileSync(join(dir, 'alerts.ndjson'), 'utf8').trim()) as { id: string; evidence: { line: number }[] };
  assert.equal(saved.id, 'brute_force');
  assert.deepEqual(saved.evidence.map((e) => e.line), [2, 3, 4, 5, 6]); // real line numbers although we started at the end
});

test('watch -: reads a pipe to its end', async () => {
  const journal = Array.from({ length: 10 }, (_, i) => JSON.stringify({
    __REALTIME_TIMESTAMP: String(Date.parse('2026-11-24T03:12:00Z') * 1000 + i * 1_000_000), _HOSTNAME: 'bastion', SYSLOG_IDENTIFIER: 'sshd', _PID: String(100 + i), PRIORITY: '6',
    MESSAGE: `Failed password for root from 203.0.113.9 port ${50000 + i} ssh2`,
  })).join('\n') + '\n';
  const io = memoryIo({ stdin: journal });
  io.signals = new EventEmitter();
  assert.equal(await main(['watch', '--json', '-'], io), 0);
  const alerts = io.stdout().split('\n').filter((l) => l.startsWith('{"kind":"alert"'));
  assert.equal(alerts.length, 1);
  assert.equal((JSON.parse(alerts[0]!) as { key: string }).key, '203.0.113.9');
});
