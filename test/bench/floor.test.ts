// Tests for Node's floor in the benchmark: it must read every line and count like grep -c, or its time means nothing.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixture } from '../helpers/paths.js';

const FLOOR = fileURLToPath(new URL('./floor.js', import.meta.url));
const PATTERN = 'Failed password|Invalid user|authentication failure';

test('floor: one count per file, as grep -cE gives it', () => {
  const out = execFileSync(process.execPath, [FLOOR, PATTERN, fixture('logs', 'syslog', 'auth.log'), fixture('logs', 'example', 'auth.log')], { encoding: 'utf8' });
  assert.equal(out, '5\n8\n');
});

test('floor: without a file it prints its usage and exits 2', () => {
  const r = spawnSync(process.execPath, [FLOOR, PATTERN], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^usage: /);
});

test("floor with --audit-reader: audit's own reader gives the same counts", () => {
  const out = execFileSync(process.execPath, [FLOOR, '--audit-reader', PATTERN, fixture('logs', 'syslog', 'auth.log'), fixture('logs', 'example', 'auth.log')], { encoding: 'utf8' });
  assert.equal(out, '5\n8\n');
});

test('floor: a file it cannot read is one line on stderr and exit 2, no stack trace', () => {
  for (const reader of [[], ['--audit-reader']]) {
    const r = spawnSync(process.execPath, [FLOOR, ...reader, PATTERN, '/nonexistent/audit-floor.log'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^floor: .*audit-floor\.log/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
