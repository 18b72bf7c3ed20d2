import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import { memoryIo } from '../helpers/io.js';
import { tempDir } from '../helpers/tmp.js';

// main() loads a command's module when the command runs (src/cli.ts): loaded here, so that a busy machine does not
// spend the test's time importing it.
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
  let marks = 0; // quiet lines appended
  try {
    // watch starts at the end of the file as it finds it: a line appended before it looked is never read. Quiet lines
    // (no event) are appended until the status says one was read, however long start-up takes on a busy machine.
    for (let i = 0; i < 300 && !io.stderr().includes('audit: watching 1 file:'); i++) {
      if (i % 5 === 0) {
        appendFileSync(log, 'Nov 24 03:05:00 bastion sshd[2]: Server listening on :: port 22.\n');
        marks++;
      }
      await wait(10);
      signals.emit('SIGUSR1');
    }
    assert.match(io.stderr(), /audit: watching 1 file: \d+ lines, 0 events, 0 alerts/, 'watch read none of the quiet lines');
    let lines = '';
    for (let i = 0; i < 10; i++) lines += `Nov 24 03:12:${String(10 + i)} bastion sshd[${100 + i}]: Failed password for root from 203.0.113.9 port ${50000 + i} ssh2\n`;
    appendFileSync(log, lines);
    await until(() => io.stdout().includes('Alert:'), 'the alert');
    signals.emit('SIGUSR1');
    await until(() => /audit: watching 1 file: \d+ lines, 10 events, 1 alerts/.test(io.stderr()), 'the status line');
    const read = Number(/audit: watching 1 file: (\d+) lines, 10 events, 1 alerts/.exec(io.stderr())![1]) - 10;
    assert.ok(read >= 1 && read <= marks, `${read} quiet lines read of ${marks} appended`);
  } catch (err) {
    signals.emit('SIGTERM'); // a failed step must not leave the watch running (the test would hang, not fail)
    await done;
    throw err;
  }
  signals.emit('SIGTERM');
  assert.equal(await done, 0);
  assert.match(io.stdout(), /Alert: \[high\] brute force: 10 failed logins from one address within 10m \(203\.0\.113\.9\) 10 events/);
  assert.match(io.stdout(), /Alerts/); // the summary's alerts table
  const saved = JSON.parse(readFileSync(join(dir, 'alerts.ndjson'), 'utf8').trim()) as { id: string; evidence: { line: number }[] };
  assert.equal(saved.id, 'brute_force');
  // real line numbers although we started at the end: the first line, the quiet lines (read or not), then the failures
  assert.deepEqual(saved.evidence.map((e) => e.line - marks), [2, 3, 4, 5, 6]);
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
