// openRange / openPath: the read buffers a closed stream gives back are reused by the next stream, never by two open
// streams at once (a file read in blocks opens one range per 4 MB on each thread).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { openPath, openRange, READ_CHUNK } from '../../src/sources/open.js';
import { scratchDir } from './support.js';

const dir = scratchDir('ring');

/** ~3.6 MB of distinct lines: every 256 KiB read of it differs from every other. */
const TEXT = Buffer.from(Array.from({ length: 40000 }, (_, i) =>
  `Nov 24 18:44:${String(i % 60).padStart(2, '0')} web-01 sshd[${1000 + i}]: Failed password for u${i} from 192.0.2.${i % 250} port ${30000 + i}\n`).join(''));
const PATH = join(dir, 'ring.log');
writeFileSync(PATH, TEXT);

/** Every chunk of a stream checked against the file's bytes at its offset, as it arrives; the bytes counted. */
async function readChecked(stream: Readable, start: number, counted: () => number): Promise<number> {
  let at = start;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    assert.ok(chunk.equals(TEXT.subarray(at, at + chunk.length)), `bytes at ${at}`);
    at += chunk.length;
  }
  assert.equal(counted(), at - start);
  return at;
}

function range(start: number, end: number | null): { stream: Readable; counted: () => number } {
  let bytes = 0;
  return { stream: openRange(PATH, start, end, (n) => { bytes += n; }), counted: () => bytes };
}

describe('read buffers reused from stream to stream', () => {
  it('blocks read one after another get every byte of their range', async () => {
    const cuts = [0, 1_200_000, 2_400_000, TEXT.length];
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k + 1 < cuts.length; k++) {
        const r = range(cuts[k]!, k + 2 === cuts.length ? null : cuts[k + 1]!);
        assert.equal(await readChecked(r.stream, cuts[k]!, r.counted), cuts[k + 1]);
      }
    }
  });

  it('two ranges open at once, read in turns, never share a buffer', async () => {
    const first = range(0, 1_500_000); // leaves its buffers behind for the next stream
    await readChecked(first.stream, 0, first.counted);
    const a = range(0, 1_500_000);
    const b = range(1_500_000, 3_000_000);
    const ia = (a.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const ib = (b.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let atA = 0;
    let atB = 1_500_000;
    let reads = 0;
    for (;;) {
      const ra = await ia.next();
      const rb = await ib.next();
      // Each chunk is checked only after the other stream read on: had they the same buffers, it would be overwritten.
      if (ra.done !== true) {
        assert.ok(ra.value.equals(TEXT.subarray(atA, atA + ra.value.length)), `a at ${atA}`);
        atA += ra.value.length;
      }
      if (rb.done !== true) {
        assert.ok(rb.value.equals(TEXT.subarray(atB, atB + rb.value.length)), `b at ${atB}`);
        atB += rb.value.length;
      }
      if (ra.done === true && rb.done === true) break;
      reads++;
    }
    assert.equal(atA, 1_500_000);
    assert.equal(atB, 3_000_000);
    assert.ok(reads >= 5, `${reads} reads`);
  });

  it('a stream destroyed half-way gives its buffers back only once closed; the next one reads right', async () => {
    const r = range(0, null);
    const it = (r.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const one = await it.next();
    assert.equal(one.value!.length, READ_CHUNK);
    await new Promise<void>((resolve) => {
      r.stream.once('close', () => resolve());
      r.stream.destroy();
    });
    const next = range(READ_CHUNK, 2_000_000);
    await readChecked(next.stream, READ_CHUNK, next.counted);
    let bytes = 0;
    const whole = await openPath(PATH, PATH, (n) => { bytes += n; });
    assert.equal(await readChecked(whole, 0, () => bytes), TEXT.length);
  });
});
