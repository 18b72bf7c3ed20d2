import assert from 'node:assert/strict';
import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { followPaths, type LineSink } from '../../src/sources/follow.js';
import { tempDir } from '../helpers/tmp.js';

/** Follows `paths` in `dir` with a 20 ms poll; lines are collected as `name:line text`. */
function start(dir: string, paths: string[], fromStart = false): { lines: string[]; stop(): Promise<void>; until(n: number): Promise<void> } {
  const lines: string[] = [];
  const ac = new AbortController();
  const running = followPaths(paths, { pollMs: 20, fromStart, maxLineBytes: 1024, signal: ac.signal, cwd: dir }, {
    open(name, firstLine): LineSink {
      let n = firstLine;
      return { line: (text) => lines.push(`${name}:${n++} ${text}`), idle: () => undefined, end: () => undefined };
    },
    problem: () => undefined,
  });
  return {
    lines,
    async stop() {
      ac.abort();
      await running;
    },
    async until(n) {
      for (let i = 0; i < 200 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(lines.length >= n, `waited for ${n} lines, got ${JSON.stringify(lines)}`);
    },
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 80)); // a few polls

test('starts at the end of an existing file; appended lines carry their real line numbers', async () => {
  const dir = tempDir('audit-follow-');
  writeFileSync(join(dir, 'auth.log'), 'old 1\nold 2\n');
  const f = start(dir, ['auth.log']);
  await tick();
  appendFileSync(join(dir, 'auth.log'), 'new 3\nnew 4\n');
  await f.until(2);
  await f.stop();
  assert.deepEqual(f.lines, ['auth.log:3 new 3', 'auth.log:4 new 4']);
});

test('--from-start reads existing content; a partial line waits for its newline', async () => {
  const dir = tempDir('audit-follow-');
  writeFileSync(join(dir, 'a.log'), 'one\ntw');
  const f = start(dir, ['a.log'], true);
  await f.until(1);
  appendFileSync(join(dir, 'a.log'), 'o\n');
  await f.until(2);
  await f.stop();
  assert.deepEqual(f.lines, ['a.log:1 one', 'a.log:2 two']);
});

test('rotation by rename: the old file is read to its end, then the new one from its start', async () => {
  const dir = tempDir('audit-follow-');
  const path = join(dir, 'auth.log');
  writeFileSync(path, '');
  const f = start(dir, ['auth.log']);
  await tick();
  appendFileSync(path, 'before 1\n');
  await f.until(1);
  appendFileSync(path, 'late 2\n'); // written just before logrotate renames it
  renameSync(path, join(dir, 'auth.log.1'));
  writeFileSync(path, 'fresh 1\n');
  await f.until(3);
  appendFileSync(path, 'fresh 2\n');
  await f.until(4);
  await f.stop();
  assert.deepEqual(f.lines, ['auth.log:1 before 1', 'auth.log:2 late 2', 'auth.log:1 fresh 1', 'auth.log:2 fresh 2']);
});

test('copytruncate: a file that shrank is read again from its start', async () => {
  const dir = tempDir('audit-follow-');
  const path = join(dir, 'app.log');
  writeFileSync(path, 'x'.repeat(100) + '\n');
  const f = start(dir, ['app.log']);
  await tick();
  appendFileSync(path, 'a\n');
  await f.until(1);
  truncateSync(path, 0);
  await tick();
  appendFileSync(path, 'after truncate\n');
  await f.until(2);
  await f.stop();
  assert.deepEqual(f.lines, ['app.log:2 a', 'app.log:1 after truncate']);
});

test('a watched directory: files created later are read from their start', async () => {
  const dir = tempDir('audit-follow-');
  writeFileSync(join(dir, 'old.log'), 'existing\n');
  const f = start(dir, ['.']);
  await tick();
  writeFileSync(join(dir, 'new.log'), 'hello\n');
  await f.until(1);
  await f.stop();
  assert.deepEqual(f.lines, ['new.log:1 hello']);
});
