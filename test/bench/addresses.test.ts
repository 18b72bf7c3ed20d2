// Tests for the benchmark's address sequence and the seeded generator it draws with.
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { test } from 'node:test';
import { AddressPool, distinctAddress } from './addresses.js';
import { Prng, Weighted } from './prng.js';

test('distinctAddress never repeats over the first 1,000,000 indexes (the distinct corpus of issue 6)', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1_000_000; i++) seen.add(distinctAddress(i));
  assert.equal(seen.size, 1_000_000);
});

test('distinctAddress gives valid public-looking addresses, one in ten IPv6 in canonical form', () => {
  const reserved = new Set([0, 10, 100, 127, 169, 172, 192, 198, 203]);
  let v6 = 0;
  for (let i = 0; i < 10_000; i++) {
    const a = distinctAddress(i);
    const family = isIP(a);
    assert.notEqual(family, 0, a);
    if (family === 6) {
      v6++;
      assert.match(a, /^[0-9a-f]{1,4}(:[0-9a-f]{1,4}){3}::[0-9a-f]{1,4}$/);
      assert.doesNotMatch(a, /(^|:)0+(:|$)/, 'no zero group next to ::, so the text is canonical');
      continue;
    }
    const octets = a.split('.').map(Number);
    assert.ok(!reserved.has(octets[0]!) && octets[0]! <= 223, a);
    assert.ok(octets[3]! >= 1 && octets[3]! <= 254, a);
  }
  assert.equal(v6, 1000);
});

test('the first addresses are fixed across machines', () => {
  // Written out from a run on the reference machine: if these change, corpora change and --keep must not reuse them.
  assert.equal(distinctAddress(0), '109.0.140.42');
  assert.equal(distinctAddress(1), '60.158.195.163');
  assert.equal(distinctAddress(9), '2a01:4f8:303a:1::45e');
});

test('AddressPool draws skewed: the first tenth of the pool gets most draws', () => {
  const rng = new Prng(7);
  const pool = new AddressPool(1000, 0, 3);
  let head = 0;
  for (let i = 0; i < 10_000; i++) if (pool.index(rng) < 100) head++;
  // P(u^3 < 0.1) = 0.1^(1/3) = 0.464
  assert.ok(head > 4300 && head < 5000, String(head));
});

test('Prng: the same seed gives the same sequence, another seed another one', () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const c = new Prng(43);
  const xs = Array.from({ length: 5 }, () => a.u32());
  assert.deepEqual(Array.from({ length: 5 }, () => b.u32()), xs);
  assert.notDeepEqual(Array.from({ length: 5 }, () => c.u32()), xs);
});

test('Prng: int, range and hex stay in bounds', () => {
  const rng = new Prng(1);
  for (let i = 0; i < 10_000; i++) {
    const n = rng.int(7);
    assert.ok(Number.isInteger(n) && n >= 0 && n < 7);
    const r = rng.range(3, 5);
    assert.ok(r >= 3 && r <= 5);
  }
  assert.match(rng.hex(32), /^[0-9a-f]{32}$/);
});

test('Weighted picks in proportion to the weights', () => {
  const rng = new Prng(3);
  const w = new Weighted([['a', 1], ['b', 3]] as const);
  let b = 0;
  for (let i = 0; i < 20_000; i++) if (w.pick(rng) === 'b') b++;
  assert.ok(b > 14_600 && b < 15_400, String(b));
});
