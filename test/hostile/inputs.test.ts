// Hostile bytes and files: invalid UTF-8, NULs, binary files, line endings, empty files, damaged or misnamed gzip,
// and a filesystem that fights back (missing, unreadable, loops, FIFOs, sockets, very many files).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { SSHD, eventsOf, put, run, scratch, spawnCli, summaryOf } from './helpers.js';

const dir = scratch('inputs');
const users = (out: string): unknown[] => eventsOf(out).map((e) => e['user']);

describe('bytes', () => {
  it('invalid UTF-8, a NUL, CRLF, a lone CR and no final newline: every line read, the file not skipped as binary', async () => {
    const bytes = Buffer.concat([
      Buffer.from(SSHD('crlf') + '\r\n'),
      Buffer.from(SSHD('bad') .replace('bad', 'b\xff\xfead'), 'latin1'), Buffer.from('\n'),
      Buffer.from(SSHD('nul\u0000x') + '\n'),
      Buffer.from(SSHD('lastline')), // no final newline
    ]);
    const r = await run(['scan', '--json', put(dir, 'mixed.log', bytes)]);
    assert.deepEqual(users(r.out), ['crlf', 'b\ufffd\ufffdad', 'nul\u0000x', 'lastline']);
    const s = summaryOf(r.out);
    assert.equal(s.totals.lines, 4);
    assert.deepEqual(s.problems, []);
  });

  it('a real binary file is reported as a warning and not parsed', async () => {
    const wtmpLike = Buffer.alloc(384 * 10);
    wtmpLike.write('pts/0', 8);
    wtmpLike.write(SSHD('ghost'), 44); // text inside binary must not become events
    const r = await run(['scan', '--json', put(dir, 'wtmp', wtmpLike)]);
    assert.deepEqual(eventsOf(r.out), []);
    assert.deepEqual(summaryOf(r.out).problems.map((p) => [p.code, p.level]), [['BINARY', 'warning']]);
    assert.equal(r.code, 0);
  });

  it('an empty file is read as zero lines', async () => {
    const r = await run(['scan', '--json', put(dir, 'empty.log', '')]);
    assert.equal(summaryOf(r.out).totals.lines, 0);
    assert.equal(r.code, 0);
  });
});

describe('gzip', () => {
  const lines = Array.from({ length: 3000 }, (_, i) => SSHD(`u${i}`)).join('\n') + '\n';
  const gz = gzipSync(lines);

  it('a truncated .gz: the lines before the damage count, the problem is an error (exit 2)', async () => {
    const r = await run(['scan', '--json', put(dir, 'trunc.gz', gz.subarray(0, Math.floor(gz.length / 2)))]);
    const s = summaryOf(r.out);
    assert.ok(s.totals.lines > 0 && s.totals.lines < 3000, `${s.totals.lines} lines`);
    assert.deepEqual(s.problems.map((p) => p.code), ['Z_BUF_ERROR']);
    assert.equal(r.code, 2);
  });

  it('a corrupt .gz is an error and the scan goes on to the next file', async () => {
    const bad = Buffer.from(gz);
    bad.fill(0xff, 200, 260);
    const r = await run(['scan', '--json', put(dir, 'corrupt.gz', bad), put(dir, 'after.log', SSHD('after') + '\n')]);
    const s = summaryOf(r.out);
    assert.deepEqual(s.problems.map((p) => p.code), ['Z_DATA_ERROR']);
    assert.ok(users(r.out).includes('after'));
    assert.equal(r.code, 2);
  });

  it('concatenated members are all read', async () => {
    const r = await run(['scan', '--json', put(dir, 'cat.gz', Buffer.concat([gzipSync(SSHD('one') + '\n'), gzipSync(SSHD('two') + '\n')]))]);
    assert.deepEqual(users(r.out), ['one', 'two']);
  });

  it('a .gz name on a plain file, and gzip under a .log name: content decides', async () => {
    const r = await run(['scan', '--json', put(dir, 'plain.gz', SSHD('plain') + '\n'), put(dir, 'zipped.log', gzipSync(SSHD('zipped') + '\n'))]);
    assert.deepEqual(users(r.out), ['plain', 'zipped']);
    assert.equal(r.code, 0);
  });
});

describe('filesystem', () => {
  it('a missing path is one error line and exit 2; the other inputs are still read', async () => {
    const r = await run(['scan', '--json', join(dir, 'nope.log'), put(dir, 'here.log', SSHD('here') + '\n')]);
    assert.deepEqual(users(r.out), ['here']);
    assert.match(r.err, /^audit: cannot read .*nope\.log: no such file or directory$/m);
    assert.equal(r.code, 2);
  });

  it('permission denied (run as nobody) is an error, not a crash', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to run the child as nobody');
    const d = join(dir, 'perm');
    mkdirSync(d);
    chmodSync(dir, 0o755);
    const locked = put(d, 'secret.log', SSHD('secret') + '\n');
    chmodSync(locked, 0o000);
    const r = spawnCli(['scan', '--json', d], { uid: 65534, gid: 65534, cwd: '/' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^audit: cannot read .*secret\.log: permission denied/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.deepEqual(summaryOf(r.stdout).problems.map((p) => p.code), ['EACCES']);
  });

  it('symlink loops end, and each file is read once', async () => {
    const d = join(dir, 'loops');
    mkdirSync(join(d, 'a', 'b'), { recursive: true });
    put(d, 'a/b/x.log', SSHD('once') + '\n');
    symlinkSync('..', join(d, 'a', 'b', 'up'));
    symlinkSync(d, join(d, 'a', 'root'));
    symlinkSync('self', join(d, 'self'));
    const r = await run(['scan', '--json', d]);
    assert.deepEqual(users(r.out), ['once']);
  });

  it('FIFOs and sockets inside a directory are passed over with a warning, never waited on', async (t) => {
    const d = join(dir, 'special');
    mkdirSync(d);
    put(d, 'ok.log', SSHD('ok') + '\n');
    execFileSync('mkfifo', [join(d, 'pipe')]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(d, 'sock'), resolve));
    t.after(() => server.close());
    const r = await run(['scan', '--json', d]);
    assert.deepEqual(users(r.out), ['ok']);
    assert.deepEqual(summaryOf(r.out).problems.map((p) => [p.code, p.level]), [['NOT_REGULAR', 'warning'], ['NOT_REGULAR', 'warning']]);
  });

  it('5,000 small files: every one read, every line counted', async () => {
    const d = join(dir, 'many');
    mkdirSync(d);
    for (let i = 0; i < 5000; i++) put(d, `f${i}.log`, SSHD(`m${i}`) + '\n');
    assert.equal(readdirSync(d).length, 5000);
    const r = await run(['scan', '--json', '--quiet', d]);
    const s = summaryOf(r.out);
    assert.equal(s.sources.length, 5000);
    assert.equal(s.totals.lines, 5000);
    assert.equal(s.totals.events, 5000);
    assert.equal(statSync(d).isDirectory(), true);
  });
});
