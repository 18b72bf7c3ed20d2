// What only a real process shows: `| head -1` (EPIPE), Ctrl-C (SIGINT: partial summary, exit 130), and peak memory
// on a 100 MB line without a newline and on a million distinct addresses and users.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { main } from '../../src/cli.js';
import { memoryIo } from '../helpers/io.js';
import { CHILD_ENV, SSHD, scratch, shellCommand, spawnCli, spawnCliAsync, summaryOf } from './helpers.js';

const dir = scratch('proc');
const PANIC = 'Nov 23 03:14:22 web-01 kernel: Kernel panic - not syncing: Attempted to kill init!';

/** Writes `parts` (strings, or a byte count of filler) to a file without holding it in memory. */
function writeLarge(path: string, parts: (string | number)[]): string {
  const fd = openSync(path, 'w');
  const filler = Buffer.alloc(1 << 20, 'A');
  for (const p of parts) {
    if (typeof p === 'string') writeSync(fd, p);
    else for (let left = p; left > 0; left -= filler.length) writeSync(fd, filler, 0, Math.min(left, filler.length));
  }
  closeSync(fd);
  return path;
}

describe('interrupted before the first bytes (in process)', () => {
  it('Ctrl-C while open() waits for the first 8 KiB of a quiet stdin: partial summary, 130, stdin released', async () => {
    // main() loads the command's module when it runs (src/cli.ts): loaded first, so that the 50 ms below are the
    // scan's, not the import's (a signal before the scan listens would find no one).
    await import('../../src/commands/scan.js');
    const stdin = new PassThrough();
    const signals = new EventEmitter();
    const io = { ...memoryIo(), in: stdin, signals };
    const done = main(['scan', '--no-color', '-'], io);
    stdin.write(PANIC + '\n'); // and never ended
    await new Promise((resolve) => setTimeout(resolve, 50));
    signals.emit('SIGINT');
    assert.equal(await done, 130);
    assert.match(io.stdout(), /^0 lines read/m);
    assert.equal(stdin.destroyed, true);
  });
});

describe('real process', () => {
  it('`audit scan big.log | head -1` ends quietly: no error text, exit 0', () => {
    const big = writeLarge(join(dir, 'fatal.log'), [(PANIC + '\n').repeat(100_000)]);
    const r = spawnSync('bash', ['-c', `${shellCommand(['scan', big])} | head -1; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', env: CHILD_ENV });
    assert.equal(r.stdout, 'Fatal Event: app.fatal [kernel.panic]\n');
    assert.equal(r.stderr, 'status=0\n');
  });

  it('Ctrl-C prints the partial summary and exits 130', { timeout: 30_000 }, async () => {
    // (The same with nothing read yet, while the first bytes of a quiet pipe are awaited, is tested below.)
    const child = spawnCliAsync(['scan', '--no-color', '-'], 'pipe');
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const sawFatal = new Promise<void>((resolve) => child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Fatal Event:')) resolve();
    }));
    // More than the lines held for format detection (1,024); stdin then stays open, as a quiet pipe does.
    child.stdin!.write((SSHD('before') + '\n').repeat(1100) + PANIC + '\n');
    await sawFatal;
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGINT');
    const code = await closed;
    child.stdin!.destroy();
    assert.equal(code, 130);
    assert.match(out, /1,101 lines read: 1,101 parsed, 0 unparsed, 0 skipped, 0 truncated/);
    assert.match(out, /auth\.invalid_user/);
    assert.equal(err, 'audit: interrupted; the summary above covers what was read until then\n');
  });

  it('Ctrl-C while a quiet pipe stays open ends the program with 130 and the partial summary', { timeout: 30_000 }, async () => {
    const child = spawnCliAsync(['scan', '--no-color', '-'], 'pipe');
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Quiet lines (no event), far more than the socket between us buffers: once written, the scan is reading.
    const quiet = 'Nov 23 03:14:22 web-01 systemd[1]: Started Session 1 of User alice.\n'.repeat(60_000);
    await new Promise<void>((resolve) => child.stdin!.write(quiet, () => resolve()));
    child.kill('SIGINT');
    const code = await closed;
    child.stdin!.destroy();
    assert.equal(code, 130);
    assert.match(out, /^[\d,]+ lines read: [\d,]+ parsed, 0 unparsed, 0 skipped, 0 truncated$/m);
  });

  it('a 100 MB line without a newline: bounded memory, counted as truncated, the scan goes on', () => {
    const big = writeLarge(join(dir, 'long.log'), [SSHD('first') + '\n' + 'Nov 23 03:14:22 web-01 sshd[1]: Invalid user ', 100 * 1024 * 1024, '\n' + SSHD('after') + '\n']);
    const tail = writeLarge(join(dir, 'tail.log'), [SSHD('next-file') + '\n', 'x', 100 * 1024 * 1024]); // ends inside the line
    const r = spawnCli(['scan', '--json', big, tail], { time: true });
    assert.equal(r.status, 0, r.stderr);
    const s = summaryOf(r.stdout);
    assert.deepEqual(s.sources.map((x) => [x.lines, x.truncated, x.events]), [[3, 1, 2], [2, 1, 1]]);
    assert.ok(r.rssKb !== null && r.rssKb < 300_000, `peak RSS ${r.rssKb} kB`);
  });

  it('1,000,000 distinct addresses and users: bounded memory, exact line count', () => {
    const path = join(dir, 'million.log');
    const fd = openSync(path, 'w');
    let chunk = '';
    for (let i = 0; i < 1_000_000; i++) {
      chunk += SSHD(`user${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`) + '\n';
      if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ''; }
    }
    writeSync(fd, chunk);
    closeSync(fd);
    const r = spawnCli(['scan', '--quiet', path], { time: true }); // the tables only: 1M NDJSON events is 400 MB
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^1,000,000 lines read: 1,000,000 parsed, 0 unparsed, 0 skipped, 0 truncated$/m);
    assert.match(r.stdout, /^1,000,000 events /m);
    assert.ok(r.rssKb !== null && r.rssKb < 400_000, `peak RSS ${r.rssKb} kB`);
  });
});
