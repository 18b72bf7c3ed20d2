// readLines: line splitting, endings, length cap, decoding and error behaviour, fed with chosen chunks.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isAscii } from 'node:buffer';
import { cutPieces, readLines } from '../../src/sources/lines.js';

type Got = [line: string, truncated: boolean][];

async function linesOf(chunks: readonly (string | Buffer)[], maxLineBytes = 1024): Promise<Got> {
  const got: Got = [];
  await readLines(Readable.from(chunks.map((c) => Buffer.from(c))), { maxLineBytes }, (line, t) => got.push([line, t]));
  return got;
}

const ok = (...lines: string[]): Got => lines.map((l) => [l, false]);

describe('readLines: splitting', () => {
  it('delivers each line without its newline, and a final line without one', async () => {
    assert.deepEqual(await linesOf(['alpha\nbeta\ngamma']), ok('alpha', 'beta', 'gamma'));
  });

  it('delivers nothing for an empty input, and no extra line after a final newline', async () => {
    assert.deepEqual(await linesOf([]), []);
    assert.deepEqual(await linesOf(['']), []);
    assert.deepEqual(await linesOf(['one\n']), ok('one'));
  });

  it('delivers empty lines in the middle, and a lone newline as one empty line', async () => {
    assert.deepEqual(await linesOf(['a\n\n\nb\n']), ok('a', '', '', 'b'));
    assert.deepEqual(await linesOf(['\n']), ok(''));
  });

  it('strips one trailing \\r: CRLF, mixed endings, a bare \\r inside a line stays', async () => {
    assert.deepEqual(await linesOf(['crlf\r\nlf\nx\ry\r\n\r\n\r\r\nlast\r']), ok('crlf', 'lf', 'x\ry', '', '\r', 'last'));
  });

  it('joins a CRLF split between chunks', async () => {
    assert.deepEqual(await linesOf(['one\r', '\ntwo\r', '\n']), ok('one', 'two'));
  });

  it('joins a line split across chunks at every offset', async () => {
    const text = 'Nov 23 02:11:09 web-01 sshd[16634]: Invalid user test\nsecond line\n';
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 7) {
        const got = await linesOf([text.slice(0, i), text.slice(i, j), text.slice(j)]);
        assert.deepEqual(got, ok('Nov 23 02:11:09 web-01 sshd[16634]: Invalid user test', 'second line'), `cut at ${i},${j}`);
      }
    }
  });

  it('keeps a multi-byte character split across chunks whole', async () => {
    const bytes = Buffer.from('user=José ✓ 😀\n');
    for (let i = 1; i < bytes.length; i++) {
      assert.deepEqual(await linesOf([bytes.subarray(0, i), bytes.subarray(i)]), ok('user=José ✓ 😀'), `cut at ${i}`);
    }
  });

  it('reads a chunk far larger than what it hands split2 at a time, characters straddling the pieces', async () => {
    const line = 'a' + 'é€😀'.repeat(1000); // 9,002 bytes with its newline: 64 KiB falls inside 'é', 128 KiB inside '€'
    const got = await linesOf([Buffer.from(`${line}\n`.repeat(30))], 16 * 1024);
    assert.equal(got.length, 30);
    assert.ok(got.every(([l, t]) => l === line && !t));
  });

  it('cuts large chunks into pieces at newlines, and halves pieces that are not ASCII, without losing a byte', async () => {
    // ~200 KiB: ASCII lines, a few with Latin-1, Cyrillic or emoji characters, a 40 KiB line, CRLF, invalid UTF-8
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const user = i % 397 === 0 ? 'админ' : i % 211 === 0 ? 'tëst' : i % 503 === 0 ? 'x😀' : `user${i}`;
      lines.push(`Mar  2 01:03:39 web-01 sshd[${i}]: Invalid user ${user} from 203.0.113.${i % 250} port ${i}`);
      if (i === 1000) lines.push('L'.repeat(40 * 1024) + 'ж');
    }
    const text = Buffer.concat([Buffer.from(lines.join('\r\n') + '\n'), Buffer.from([0x61, 0xff, 0x0a])]);
    const want = ok(...lines, 'a\ufffd');
    assert.deepEqual(await linesOf([text], 64 * 1024), want);
    const odd: Buffer[] = [];
    for (let i = 0; i < text.length; i += 70001) odd.push(text.subarray(i, i + 70001));
    assert.deepEqual(await linesOf(odd, 64 * 1024), want);
  });

  it('delivers NUL bytes inside lines as U+0000', async () => {
    assert.deepEqual(await linesOf([Buffer.from([0x61, 0x00, 0x62, 0x0a, 0x00, 0x0a])]), ok('a\u0000b', '\u0000'));
  });

  it('replaces invalid UTF-8 with U+FFFD', async () => {
    const bad = Buffer.from([0x66, 0x6f, 0xff, 0x6f, 0x0a, 0xc3, 0x28, 0x0a, 0xe2, 0x82, 0x0a]);
    assert.deepEqual(await linesOf([bad]), ok('fo\ufffdo', '\ufffd(', '\ufffd'));
  });

  it('drops a UTF-8 byte-order mark at the start only', async () => {
    assert.deepEqual(await linesOf(['\ufeffJan  1 00:00:00 h p: m\n\ufeffsecond\n']), ok('Jan  1 00:00:00 h p: m', '\ufeffsecond'));
  });

  it('accepts string chunks', async () => {
    const got: Got = [];
    await readLines(Readable.from(['ab', 'c\nd']), { maxLineBytes: 100 }, (l, t) => got.push([l, t]));
    assert.deepEqual(got, ok('abc', 'd'));
  });
});

describe('cutPieces: what split2 is given', () => {
  const piecesOf = (bytes: Buffer): Buffer[] => {
    const pieces: Buffer[] = [];
    cutPieces(bytes, (p) => pieces.push(p));
    assert.ok(Buffer.concat(pieces).equals(bytes), 'every byte, in order');
    return pieces;
  };
  const lineOf = (i: number, user: string): string => `Mar  2 01:03:39 web-01 sshd[${i}]: Invalid user ${user} from 203.0.113.${i % 250} port ${i}\n`;

  it('cuts at newlines into pieces of at most 32 KiB', () => {
    const text = Buffer.from(Array.from({ length: 3000 }, (_, i) => lineOf(i, `user${i}`)).join(''));
    const pieces = piecesOf(text);
    assert.ok(pieces.length > 1);
    for (const p of pieces) {
      assert.ok(p.length <= 32 * 1024);
      assert.equal(p[p.length - 1], 0x0a);
    }
  });

  it('keeps the lines around sparse characters above U+007F out of pieces that are not ASCII', () => {
    // one line in 40 has a Cyrillic name: every 32 KiB piece and each of its halves hold some
    const lines = Array.from({ length: 4000 }, (_, i) => lineOf(i, i % 40 === 7 ? 'админ' : `user${i}`));
    const pieces = piecesOf(Buffer.from(lines.join('')));
    let linesNotAscii = 0;
    for (const p of pieces) if (!isAscii(p)) linesNotAscii += p.toString().split('\n').length - 1;
    // 100 lines are not ASCII; each sits in a piece of at most 256 bytes (three of these lines) but for a few halves
    assert.ok(linesNotAscii >= 100 && linesNotAscii <= 400, `${linesNotAscii} lines in pieces that are not ASCII`);
  });

  it('does not cut text that is not ASCII throughout below 2 KiB, and cuts only at newlines', () => {
    const text = Buffer.from(Array.from({ length: 2000 }, (_, i) => lineOf(i, `админ${i}`)).join(''));
    const pieces = piecesOf(text);
    assert.ok(pieces.length <= Math.ceil(text.length / 1024), `${pieces.length} pieces`);
    assert.ok(pieces.every((p) => p[p.length - 1] === 0x0a));
  });
});

describe('readLines: the length cap', () => {
  it('passes a line of exactly maxLineBytes, with or without CRLF, untouched', async () => {
    assert.deepEqual(await linesOf(['12345678\n12345678\r\n12345678'], 8), ok('12345678', '12345678', '12345678'));
  });

  it('cuts a longer line to maxLineBytes, once, and goes on with the next line', async () => {
    assert.deepEqual(await linesOf(['short\n123456789abc\nnext\n'], 8), [['short', false], ['12345678', true], ['next', false]]);
  });

  it('cuts a line that is one byte too long, and one followed by \\r then more', async () => {
    assert.deepEqual(await linesOf(['123456789\n12345678\rX\n'], 8), [['12345678', true], ['12345678', true]]);
  });

  it('cuts an over-long final line without a newline', async () => {
    assert.deepEqual(await linesOf(['ok\n0123456789'], 4), [['ok', false], ['0123', true]]);
  });

  it('cuts an over-long line that arrives across many chunks, whatever the chunking', async () => {
    const line = 'x'.repeat(50);
    for (let size = 1; size <= 13; size++) {
      const text = `a\n${line}\nb\n`;
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      assert.deepEqual(await linesOf(chunks, 10), [['a', false], ['x'.repeat(10), true], ['b', false]], `chunks of ${size}`);
    }
  });

  it('never splits a multi-byte character at the cut', async () => {
    // 'é' is 2 bytes, '€' 3, '😀' 4; each starts one byte before the limit of 8
    assert.deepEqual(await linesOf(['1234567é9\n'], 8), [['1234567', true]]);
    assert.deepEqual(await linesOf(['123456€9\n'], 8), [['123456', true]]);
    assert.deepEqual(await linesOf(['12345😀9\n'], 8), [['12345', true]]);
    assert.deepEqual(await linesOf(['123456é9\n'], 8), [['123456é', true]]); // ends exactly at the limit: kept
  });

  it('never splits a multi-byte character at the cut when it straddles chunks', async () => {
    const bytes = Buffer.from('12345😀9\nnext\n');
    for (let i = 1; i < bytes.length; i++) {
      assert.deepEqual(await linesOf([bytes.subarray(0, i), bytes.subarray(i)], 8), [['12345', true], ['next', false]], `cut at ${i}`);
    }
  });

  it('works with a cap of 1 byte', async () => {
    assert.deepEqual(await linesOf(['ab\n\nc\né\n'], 1), [['a', true], ['', false], ['c', false], ['', true]]);
  });

  it('drops the rest of a huge line without a newline while reading on', async () => {
    // 8 MiB in 64 KiB chunks with no newline, then a normal line
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 128; i++) yield chunk;
      yield Buffer.from('\nafter\n');
    }
    const got: Got = [];
    await readLines(Readable.from(source()), { maxLineBytes: 256 }, (l, t) => got.push([l, t]));
    assert.deepEqual(got, [['A'.repeat(256), true], ['after', false]]);
  });
});

describe('readLines: errors', () => {
  it('rejects with the error onLine throws, and stops reading', async () => {
    const boom = new Error('boom');
    const seen: string[] = [];
    const p = readLines(Readable.from([Buffer.from('a\nb\nc\n'), Buffer.from('d\n')]), { maxLineBytes: 100 }, (line) => {
      seen.push(line);
      if (line === 'b') throw boom;
    });
    await assert.rejects(p, (err) => err === boom);
    assert.deepEqual(seen, ['a', 'b']);
  });

  it('delivers the complete lines read before an input error, then rejects with it', async () => {
    const fault = Object.assign(new Error('input/output error'), { code: 'EIO' });
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from('one\ntw');
      yield Buffer.from('o\nthr');
      throw fault;
    }
    const got: string[] = [];
    await assert.rejects(readLines(Readable.from(source()), { maxLineBytes: 100 }, (l) => got.push(l)), (err) => err === fault);
    assert.deepEqual(got, ['one', 'two']);
  });

  it('refuses a cap that is not a positive integer', async () => {
    await assert.rejects(readLines(Readable.from([]), { maxLineBytes: 0 }, () => {}), RangeError);
  });
});
