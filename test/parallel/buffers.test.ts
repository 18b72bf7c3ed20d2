// The buffers a thread writes its batches into come back and are used again: after the first few, a scan's threads
// allocate none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BufferPool } from '../../src/parallel/buffers.js';

describe('a thread\'s buffer pool', () => {
  it('gives back the smallest buffer that fits, and makes one (a power of two) only when none does', () => {
    const pool = new BufferPool();
    const small = pool.take(100);
    assert.equal(small.byteLength, 16 * 1024);
    const big = pool.take(100_000);
    assert.equal(big.byteLength, 128 * 1024);
    pool.give(big);
    pool.give(small);
    assert.equal(pool.take(20_000), big, 'the only one large enough');
    pool.give(big);
    assert.equal(pool.take(10), small, 'the smallest of those that fit');
    assert.equal(pool.take(10), big, 'then the larger one');
    assert.equal(pool.take(10).byteLength, 16 * 1024, 'none left: a new one');
  });

  it('keeps no detached buffer (one transferred away)', () => {
    const pool = new BufferPool();
    const b = pool.take(10);
    structuredClone(null, { transfer: [b] });
    pool.give(b);
    assert.notEqual(pool.take(10), b);
  });
});
