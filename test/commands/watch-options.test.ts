// `audit watch` takes scan's rule flags (--rules, --sigma, --no-builtin) and masking flags (--redact, --redact-ip),
// with the same meaning and the same errors: a user rule fires on a line appended to a followed file, a bad rule file
// stops watch before it follows anything (exit 2), and --redact-ip masks the --alerts file as in scan.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';
import { fixture } from '../helpers/paths.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await wait(10);
  assert.ok(check(), `timed out waiting for ${what}`);
}

const dir = mkdtempSync(join(tmpdir(), 'audit-watch-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `audit watch <args> <log>` in process on a log with one quiet line; stop() sends SIGTERM and returns the exit code. */
async function startWatch(name: string, args: string[]): Promise<{ io: MemoryIo; log: string; stop(): Promise<number> }> {
  const log = join(dir, name);
  writeFileSync(log, 'Nov 24 03:00:00 gw sshd[1]: Server listening on 0.0.0.0 port 22.\n');
  const io = memoryIo();
  const signals = new EventEmitter();
  io.signals = signals;
  const done = main(['watch', '--poll', '20ms', ...args, log], io);
  // Rule files and masking take a while to load: the status line (SIGUSR1) says watch is about to take the end of
  // the file as its start; what is appended after that is new.
  await until(() => { signals.emit('SIGUSR1'); return io.stderr().includes('audit: watching'); }, 'watch to start');
  await wait(100);
  return { io, log, stop: () => { signals.emit('SIGTERM'); return done; } };
}

type Line = { kind: string; rule?: string; user?: string; source?: { ip: string | null }; key?: string; evidence?: { message: string }[] };
/** NDJSON lines parsed (a line that is not JSON fails the test). */
const lines = (text: string): Line[] => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);

test('watch --rules: a user rule fires on an appended line, beside the built-ins', async () => {
  const w = await startWatch('vpn.log', ['--json', '--rules', fixture('rules', 'valid', 'vpnd.yaml')]);
  appendFileSync(w.log, 'Nov 24 03:12:10 gw vpnd[77]: login failed for alice from 203.0.113.7 port 51820 (bad password)\n' +
    'Nov 24 03:12:11 gw sshd[78]: Failed password for root from 203.0.113.8 port 4242 ssh2\n');
  await until(() => w.io.stdout().includes('"rule":"sshd.failed"'), 'the second event');
  assert.equal(await w.stop(), 0);
  const events = lines(w.io.stdout()).filter((l) => l.kind === 'event');
  assert.deepEqual(events.map((e) => [e.rule, e.user, e.source!.ip]), [['site.vpnd_failed', 'alice', '203.0.113.7'], ['sshd.failed', 'root', '203.0.113.8']]);
  assert.deepEqual(w.io.stderr().split('\n').filter((l) => l !== '' && !l.startsWith('audit: watching')), [], 'no warning');
});

test('watch --rules with --no-builtin: only the user rules run', async () => {
  const w = await startWatch('vpn-only.log', ['--json', '--no-builtin', '--rules', fixture('rules', 'valid', 'vpnd.yaml')]);
  appendFileSync(w.log, 'Nov 24 03:12:11 gw sshd[78]: Failed password for root from 203.0.113.8 port 4242 ssh2\n' +
    'Nov 24 03:12:12 gw vpnd[77]: login ok for bob from 2001:db8::42 port 51820\n');
  await until(() => w.io.stdout().includes('"rule":"site.vpnd_ok"'), 'the vpnd event');
  assert.equal(await w.stop(), 0);
  assert.deepEqual(lines(w.io.stdout()).filter((l) => l.kind === 'event').map((e) => e.rule), ['site.vpnd_ok']);
});

test('watch --sigma: a Sigma rule fires on an appended line', async () => {
  const w = await startWatch('sigma.log', ['--json', '--no-builtin', '--sigma', fixture('sigma', 'linux', 'sshd_errors.yml')]);
  appendFileSync(w.log, 'Nov 24 03:12:13 gw sshd[79]: error: Corrupted MAC on input. [preauth]\n');
  await until(() => w.io.stdout().includes('"kind":"event"'), 'the sigma event');
  assert.equal(await w.stop(), 0);
  assert.deepEqual(lines(w.io.stdout()).filter((l) => l.kind === 'event').map((e) => e.rule), ['sigma:0c7a0b8e-5a43-4d8e-9a51-000000000001']);
});

test('watch --rules with a bad rule file: the diagnostic, one error line, exit 2, nothing followed', async () => {
  const log = join(dir, 'never.log');
  writeFileSync(log, '');
  const io = memoryIo();
  io.signals = new EventEmitter(); // never signalled: watch must end by itself
  const bad = join('fixtures', 'rules', 'invalid', 'bad-type.yaml'); // relative to the repository root (io.cwd)
  assert.equal(await main(['watch', '--rules', bad, log], io), 2);
  assert.equal(io.stdout(), '');
  const err = io.stderr().split('\n');
  assert.equal(err[0], "fixtures/rules/invalid/bad-type.yaml:5:11: error: rule 'site.bad_type': unknown event type 'auth.failed'");
  assert.deepEqual(err.filter((l) => l.startsWith('audit:')), ['audit: 1 error in rule files; nothing was read']);
  assert.equal(err.at(-2), '  hint: fix the rules above (audit rules validate PATH checks them alone)');
});

test('watch --no-builtin alone: no rules to run, exit 2', async () => {
  const io = memoryIo();
  io.signals = new EventEmitter();
  assert.equal(await main(['watch', '--no-builtin', join(dir, 'never.log')], io), 2);
  assert.equal(io.stderr(), 'audit: no rules to run\n  hint: --no-builtin runs only the rules of --rules and --sigma; name at least one rule file\n');
});

test('watch --redact-ip: the live alert and the --alerts file are masked', async () => {
  const alerts = join(dir, 'alerts.ndjson');
  const w = await startWatch('auth.log', ['--no-color', '--redact-ip', '--alerts', alerts]);
  let text = '';
  for (let i = 0; i < 10; i++) text += `Nov 24 03:12:${10 + i} gw sshd[${100 + i}]: Failed password for invalid user bob@example.com from 203.0.113.9 port ${50000 + i} ssh2\n`;
  appendFileSync(w.log, text);
  await until(() => w.io.stdout().includes('Alert:'), 'the alert');
  assert.equal(await w.stop(), 0);
  const saved = readFileSync(alerts, 'utf8');
  for (const secret of ['203.0.113.9', 'bob@']) {
    assert.ok(!saved.includes(secret) && !w.io.stdout().includes(secret) && !w.io.stderr().includes(secret), `${secret} leaked`);
  }
  assert.match(w.io.stdout(), /Alert: \[high\] brute force: 10 failed logins from one address within 10m \(203\.0\.\*\*\*\.\*\) 10 events/);
  const alert = lines(saved)[0]!;
  assert.equal(alert.key, '203.0.***.*');
  assert.equal(alert.evidence![0]!.message, 'Failed password for invalid user b**@example.com from 203.0.***.* port 50000 ssh2');
});
