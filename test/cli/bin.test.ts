// What only a real process shows: exit codes set by bin/, EPIPE when the reader goes away, no stack traces.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, fixture } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const BIN = join(ROOT, 'bin', 'audit.js');
const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };

test('the real bin exits 2 with one line on a missing file, and 0 on a good one', () => {
  const bad = spawnSync(process.execPath, [BIN, 'scan', '/nonexistent/x.log'], { encoding: 'utf8', env });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^audit: /m);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  const good = spawnSync(process.execPath, [BIN, 'scan', '--quiet', fixture('logs', 'example', 'auth.log')], { encoding: 'utf8', env });
  assert.equal(good.stderr, '');
  assert.equal(good.status, 0);
});

test('the script runs through its own first line: Node accepts every flag there', () => {
  // bin/audit.js is run by its `#!/usr/bin/env -S node FLAGS` line once installed; a flag Node refused would stop
  // every run with "bad option" before any of our code.
  const r = spawnSync(BIN, ['--version'], { encoding: 'utf8', env });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('commander usage errors exit 2, not 1', () => {
  const r = spawnSync(process.execPath, [BIN, 'scan', '--no-such-flag', 'x'], { encoding: 'utf8', env });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^audit: unknown option '--no-such-flag'/);
});

test('`audit scan big.log | head -1` ends quietly when the reader goes away (EPIPE)', async () => {
  const dir = tempDir('audit-epipe-');
  const file = join(dir, 'auth.log');
  const line = 'Nov 23 03:14:22 web-01 sshd[21901]: Invalid user admin from 203.0.113.45 port 50122\n';
  writeFileSync(file, line.repeat(200_000));
  const child = spawn(process.execPath, [BIN, 'scan', '--json', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const first = await new Promise<string>((resolve) => {
    child.stdout.once('data', (c: Buffer) => {
      resolve(c.toString().split('\n')[0]!);
      child.stdout.destroy(); // as `head -1` does
    });
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(JSON.parse(first).kind, 'event');
  assert.equal(err, '');
  assert.equal(code, 0);
});

test('a node that refuses code generation (--disallow-code-generation-from-strings) scans the same', () => {
  // program-index.ts reads a record's gate fields through a function it generates, or through a loop if refused
  const args = [BIN, 'scan', '--json', fixture('logs', 'nginx'), fixture('logs', 'attacks'), fixture('logs', 'app')];
  const plain = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  const refused = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', ...args], { encoding: 'utf8', env });
  assert.equal(refused.stderr, plain.stderr);
  assert.equal(refused.status, plain.status);
  assert.ok(plain.stdout.split('\n').filter((l) => l.includes('"kind":"event"')).length > 20);
  assert.equal(refused.stdout, plain.stdout);
});
