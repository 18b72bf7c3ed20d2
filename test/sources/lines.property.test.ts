// Property: for any bytes and any chunking, readLines delivers what a plain reference split of the same bytes says.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import fc from 'fast-check';
import { readLines } from '../../src/sources/lines.js';

type Got = [line: string, truncated: boolean][];

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The first `max` bytes, less a multi-byte sequence the limit would split (its lead byte is at most 3 back). */
function cutAt(bytes: Uint8Array, max: number): Uint8Array {
  let end = max;
  for (let back = 1; back <= 3 && max - back >= 0; back++) {
    const b = bytes[max - back]!;
    if (b < 0x80 || b >= 0xf8) break;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > back) end = max - back;
      break;
    }
  }
  return bytes.subarray(0, end);
}

/** Whole input in hand: split on \n, drop the empty piece after a final \n, strip one \r, cut, decode. */
function reference(bytes: Uint8Array, max: number): Got {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) { pieces.push(bytes.subarray(start, i)); start = i + 1; }
  }
  if (start < bytes.length) pieces.push(bytes.subarray(start));
  return pieces.map((piece, i) => {
    const content = piece.length > 0 && piece[piece.length - 1] === 0x0d ? piece.subarray(0, -1) : piece;
    const truncated = content.length > max;
    let line = decoder.decode(truncated ? cutAt(content, max) : content);
    if (i === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    return [line, truncated];
  });
}

// Bytes that matter most, often: newline, CR, NUL, UTF-8 leads and continuations, a BOM, invalid bytes.
const byte = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0x0a, 0x0d, 0x41, 0x20, 0x00, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xef, 0xbb, 0xbf, 0xff) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
);

it('lines delivered = reference split, for any bytes, any chunking, any cap', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(byte, { maxLength: 300 }).map((a) => Uint8Array.from(a)),
      fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 12 }),
      fc.integer({ min: 1, max: 24 }),
      async (bytes, cuts, max) => {
        const points = [...new Set(cuts.filter((c) => c < bytes.length))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(Buffer.from(bytes.subarray(prev, p)));
          prev = p;
        }
        const got: Got = [];
        await readLines(Readable.from(chunks), { maxLineBytes: max }, (line, t) => got.push([line, t]));
        assert.deepEqual(got, reference(bytes, max));
      },
    ),
    { numRuns: 1000 },
  );
});

it('the same with a large cap: nothing is cut, chunking never matters', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(byte, { maxLength: 300 }), fc.array(fc.integer({ min: 1, max: 299 }), { maxLength: 8 }), async (arr, cuts) => {
      const bytes = Uint8Array.from(arr);
      const points = [...new Set(cuts.filter((c) => c < bytes.length))].sort((a, b) => a - b);
      const chunks = [...points, bytes.length].map((p, i, all) => Buffer.from(bytes.subarray(i === 0 ? 0 : all[i - 1]!, p)));
      const got: Got = [];
      await readLines(Readable.from(chunks), { maxLineBytes: 1024 * 1024 }, (line, t) => got.push([line, t]));
      assert.deepEqual(got, reference(bytes, 1024 * 1024));
    }),
    { numRuns: 500 },
  );
});
