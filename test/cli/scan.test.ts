// `audit scan` end to end, in process: goldens for the bundled example, exit codes, errors, stdin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import { assertGolden } from '../helpers/golden.js';
import { memoryIo } from '../helpers/io.js';

// Paths relative to the repository root (memoryIo's cwd), so output does not depend on where the checkout is.
const EXAMPLE = 'fixtures/logs/example';

test('scan --json on the bundled example matches the golden NDJSON', async () => {
  const io = memoryIo();
  const code = await main(['scan', '--json', EXAMPLE], io);
  assert.equal(io.stderr(), '');
  assert.equal(code, 0);
  const lines = io.stdout().trimEnd().split('\n');
  for (const l of lines) JSON.parse(l); // every line is JSON
  const last = JSON.parse(lines.at(-1)!) as { kind: string };
  assert.equal(last.kind, 'summary');
  assertGolden(io.stdout(), 'scan', 'example.ndjson');
});

test('scan prints fatal events and the summary tables (golden)', async () => {
  const io = memoryIo();
  const code = await main(['scan', '--no-color', EXAMPLE], io);
  assert.equal(code, 0);
  assert.match(io.stdout(), /Fatal Event:/);
  assertGolden(io.stdout(), 'scan', 'example.txt');
});

test('every event object has exactly the documented keys, in order', async () => {
  const io = memoryIo();
  await main(['scan', '--json', EXAMPLE], io);
  const events = io.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['kind'] === 'event');
  assert.ok(events.length > 20);
  for (const e of events) {
    assert.deepEqual(Object.keys(e), ['kind', 'type', 'severity', 'outcome', 'time', 'source', 'user', 'host', 'program', 'pid', 'phone', 'rule', 'message', 'file', 'line']);
    assert.deepEqual(Object.keys(e['source'] as object), ['ip', 'port']);
  }
});

test('--fail-on makes exit code 1 when an event at or above the level was found', async () => {
  assert.equal(await main(['scan', '--quiet', '--fail-on', 'critical', EXAMPLE], memoryIo()), 1);
  const io = memoryIo();
  assert.equal(await main(['scan', '--quiet', '--fail-on', 'high', 'fixtures/logs/example/app.log'], io), 1);
});

test('--fail-on is not triggered below the level', async () => {
  const io = memoryIo({ stdin: 'Nov 23 03:26:00 web-01 systemd[1]: Started Daily apt download activities.\n' });
  assert.equal(await main(['scan', '--quiet', '--fail-on', 'low', '-'], io), 0);
});

test('a missing input is one line on stderr and exit code 2, and the other inputs are still scanned', async () => {
  const io = memoryIo();
  const code = await main(['scan', '--json', '/nonexistent/auth.log', 'fixtures/logs/example/auth.log'], io);
  assert.equal(code, 2);
  assert.equal(io.stderr(), 'audit: cannot read /nonexistent/auth.log: no such file or directory\n');
  const summary = JSON.parse(io.stdout().trimEnd().split('\n').at(-1)!) as { problems: { message: string }[]; totals: { lines: number } };
  assert.equal(summary.totals.lines, 27);
  assert.deepEqual(summary.problems.map((p) => p.message), ['cannot read /nonexistent/auth.log: no such file or directory']);
});

test('usage errors are one line, exit code 2, no stack trace', async () => {
  for (const argv of [
    ['scan', '--min-severity', 'urgent', EXAMPLE],
    ['scan', '--since', 'yesterday', EXAMPLE],
    ['scan', '--input-format', 'cobol', EXAMPLE],
    ['scan', '--top', '-3', EXAMPLE],
    ['scan', '--bogus', EXAMPLE],
    ['frobnicate'],
  ]) {
    const io = memoryIo();
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.match(io.stderr(), /^audit: /, argv.join(' '));
    assert.doesNotMatch(io.stderr(), /\n\s+at /, argv.join(' '));
  }
});

test('an unknown severity lists the valid ones', async () => {
  const io = memoryIo();
  await main(['scan', '--min-severity', 'urgent', EXAMPLE], io);
  assert.equal(io.stderr(), "audit: --min-severity: unknown severity 'urgent'\n  hint: use one of: info, low, medium, high, critical\n");
});

test('--help and --version exit 0', async () => {
  const help = memoryIo();
  assert.equal(await main(['scan', '--help'], help), 0);
  assert.match(help.stdout(), /--fail-on <level>/);
  const version = memoryIo();
  assert.equal(await main(['--version'], version), 0);
  assert.match(version.stdout(), /^\d+\.\d+\.\d+\n$/);
});

test("standard input is read with '-'", async () => {
  const io = memoryIo({ stdin: 'Nov 23 03:14:22 web-01 sshd[21901]: Invalid user admin from 203.0.113.45 port 50122\n' });
  assert.equal(await main(['scan', '--json', '-'], io), 0);
  const [event] = io.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(event!['type'], 'auth.invalid_user');
  assert.deepEqual(event!['source'], { ip: '203.0.113.45', port: 50122 });
  assert.equal(event!['user'], 'admin');
  assert.equal(event!['file'], '(stdin)');
});

test('--min-severity drops lower events; --since/--until skip lines outside the window', async () => {
  const io = memoryIo();
  await main(['scan', '--json', '--min-severity', 'high', '--since', '2026-11-23T03:16:00Z', '--until', '2026-11-23T03:22:00Z', 'fixtures/logs/example/auth.log'], io);
  const objs = io.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const events = objs.filter((o) => o['kind'] === 'event');
  assert.deepEqual(events.map((e) => e['type']), ['priv.sudo_failure', 'auth.root_login']);
  const summary = objs.at(-1) as { totals: { lines: number; skipped: number } };
  assert.equal(summary.totals.lines, 27);
  assert.equal(summary.totals.skipped, 15); // 13 lines before 03:16, 2 after 03:22
});
