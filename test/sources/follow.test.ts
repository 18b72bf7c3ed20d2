import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, linkSync, mkdirSync, renameSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { followPaths, type LineSink } from '../../src/sources/follow.js';
import type { SourceProblem } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';

/** Follows `paths` in `dir` with a 20 ms poll; lines are collected as `name:line text`. */
function start(dir: string, paths: string[], fromStart = false): { lines: string[]; problems: SourceProblem[]; stop(): Promise<void>; until(n: number): Promise<void> } {
  const lines: string[] = [];
  const problems: SourceProblem[] = [];
  const ac = new AbortController();
  const running = followPaths(paths, { pollMs: 20, fromStart, maxLineBytes: 1024, signal: ac.signal, cwd: dir }, {
    open(name, firstLine): LineSink {
      let n = firstLine;
      return { line: (text) => lines.push(`${name}:${n++} ${text}`), idle: () => undefined, end: () => undefined };
    },
    problem: (p) => problems.push(p),
  });
  return {
    lines,
    problems,
    async stop() {
      ac.abort();
      await running;
    },
    async until(n) {
      for (let i = 0; i < 200 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      if (lines.length < n) ac.abort(); // a failing test must not leave the follower polling (the file's process would not end)
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

test('a watched directory: a file rotated by rename is not read again under its new name; what is appended to it is', async () => {
  const dir = tempDir('audit-follow-');
  const path = join(dir, 'auth.log');
  writeFileSync(path, 'old 1\n');
  const f = start(dir, ['.']);
  await tick();
  appendFileSync(path, 'before 2\n');
  await f.until(1);
  renameSync(path, join(dir, 'auth.log.1')); // logrotate: rename, then a new file
  writeFileSync(path, 'fresh 1\n');
  appendFileSync(join(dir, 'auth.log.1'), 'late 3\n'); // the daemon wrote to its open file before it reopened
  await f.until(3);
  await tick();
  await f.stop();
  // the renamed file goes on in its follower (its name and line numbers): nothing of it is read twice
  assert.deepEqual([...f.lines].sort(), ['auth.log:1 fresh 1', 'auth.log:2 before 2', 'auth.log:3 late 3']);
});

test('a watched directory: a file that left it and came back under another name goes on from where it was read', async () => {
  const dir = tempDir('audit-follow-');
  mkdirSync(join(dir, 'logs'));
  const path = join(dir, 'logs', 'app.log');
  writeFileSync(path, 'one\n');
  const f = start(dir, ['logs'], true);
  await f.until(1);
  renameSync(path, join(dir, 'parked.log')); // out of the watched directory: its follower finds its name gone
  await tick();
  renameSync(join(dir, 'parked.log'), join(dir, 'logs', 'app.log.1'));
  appendFileSync(join(dir, 'logs', 'app.log.1'), 'two\n');
  await f.until(2);
  await tick();
  await f.stop();
  assert.deepEqual(f.lines, ['logs/app.log:1 one', 'logs/app.log.1:2 two']);
});

test('a compressed or binary file is not followed, and said once', async () => {
  const dir = tempDir('audit-follow-');
  const f = start(dir, ['.']);
  await tick();
  writeFileSync(join(dir, 'auth.log.2.gz'), gzipSync('Nov 23 10:00:01 web1 sshd[1]: Failed password for root\n'.repeat(50)));
  writeFileSync(join(dir, 'core.bin'), Buffer.alloc(4096, 0));
  writeFileSync(join(dir, 'text.log'), 'readable\n');
  await f.until(1);
  appendFileSync(join(dir, 'auth.log.2.gz'), Buffer.from([0, 1, 2, 10]));
  await tick();
  await f.stop();
  assert.deepEqual(f.lines, ['text.log:1 readable']);
  assert.deepEqual(f.problems.map((p) => [p.source, p.code, p.level]).sort(), [['auth.log.2.gz', 'BINARY', 'warning'], ['core.bin', 'BINARY', 'warning']]);
});

test('a watched directory: the copy logrotate makes before it empties a log (copytruncate) is not read again', async () => {
  // as logrotate does it (the copy, then the truncation, at once), and with the copy listed only after the truncation
  for (const seenFirst of ['together', 'truncation'] as const) {
    const dir = tempDir('audit-follow-');
    const path = join(dir, 'app.log');
    writeFileSync(path, 'Nov 23 10:00:00 app started\n');
    const f = start(dir, ['.']);
    await tick();
    appendFileSync(path, 'line 2\n');
    await f.until(1);
    appendFileSync(path, 'line 3\n'); // written before the copy, not read yet
    if (seenFirst === 'truncation') {
      // the copy is made where the watch does not list it, the log emptied, and only then the copy appears
      copyFileSync(path, join(dir, '..', `${basename(dir)}-app.log.1`));
      truncateSync(path, 0);
      await tick();
      renameSync(join(dir, '..', `${basename(dir)}-app.log.1`), join(dir, 'app.log.1'));
    } else {
      copyFileSync(path, join(dir, 'app.log.1'));
      truncateSync(path, 0);
    }
    appendFileSync(path, 'after 1\n');
    await f.until(3);
    await tick();
    await f.stop();
    // line 3 is read once (from the copy or before the truncation), nothing of the copy again
    assert.equal(f.lines.filter((l) => l.endsWith(' line 2')).length, 1, `${seenFirst}: ${JSON.stringify(f.lines)}`);
    assert.equal(f.lines.filter((l) => l.endsWith(' line 3')).length, 1, `${seenFirst}: ${JSON.stringify(f.lines)}`);
    assert.equal(f.lines.filter((l) => l.endsWith(' started')).length, 0, `${seenFirst}: ${JSON.stringify(f.lines)}`);
    assert.ok(f.lines.includes('app.log:1 after 1'), `${seenFirst}: ${JSON.stringify(f.lines)}`);
  }
});

test('a watched directory: a new file that only starts like a followed one is read whole', async () => {
  const dir = tempDir('audit-follow-');
  // the same 1,200-byte header (more than the bytes compared at the start), then other lines
  const header = Array.from({ length: 40 }, (_, i) => `#Field-${String(i).padStart(2, '0')}: date time cs-uri`).join('\n') + '\n';
  writeFileSync(join(dir, 'a.log'), header);
  const f = start(dir, ['.']);
  await tick();
  appendFileSync(join(dir, 'a.log'), 'a 41\n');
  await f.until(1);
  writeFileSync(join(dir, 'b.log'), header + 'b 41 is another log\nb 42\n');
  await f.until(43);
  await f.stop();
  const b = f.lines.filter((l) => l.startsWith('b.log'));
  assert.equal(b.length, 42);
  assert.deepEqual(b.slice(-2), ['b.log:41 b 41 is another log', 'b.log:42 b 42']);
});

test('a watched directory: a second name made for a followed file (a link) does not read its lines again', async () => {
  const dir = tempDir('audit-follow-');
  writeFileSync(join(dir, 'syslog'), 'boot\n');
  const f = start(dir, ['.']);
  await tick();
  symlinkSync('syslog', join(dir, 'messages'));
  linkSync(join(dir, 'syslog'), join(dir, 'syslog.hard'));
  await tick();
  appendFileSync(join(dir, 'syslog'), 'one\ntwo\n');
  await f.until(2);
  await tick();
  await f.stop();
  assert.deepEqual(f.lines, ['syslog:2 one', 'syslog:3 two']);
});

test('a name that was a link, then a file of its own, is followed', async () => {
  const dir = tempDir('audit-follow-');
  writeFileSync(join(dir, 'syslog'), 'boot\n');
  const f = start(dir, ['.']);
  await tick();
  symlinkSync('syslog', join(dir, 'messages'));
  await tick();
  unlinkSync(join(dir, 'messages'));
  await tick();
  writeFileSync(join(dir, 'messages'), 'own 1\n');
  await f.until(1);
  await tick();
  await f.stop();
  assert.deepEqual(f.lines, ['messages:1 own 1']);
});
