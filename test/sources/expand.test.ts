// expandInputs: files, directories in reading order, symlinks, special files, problems, and standard input.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { expandInputs, isProblem, type Source } from '../../src/sources/expand.js';
import type { SourceProblem } from '../../src/types.js';
import { memoryIo } from '../helpers/io.js';
import { fixture } from '../helpers/paths.js';
import { allLines, scratchDir } from './support.js';

const dir = scratchDir('expand');

async function expand(inputs: string[], opts: { recursive?: boolean; stdin?: string | Buffer; cwd?: string } = {}): Promise<(Source | SourceProblem)[]> {
  const io = memoryIo(opts.stdin === undefined ? {} : { stdin: opts.stdin });
  const all: (Source | SourceProblem)[] = [];
  for await (const x of expandInputs(inputs, { ...io, cwd: opts.cwd ?? io.cwd }, { recursive: opts.recursive })) all.push(x);
  return all;
}

/** Names of sources, and `!level message` for problems: one readable line per item. */
function show(items: (Source | SourceProblem)[]): string[] {
  return items.map((x) => (isProblem(x) ? `!${x.level} ${x.message}` : x.name));
}

function tree(root: string, files: Record<string, string | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

describe('expandInputs: the fixture tree', () => {
  it('lists every regular file, rotated families oldest first, subdirectories by name', async () => {
    const items = await expand(['fixtures/logs/tree']);
    assert.deepEqual(show(items), [
      'fixtures/logs/tree/auth.log.3.gz',
      'fixtures/logs/tree/auth.log.2.gz',
      'fixtures/logs/tree/auth.log.1',
      'fixtures/logs/tree/auth.log',
      'fixtures/logs/tree/kern.log',
      'fixtures/logs/tree/nginx/access.log.1',
      'fixtures/logs/tree/nginx/access.log',
      'fixtures/logs/tree/wtmp',
    ]);
    const first = items[0] as Source;
    assert.equal(first.path, fixture('logs', 'tree', 'auth.log.3.gz'));
    assert.equal(first.size, 431);
    assert.ok(first.mtime instanceof Date);
  });

  it('reads them in an order where time moves forward; wtmp is refused as binary', async () => {
    const firstLines: string[] = [];
    for (const item of await expand([fixture('logs', 'tree')])) {
      if (isProblem(item)) assert.fail(item.message);
      const stream = await item.open(() => {}).catch((err: NodeJS.ErrnoException) => err);
      if (stream instanceof Error) { firstLines.push(`${stream.code}: ${stream.message}`); continue; }
      firstLines.push((await allLines(stream))[0]?.slice(0, 15) ?? '(empty)');
    }
    assert.deepEqual(firstLines, [
      'Nov  1 06:25:01',
      'Nov  8 00:00:01',
      'Nov 15 08:12:40',
      'Nov 22 10:01:44',
      '(empty)',
      '203.0.113.45 - ',
      '192.0.2.10 - - ',
      `BINARY: skipped binary file ${fixture('logs', 'tree', 'wtmp')}`,
    ]);
  });

  it('names a file as given, relative to io.cwd, with its absolute path', async () => {
    const [src] = await expand(['auth.log.1'], { cwd: fixture('logs', 'tree') });
    assert.ok(src !== undefined && !isProblem(src));
    assert.equal(src.name, 'auth.log.1');
    assert.equal(src.path, fixture('logs', 'tree', 'auth.log.1'));
    assert.equal(src.size, 631);
  });

  it('reads only the top level when recursive is false', async () => {
    assert.deepEqual(show(await expand(['tree/'], { cwd: fixture('logs'), recursive: false })), [
      'tree/auth.log.3.gz', 'tree/auth.log.2.gz', 'tree/auth.log.1', 'tree/auth.log', 'tree/kern.log', 'tree/wtmp',
    ]);
  });
});

describe('expandInputs: dated rotation and symlinks', () => {
  it('orders dated rotations oldest first', async () => {
    tree(join(dir, 'dated'), {
      'access.log': 'c\n', 'access.log-20261120': 'b\n', 'access.log-20261119.gz': gzipSync('a\n'), 'error.log': 'e\n',
    });
    assert.deepEqual(show(await expand(['dated'], { cwd: dir })), [
      'dated/access.log-20261119.gz', 'dated/access.log-20261120', 'dated/access.log', 'dated/error.log',
    ]);
  });

  it('survives a symlink loop and reads a file reached through two links once', async () => {
    const root = tree(join(dir, 'loop'), { 'sub/app.log': 'x\n', 'real.log': 'y\n' });
    symlinkSync('..', join(root, 'sub', 'up')); // loop/sub/up -> loop
    symlinkSync(root, join(root, 'sub', 'again')); // absolute link to the same directory
    symlinkSync('real.log', join(root, 'alias.log'));
    symlinkSync('self', join(root, 'self')); // a link to itself
    symlinkSync('nowhere.log', join(root, 'dangling.log'));
    assert.deepEqual(show(await expand(['loop'], { cwd: dir })), [
      'loop/alias.log', // real.log through its link, found first; real.log itself is not read again
      '!warning skipped loop/dangling.log: broken symbolic link',
      '!warning skipped loop/self: too many levels of symbolic links',
      'loop/sub/app.log',
    ]);
  });

  it('reads a file named twice, or named and found in a directory, once', async () => {
    tree(join(dir, 'twice'), { 'a.log': 'a\n' });
    assert.deepEqual(show(await expand(['twice/a.log', 'twice', join(dir, 'twice', 'a.log')], { cwd: dir })), ['twice/a.log']);
  });

  it('follows a symlink to a directory named on the command line', async () => {
    tree(join(dir, 'target'), { 'x.log': 'x\n' });
    symlinkSync(join(dir, 'target'), join(dir, 'link-to-target'));
    assert.deepEqual(show(await expand(['link-to-target'], { cwd: dir })), ['link-to-target/x.log']);
  });
});

describe('expandInputs: problems', () => {
  it('reports a missing path as an error and goes on with the other inputs', async () => {
    const items = await expand(['nope.log', 'fixtures/logs/tree/auth.log']);
    assert.deepEqual(items[0], { source: 'nope.log', message: 'cannot read nope.log: no such file or directory', code: 'ENOENT', level: 'error' });
    assert.deepEqual(show(items.slice(1)), ['fixtures/logs/tree/auth.log']);
  });

  it('skips a file whose name is not valid UTF-8, with a warning', async () => {
    const root = join(dir, 'badname');
    mkdirSync(root);
    writeFileSync(Buffer.concat([Buffer.from(root + '/caf'), Buffer.from([0xe9]), Buffer.from('.log')]), 'x\n');
    writeFileSync(join(root, 'ok.log'), 'ok\n');
    assert.deepEqual(show(await expand(['badname'], { cwd: dir })), ['!warning skipped badname/caf\ufffd.log: file name is not valid UTF-8', 'badname/ok.log']);
  });

  it('reads a FIFO named explicitly, and skips one found in a walk with a warning', async () => {
    const root = join(dir, 'fifo');
    mkdirSync(root);
    execFileSync('mkfifo', [join(root, 'pipe')]);
    writeFileSync(join(root, 'z.log'), 'z\n');
    assert.deepEqual(show(await expand(['fifo'], { cwd: dir })), ['!warning skipped fifo/pipe: not a regular file (named pipe)', 'fifo/z.log']);
    const [src] = await expand(['fifo/pipe'], { cwd: dir });
    assert.ok(src !== undefined && !isProblem(src));
    assert.deepEqual({ name: src.name, size: src.size, mtime: src.mtime }, { name: 'fifo/pipe', size: null, mtime: null });
    createWriteStream(join(root, 'pipe')).end('from a pipe\n');
    assert.deepEqual(await allLines(await src.open(() => {})), ['from a pipe']);
  });

  it('skips a socket in a walk (warning) and refuses one named explicitly (error)', async () => {
    const root = join(dir, 'sock');
    mkdirSync(root);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(root, 'app.sock'), resolve));
    try {
      assert.deepEqual(show(await expand(['sock', 'sock/app.sock'], { cwd: dir })), [
        '!warning skipped sock/app.sock: not a regular file (socket)',
        '!error cannot read sock/app.sock: not a regular file (socket)',
      ]);
    } finally {
      server.close();
    }
  });

  it('reports an unreadable file and directory as errors (as root: checked in a child running as nobody)', async (t) => {
    const root = tree(join(dir, 'perm'), { 'open.log': 'ok\n', 'secret.log': 'no\n', 'private/inner.log': 'no\n' });
    // The named file's error is reported once: the walk then finds the same file and passes over it.
    const expected = [
      '!error cannot read perm/secret.log: permission denied',
      'perm/open.log',
      '!error cannot read perm/private: permission denied',
    ];
    if (process.getuid?.() !== 0) {
      chmodSync(join(root, 'secret.log'), 0o000);
      chmodSync(join(root, 'private'), 0o000);
      assert.deepEqual(show(await expand(['perm/secret.log', 'perm'], { cwd: dir })), expected);
      return;
    }
    // Root reads 0000 files, so run the same expansion as an unprivileged user, in a child process.
    chmodSync(dir, 0o755);
    chmodSync(join(root, 'secret.log'), 0o600);
    chmodSync(join(root, 'private'), 0o700);
    const moduleUrl = new URL('../../src/sources/expand.js', import.meta.url).href;
    const script = `import { expandInputs, isProblem } from ${JSON.stringify(moduleUrl)};
      const out = [];
      for await (const x of expandInputs(['perm/secret.log', 'perm'], { cwd: ${JSON.stringify(dir)}, in: process.stdin })) {
        out.push(isProblem(x) ? '!' + x.level + ' ' + x.message : x.name);
      }
      process.stdout.write(JSON.stringify(out));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, cwd: '/', encoding: 'utf8' });
    if (child.error !== undefined || child.status !== 0) {
      t.skip(`cannot run a child as nobody here: ${child.error?.message ?? child.stderr.split('\n')[0]}`);
      return;
    }
    assert.deepEqual(JSON.parse(child.stdout), expected);
  });
});

describe('expandInputs: standard input', () => {
  it("reads '-' from io.in, gunzipping by magic bytes", async () => {
    const items = await expand(['-'], { stdin: gzipSync('Nov 25 23:59:59 web-01 sshd[17620]: Accepted publickey for root\n') });
    assert.equal(items.length, 1);
    const src = items[0] as Source;
    assert.deepEqual({ name: src.name, path: src.path, size: src.size, mtime: src.mtime }, { name: '(stdin)', path: null, size: null, mtime: null });
    assert.deepEqual(await allLines(await src.open(() => {})), ['Nov 25 23:59:59 web-01 sshd[17620]: Accepted publickey for root']);
    await assert.rejects(src.open(() => {}), /only be read once/);
  });

  it("reads '-' once when named twice, with a warning", async () => {
    assert.deepEqual(show(await expand(['-', '-'], { stdin: 'x\n' })), ['(stdin)', "!warning standard input ('-') named more than once: read once"]);
  });

  it('yields nothing for an empty input list', async () => {
    assert.deepEqual(await expand([]), []);
  });
});
