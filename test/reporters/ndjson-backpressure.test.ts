// --json to a slow reader: batches wait for 'drain' instead of piling up, the scan pauses reading, nothing is lost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { FLUSH_AT, createLineWriter } from '../../src/reporters/ndjson.js';
import { memoryIo } from '../helpers/io.js';

/** A Writable that takes each chunk 1 ms later, and records the largest buffer it was ever asked to hold. */
function slowOut(highWaterMark: number): { stream: Writable; text(): string; maxBuffered(): number } {
  const chunks: Buffer[] = [];
  let max = 0;
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, cb): void {
      max = Math.max(max, stream.writableLength);
      chunks.push(chunk);
      setTimeout(cb, 1);
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), maxBuffered: () => max };
}

describe('createLineWriter: backpressure', () => {
  it('queues batches while the stream is blocked, writes them in order on drain, and settles when drained', async () => {
    const out = slowOut(1024);
    const w = createLineWriter(out.stream);
    const line = 'x'.repeat(99) + '\n'; // 100 characters
    assert.equal(w.blocked(), null);
    for (let i = 0; i < 700; i++) w.write(line); // 70,000 characters: the first batch (65,600) goes out
    const blocked = w.blocked();
    assert.notEqual(blocked, null, 'write() said false: blocked');
    assert.equal(w.held(), 4400, 'the rest of the lines, not yet a batch');
    for (let i = 0; i < 700; i++) w.write(line); // the second batch waits in the queue
    assert.equal(out.stream.writableLength, 65600, 'only the first batch reached the stream');
    assert.ok(w.held() >= 65600, 'the second batch is held here');
    await blocked;
    assert.equal(w.blocked(), null);
    await w.drained();
    assert.equal(w.held(), 0);
    assert.equal(out.text(), line.repeat(1400));
    assert.equal(out.maxBuffered(), 65600, 'one batch at a time after drain, never both');
  });

  it('stops waiting and drops the queue when the stream goes away', async () => {
    const out = slowOut(16);
    const w = createLineWriter(out.stream);
    for (let i = 0; i < 2 * FLUSH_AT / 8; i++) w.write('1234567\n');
    const blocked = w.blocked();
    assert.notEqual(blocked, null);
    out.stream.destroy();
    await blocked;
    assert.equal(w.held(), 0);
    assert.equal(w.blocked(), null);
    await w.drained(); // settles: nobody is left to read
  });
});

describe('scan --json: a slow pipe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-bp-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const N = 20000;
  const file = join(dir, 'auth.log');
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    lines.push(`Nov 26 10:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')} srv1 sshd[${1000 + i}]: ` +
      `Failed password for root from 203.0.113.9 port ${10000 + i} ssh2`);
  }
  writeFileSync(file, lines.join('\n') + '\n');

  it('writes every event line, in order, the summary last, and never hands the pipe a large buffer', async () => {
    const out = slowOut(1024);
    const io = { ...memoryIo(), out: out.stream };
    assert.equal(await main(['scan', '--json', file], io), 0);
    const text = out.text();
    const records = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string; line?: number; rule?: string });
    const events = records.filter((r) => r.kind === 'event');
    assert.equal(events.length, N);
    for (let i = 0; i < N; i++) assert.equal(events[i]?.line, i + 1);
    assert.equal(records.at(-1)?.kind, 'summary');
    assert.ok(text.length > 4_000_000, `a large output (${text.length})`);
    // Without backpressure the whole output (> 4 MB) sits in the stream's buffer; with it, a few batches at most.
    assert.ok(out.maxBuffered() <= 1024 * 1024, `largest buffer ${out.maxBuffered()}`);
  });
});
