// readLines' beforeChunk: reading pauses between chunks while the hook's promise is pending (output backpressure).
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { readLines } from '../../src/sources/lines.js';

describe('readLines: beforeChunk', () => {
  it('delivers no line of the next chunk until the pause settles, then every line in order', async () => {
    const got: string[] = [];
    let release: () => void = () => {};
    let asked = 0;
    const beforeChunk = (): Promise<void> | null => {
      asked++;
      if (asked !== 1) return null;
      return new Promise<void>((resolve) => { release = resolve; });
    };
    const input = Readable.from([Buffer.from('a\nb\n'), Buffer.from('c\nd\n'), Buffer.from('e\n')]);
    const reading = readLines(input, { maxLineBytes: 100, beforeChunk }, (line) => got.push(line));
    for (let i = 0; i < 5; i++) await nextTurn();
    assert.deepEqual(got, ['a', 'b'], 'paused after the first chunk');
    assert.equal(asked, 1);
    release();
    await reading;
    assert.deepEqual(got, ['a', 'b', 'c', 'd', 'e']);
    assert.equal(asked, 3, 'asked once per chunk');
  });
});
