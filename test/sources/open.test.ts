// openPath / openBytes: gzip by magic bytes, binary refusal, UTF-16, byte counting, damaged gzip, files that change.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readlinkSync, realpathSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readLines } from '../../src/sources/lines.js';
import { openBytes, openPath, READ_CHUNK } from '../../src/sources/open.js';
import { problemFromError } from '../../src/sources/problem.js';
import { fixture } from '../helpers/paths.js';
import { allLines, linesUntilError, scratchDir } from './support.js';

const dir = scratchDir('open');
const AUTH = [
  'Nov 22 10:01:44 web-01 sshd[15020]: Accepted password for deploy from 198.51.100.7 port 40188 ssh2',
  'Nov 23 02:11:09 web-01 sshd[16634]: Invalid user test from 2001:db8:ffff::beef port 58001',
];
const AUTH_TEXT = AUTH.join('\n') + '\n';

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** n numbered lines, as text, with enough variety that gzip output is long. */
function numbered(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Nov 24 18:44:${String(i % 60).padStart(2, '0')} web-01 sshd[${1000 + i}]: Failed password for root from 192.0.2.${i % 250} port ${30000 + ((i * 7919) % 30000)} ssh2`);
}

async function readPath(path: string): Promise<{ lines: string[]; bytes: number }> {
  let bytes = 0;
  const stream = await openPath(path, path, (n) => { bytes += n; });
  return { lines: await allLines(stream), bytes };
}

describe('openPath: text and gzip', () => {
  it('reads a plain file and counts its bytes', async () => {
    const got = await readPath(file('auth.log', AUTH_TEXT));
    assert.deepEqual(got, { lines: AUTH, bytes: 189 });
  });

  it('gunzips a gzip file and counts the compressed bytes', async () => {
    const gz = gzipSync(AUTH_TEXT);
    const got = await readPath(file('auth.log.2.gz', gz));
    assert.deepEqual(got.lines, AUTH);
    assert.equal(got.bytes, gz.length);
  });

  it('reads every member of a concatenated gzip', async () => {
    const got = await readPath(file('cat.gz', Buffer.concat([gzipSync(AUTH[0] + '\n'), gzipSync(AUTH[1] + '\n'), gzipSync('third\n')])));
    assert.deepEqual(got.lines, [...AUTH, 'third']);
  });

  it('reads gzip by its magic bytes whatever the name, and a .gz name on plain text as text', async () => {
    assert.deepEqual((await readPath(file('auth.log.1', gzipSync(AUTH_TEXT)))).lines, AUTH);
    assert.deepEqual((await readPath(file('plain.log.gz', AUTH_TEXT))).lines, AUTH);
  });

  it('reads the rotated gzip fixture', async () => {
    const got = await readPath(fixture('logs', 'tree', 'auth.log.2.gz'));
    assert.equal(got.lines.length, 8);
    assert.equal(got.lines[0], 'Nov  8 00:00:01 web-01 CRON[3310]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)');
    assert.equal(got.bytes, 372);
  });

  it('reads an empty file and a one-byte file that starts like gzip as text', async () => {
    assert.deepEqual(await readPath(file('empty.log', '')), { lines: [], bytes: 0 });
    assert.deepEqual((await readPath(file('one', Buffer.from([0x1f])))).lines, ['\u001f']);
  });

  it('rejects a missing file with ENOENT', async () => {
    await assert.rejects(openPath(join(dir, 'nope.log'), 'nope.log', () => {}), { code: 'ENOENT' });
  });
});

describe('openPath: damaged gzip', () => {
  const lines = numbered(20000);
  const gz = gzipSync(lines.join('\n') + '\n');

  it('truncated: delivers the lines before the damage, then fails with Z_BUF_ERROR', async () => {
    const path = file('truncated.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const got = await linesUntilError(await openPath(path, 'truncated.gz', () => {}));
    assert.ok(got.lines.length > 1000 && got.lines.length < 20000, `read ${got.lines.length} lines`);
    assert.deepEqual(got.lines, lines.slice(0, got.lines.length));
    assert.equal((got.error as NodeJS.ErrnoException).code, 'Z_BUF_ERROR');
    assert.deepEqual(problemFromError('truncated.gz', got.error), {
      source: 'truncated.gz', message: 'cannot read truncated.gz: truncated gzip data', code: 'Z_BUF_ERROR', level: 'error',
    });
  });

  it('corrupt in the middle: delivers the lines before the damage, then fails with Z_DATA_ERROR', async () => {
    const bad = Buffer.from(gz);
    for (let i = Math.floor(bad.length / 2); i < Math.floor(bad.length / 2) + 64; i++) bad[i] = 0x55;
    const got = await linesUntilError(await openPath(file('corrupt.gz', bad), 'corrupt.gz', () => {}));
    // Deflate may decode damaged bits into garbage for a while before it (or the CRC at the end) notices: only the
    // text before the damage is guaranteed, which is about the first half.
    assert.ok(got.lines.length > 5000, `read ${got.lines.length} lines`);
    assert.deepEqual(got.lines.slice(0, 5000), lines.slice(0, 5000));
    assert.equal((got.error as NodeJS.ErrnoException).code, 'Z_DATA_ERROR');
    assert.equal(problemFromError('corrupt.gz', got.error).message, 'cannot read corrupt.gz: corrupt gzip data');
  });

  it('corrupt header: open() itself rejects', async () => {
    const path = file('header.gz', Buffer.from([0x1f, 0x8b, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x0a]));
    await assert.rejects(openPath(path, 'header.gz', () => {}), { code: 'Z_DATA_ERROR' });
  });
});

describe('openPath: binary and UTF-16', () => {
  it('refuses the wtmp fixture with code BINARY; the problem is a warning', async () => {
    const err = await openPath(fixture('logs', 'tree', 'wtmp'), 'wtmp', () => {}).then(() => null, (e: unknown) => e);
    assert.equal((err as NodeJS.ErrnoException).code, 'BINARY');
    assert.equal((err as Error).message, 'skipped binary file wtmp');
    assert.deepEqual(problemFromError('wtmp', err), { source: 'wtmp', message: 'skipped binary file wtmp', code: 'BINARY', level: 'warning' });
  });

  it('stops reading a large binary file after its first chunk', async () => {
    const path = file('big.bin', Buffer.alloc(8 * READ_CHUNK));
    let bytes = 0;
    await assert.rejects(openPath(path, 'big.bin', (n) => { bytes += n; }), { code: 'BINARY' });
    assert.ok(bytes <= READ_CHUNK, `read ${bytes} bytes`);
  });

  it('refuses gzipped binary content', async () => {
    await assert.rejects(openPath(file('wtmp.1.gz', gzipSync(Buffer.alloc(2000))), 'wtmp.1.gz', () => {}), { code: 'BINARY' });
  });

  it('reads a file whose first NUL comes after 8 KiB as text', async () => {
    const text = 'a'.repeat(8191) + '\n' + 'b\u0000c\n';
    assert.deepEqual((await readPath(file('late-nul.log', text))).lines, ['a'.repeat(8191), 'b\u0000c']);
    await assert.rejects(openPath(file('early-nul.log', 'a'.repeat(7000) + '\u0000'.repeat(1200) + '\n'), 'x', () => {}), { code: 'BINARY' });
  });

  it('reads UTF-16 with a byte-order mark (LE and BE) as text', async () => {
    const text = 'Event 4625 Anmeldung fehlgeschlagen: Jürgen\r\nzweite Zeile\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    assert.deepEqual((await readPath(file('le.log', le))).lines, ['Event 4625 Anmeldung fehlgeschlagen: Jürgen', 'zweite Zeile']);
    assert.deepEqual((await readPath(file('be.log', be))).lines, ['Event 4625 Anmeldung fehlgeschlagen: Jürgen', 'zweite Zeile']);
  });

  it('refuses UTF-16 without a byte-order mark as binary (as grep does)', async () => {
    await assert.rejects(openPath(file('nobom.log', Buffer.from('hello\n', 'utf16le')), 'nobom.log', () => {}), { code: 'BINARY' });
  });
});

describe('openBytes: other streams', () => {
  it('sniffs a stream that arrives one byte at a time', async () => {
    const gz = gzipSync(AUTH_TEXT);
    const bytes = [...gz].map((b) => Buffer.from([b]));
    let counted = 0;
    const lines = await allLines(await openBytes(Readable.from(bytes), 'stdin', (n) => { counted += n; }));
    assert.deepEqual(lines, AUTH);
    assert.equal(counted, gz.length);
  });

  it('reads a named pipe', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    writer.end(AUTH_TEXT);
    assert.deepEqual(await allLines(await openPath(fifo, 'pipe', () => {})), AUTH);
  });
});

describe('openPath: a file known to be regular (opened with a synchronous call)', () => {
  const fds = (): number => readdirSync('/proc/self/fd').length;

  it('reads plain and gzip files as the promise open does, and leaves no descriptor open', async () => {
    const plain = file('known.log', AUTH_TEXT);
    const gz = file('known.log.1.gz', gzipSync(AUTH_TEXT));
    const before = fds();
    for (const path of [plain, gz]) {
      let bytes = 0;
      const lines = await allLines(await openPath(path, path, (n) => { bytes += n; }, READ_CHUNK, true));
      assert.deepEqual({ lines, bytes }, await readPath(path));
    }
    // a stream dropped before its first read closes its file too
    (await openPath(plain, 'known.log', () => {}, READ_CHUNK, true)).destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fds(), before);
  });

  it('does not wait for a writer when a FIFO took the file\'s place: it is opened the other way', () => {
    // In a process of its own: an open that waited for a writer would block the whole thread (no timer could end
    // the test), so the child is killed after 10 s and the test fails.
    const fifo = join(dir, 'swapped');
    execFileSync('mkfifo', [fifo]);
    const script = `
      const { openPath, READ_CHUNK } = await import(${JSON.stringify(new URL('../../src/sources/open.js', import.meta.url).href)});
      const { createWriteStream } = await import('node:fs');
      const fifo = process.argv[1];
      const opening = openPath(fifo, 'swapped', () => {}, READ_CHUNK, true);
      setTimeout(() => createWriteStream(fifo).end('written after the open\\n'), 50);
      let text = '';
      for await (const chunk of await opening) text += chunk;
      process.stdout.write(text);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, fifo], { timeout: 10_000, encoding: 'utf8' });
    assert.equal(out, 'written after the open\n');
  });
});

describe('openPath: files that change while read', () => {
  it('ends quietly when the file shrinks during the read', async () => {
    const all = numbered(60000); // ~5.5 MB: many chunks
    const path = file('shrinks.log', all.join('\n') + '\n');
    const stream = await openPath(path, 'shrinks.log', () => {});
    truncateSync(path, 1000);
    const lines = await allLines(stream);
    assert.ok(lines.length < 60000, `read ${lines.length} lines`);
    assert.deepEqual(lines.slice(0, 5), all.slice(0, 5));
  });

  it('reads on when the file grows during the read', async () => {
    const path = file('grows.log', numbered(30000).join('\n') + '\n');
    const stream = await openPath(path, 'grows.log', () => {});
    writeFileSync(path, 'appended\n', { flag: 'a' });
    const lines = await allLines(stream);
    assert.ok(lines.length === 30000 || lines.length === 30001, `read ${lines.length} lines`);
  });
});

describe('openPath: a plain regular file is read into a few reused buffers', () => {
  it('hands on every line intact across many reads, while the reader pauses between chunks', async () => {
    // 4 KiB reads over ~450 KiB: the reader's four buffers are each reused ~25 times; a chunk overwritten before it
    // was split would garble or lose lines.
    const lines = numbered(4000).map((l, i) => `${l} #${i} ${'é'.repeat(i % 7)}`);
    const path = file('reused.log', lines.join('\n') + '\n');
    let bytes = 0;
    const stream = await openPath(path, path, (n) => { bytes += n; }, 4096);
    const got: string[] = [];
    let chunks = 0;
    await readLines(stream, { maxLineBytes: 1 << 16, beforeChunk: () => (++chunks % 3 === 0 ? new Promise((r) => setTimeout(r, 1)) : null) }, (line) => {
      got.push(line);
    });
    assert.ok(chunks > 100, `${chunks} chunks`);
    assert.deepEqual(got, lines);
    assert.equal(bytes, Buffer.byteLength(lines.join('\n') + '\n'));
  });

  it('closes the file when the stream is destroyed before its first read', { skip: !existsSync('/proc/self/fd') }, async () => {
    const path = file('closed.log', AUTH_TEXT);
    const real = realpathSync(path);
    // The descriptors open on this very file: counting all of the process's would also count those that earlier
    // tests' streams are still closing (a count off by one under load).
    const open = (): number => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === real;
      } catch {
        return false; // closed since the listing
      }
    }).length;
    assert.equal(open(), 0);
    const stream = await openPath(path, path, () => {});
    assert.equal(open(), 1);
    await new Promise<void>((resolve) => {
      stream.once('close', () => setImmediate(resolve));
      stream.destroy();
    });
    for (let i = 0; i < 50 && open() !== 0; i++) await new Promise((r) => setTimeout(r, 10)); // closed asynchronously
    assert.equal(open(), 0);
  });
});
