import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeySlots } from '../../src/detectors/key-table.js';
import { ITEM_BUDGET, KeyedWindows, type WindowItem } from '../../src/detectors/window.js';

const item = (t: number, value: string | null = null, line = t): WindowItem => ({ t, ip: null, user: value, file: 'f', line, message: `m${line}` });
const opts = { windowMs: 100, threshold: 3, distinct: null, cooldownMs: 1000, maxKeys: 100 };

test('three items within the window raise a hit; first/last/evidence come from that window', () => {
  const w = new KeyedWindows(opts);
  assert.equal(w.add('k', item(0)), null);
  assert.equal(w.add('k', item(50)), null);
  const hit = w.add('k', item(100));
  assert.deepEqual(hit, { count: 3, first: 0, last: 100, evidence: [
    { file: 'f', line: 0, message: 'm0' }, { file: 'f', line: 50, message: 'm50' }, { file: 'f', line: 100, message: 'm100' },
  ] });
});

test('just under: the third item one ms outside the window does not hit', () => {
  const w = new KeyedWindows(opts);
  w.add('k', item(0));
  w.add('k', item(50));
  assert.equal(w.add('k', item(101)), null);
});

test('keys are separate', () => {
  const w = new KeyedWindows(opts);
  w.add('a', item(0));
  w.add('b', item(1));
  assert.equal(w.add('a', item(2)), null);
});

test('a late item (from a second file) completes a window of earlier items', () => {
  const w = new KeyedWindows(opts);
  w.add('k', item(10)); // first file
  w.add('k', item(50));
  const hit = w.add('k', item(20)); // second file, earlier in time
  assert.equal(hit?.count, 3);
  assert.equal(hit?.first, 10);
  assert.equal(hit?.last, 50);
});

test('a late item meets only what its key kept: items pruned by a later in-order item are gone', () => {
  const w = new KeyedWindows(opts);
  w.add('k', item(10));
  w.add('k', item(15));
  w.add('k', item(500)); // prunes 10 and 15 (outside 500's window)
  assert.equal(w.add('k', item(20)), null);
});

test('cooldown: no second hit for the same key within it, one after it', () => {
  const w = new KeyedWindows(opts);
  for (const t of [0, 1, 2]) w.add('k', item(t));
  assert.equal(w.add('k', item(3)), null);
  assert.equal(w.add('k', item(999)), null); // alone in its window anyway
  w.add('k', item(1001));
  const again = w.add('k', item(1002));
  assert.equal(again?.count, 3);
});

test('distinct counts values, not items', () => {
  const w = new KeyedWindows({ ...opts, distinct: 'user' });
  assert.equal(w.add('ip', item(0, 'root')), null);
  assert.equal(w.add('ip', item(1, 'root')), null);
  assert.equal(w.add('ip', item(2, 'admin')), null);
  assert.equal(w.add('ip', item(3, 'admin')), null);
  assert.equal(w.add('ip', item(4, 'oracle'))?.count, 3);
});

test('distinct: a flood from one value does not push the other values out of the window', () => {
  // threshold 5 distinct addresses against one account: B, C, D, then 200 failures from A, then E
  const w = new KeyedWindows({ ...opts, threshold: 5, distinct: 'user', windowMs: 10_000 });
  for (const [t, v] of [[0, 'B'], [1, 'C'], [2, 'D']] as const) assert.equal(w.add('root', item(t, v)), null);
  for (let t = 3; t < 203; t++) assert.equal(w.add('root', item(t, 'A')), null);
  const hit = w.add('root', item(203, 'E'));
  assert.equal(hit?.count, 5);
  assert.equal(hit?.first, 0);
  // the evidence shows each address once (its latest line): B, C, D, A's last, E
  assert.deepEqual(hit?.evidence.map((e) => e.line), [0, 1, 2, 202, 203]);
});

test('distinct, just under: four values however many items, and a value seen again only moves to its latest time', () => {
  const w = new KeyedWindows({ ...opts, threshold: 5, distinct: 'user', windowMs: 10_000 });
  for (let t = 0; t < 400; t++) assert.equal(w.add('root', item(t, ['A', 'B', 'C', 'D'][t % 4]!)), null);
  assert.equal(w.add('root', item(100, 'A')), null); // late and older than A's latest: nothing new
  assert.equal(w.add('root', item(20_000, 'E')), null); // the other four are out of its window
});

test('memory is bounded: never more than maxKeys keys; idle keys go first', () => {
  const w = new KeyedWindows({ ...opts, maxKeys: 100 });
  for (let i = 0; i < 1000; i++) w.add(`k${i}`, item(i * 10));
  assert.ok(w.size <= 100, `size ${w.size}`);
  w.add('last', item(1_000_000));
  w.expireIdle();
  assert.equal(w.size, 1);
});

test('countIn counts a key within a time range', () => {
  const w = new KeyedWindows(opts);
  for (const t of [0, 10, 20, 30]) w.store('k', item(t));
  assert.equal(w.countIn('k', 5, 25).count, 2);
  assert.equal(w.countIn('other', 0, 100).count, 0);
});

test('idle keys expire as reading moves on, without the table being full', () => {
  const w = new KeyedWindows({ ...opts, maxKeys: 100_000 });
  for (let i = 0; i < 5000; i++) w.add(`k${i}`, item(i * 1000)); // one key a second, window 100 ms
  assert.ok(w.size < 1000, `size ${w.size}`); // 5000 without the sweep
});

test('an older file read after a newer one keeps its own keys: its windows still add up', () => {
  const w = new KeyedWindows({ ...opts, maxKeys: 100_000 });
  for (let i = 0; i < 3000; i++) w.add(`new${i}`, item(1_000_000 + i)); // the newer file first
  w.add('old', item(700)); // then the older one, far behind the newest time seen
  for (let i = 0; i < 1000; i++) w.add(`filler${i}`, item(700 + i / 20)); // enough inserts for a sweep
  w.add('old', item(750));
  assert.equal(w.add('old', item(780))?.count, 3);
});

test('after a jump back in time, a key seen again keeps only a window of the reading since, as in order', () => {
  // Rotated files concatenated newest first: the key's items from before the jump are ahead of every item after it,
  // so each of those is "late". They must still be pruned as in-order items are, or they pile up to perKey.
  const w = new KeyedWindows({ ...opts, threshold: 1000 }); // perKey 4,000: far above what a window holds
  w.add('k', item(10_000_000)); // the newer file first
  for (let t = 0; t < 50_000; t += 10) w.store('k', item(t)); // the older one: 5,000 items, 11 per window of 100 ms
  const held = w.countIn('k', -Infinity, Infinity);
  assert.ok(held.count <= 12, `items held: ${held.count}`);
  assert.equal(held.last, 10_000_000, 'the item from before the jump stays');
  assert.equal(w.countIn('k', 49_890, 49_990).count, 11, 'the last window is whole');
  // and a late item still meets what is within its window, on both sides of its place
  const v = new KeyedWindows(opts);
  v.add('k', item(10_000_000));
  v.add('k', item(100));
  v.add('k', item(300));
  assert.equal(v.add('k', item(250))?.count, undefined, '100 is pruned by 250 (more than a window before it)');
  assert.equal(v.add('k', item(290))?.count, 3, '250, 290, 300');
});

test('a key that alerted is kept through its cooldown even when idle past its window', () => {
  const w = new KeyedWindows({ ...opts, maxKeys: 100_000 });
  for (const t of [0, 1, 2]) w.add('k', item(t));
  for (let i = 0; i < 1000; i++) w.add(`other${i}`, item(300 + i / 2)); // sweeps; 'k' idle, cooling until 1002
  w.add('k', item(800));
  w.add('k', item(801));
  assert.equal(w.add('k', item(802)), null); // three in the window, but still cooling down
});

test('distinct counting over a large window: 60 values', () => {
  const w = new KeyedWindows({ ...opts, threshold: 60, distinct: 'user', windowMs: 10_000 });
  let hit = null;
  for (let i = 0; i < 120 && hit === null; i++) hit = w.add('ip', item(i, `user${i % 60}`));
  assert.equal(hit?.count, 60);
  assert.equal(hit?.last, 59);
});

test('distinct by address counts the items\' addresses, not their accounts', () => {
  const w = new KeyedWindows({ ...opts, distinct: 'ip' });
  const at = (t: number, ip: string, user: string): WindowItem => ({ t, ip, user, file: 'f', line: t, message: `m${t}` });
  assert.equal(w.add('root', at(0, '203.0.113.1', 'a')), null);
  assert.equal(w.add('root', at(1, '203.0.113.1', 'b')), null); // same address, another account: still one
  assert.equal(w.add('root', at(2, '203.0.113.2', 'b')), null);
  const hit = w.add('root', at(3, '203.0.113.3', 'b'));
  assert.equal(hit?.count, 3);
  assert.deepEqual(hit?.evidence.map((e) => e.line), [1, 2, 3]); // the address's latest item only
});

test('a key made after others were forgotten starts afresh: no items, no cooldown of the key before it', () => {
  const w = new KeyedWindows({ ...opts, maxKeys: 100_000 });
  for (const t of [0, 1, 2]) assert.equal(w.add('hot', item(t))?.count ?? null, t === 2 ? 3 : null); // alerts: cooling until 1002
  for (let i = 0; i < 300; i++) w.add(`k${i}`, item(5 + i / 1000)); // keys enough to need more than the first slots
  for (let i = 0; i < 2000; i++) w.add(`idle${i}`, item(500 + i)); // sweeps forget 'hot' and the k keys
  assert.ok(w.size < 1000, `size ${w.size}`);
  assert.equal(w.countIn('k7', 0, 10).count, 0);
  for (let i = 0; i < 300; i++) assert.equal(w.add(`new${i}`, item(3000 + i / 1000, null, 9000 + i)), null); // in freed slots
  for (let i = 0; i < 300; i++) assert.equal(w.countIn(`new${i}`, 0, 10_000).items[0]?.line, 9000 + i); // each its own
  w.add('new5', item(3001));
  assert.equal(w.add('new5', item(3002))?.count, 3); // nothing cooling it down
});

test('windows sharing a key index find, sweep and evict exactly as windows with an index of their own', () => {
  // Three windows keyed alike (as brute_force, password_spraying and failByIp are), few keys at most: eviction,
  // sweeps and slots freed by one window while another still holds the key. Time moves forward with jumps back by
  // more than a window (a second, older file), as a scan of several files does.
  const kinds = [
    { windowMs: 100, threshold: 3, distinct: null, cooldownMs: 300, maxKeys: 40 },
    { windowMs: 200, threshold: 2, distinct: 'user', cooldownMs: 50, maxKeys: 25 },
    { windowMs: 50, threshold: Number.MAX_SAFE_INTEGER, distinct: null, cooldownMs: 0, maxKeys: 60 },
  ] as const;
  const keys = new KeySlots();
  const shared = kinds.map((o) => new KeyedWindows({ ...o, keys }));
  const alone = kinds.map((o) => new KeyedWindows(o));
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let t = 0;
  for (let n = 0; n < 20_000; n++) {
    t = rand(500) === 0 ? Math.max(0, t - 1000) : t + rand(3);
    const key = `10.0.0.${rand(90)}`;
    const user = `u${rand(6)}`;
    for (let w = 0; w < kinds.length; w++) {
      if (rand(4) === 0) continue; // a window that does not take this event
      const it: WindowItem = { t, ip: key, user, file: 'f', line: n, message: 'm' };
      assert.deepEqual(shared[w]!.add(key, it), alone[w]!.add(key, it), `event ${n}, window ${w}`);
      assert.equal(shared[w]!.size, alone[w]!.size);
    }
    if (n % 997 === 0) {
      const probe = `10.0.0.${rand(90)}`;
      for (let w = 0; w < kinds.length; w++) assert.deepEqual(shared[w]!.countIn(probe, t - 100, t), alone[w]!.countIn(probe, t - 100, t));
    }
  }
  for (let w = 0; w < kinds.length; w++) {
    shared[w]!.expireIdle();
    alone[w]!.expireIdle();
    assert.equal(shared[w]!.size, alone[w]!.size);
  }
});

test('a window hits on exactly its threshold-th item, in order or late, counting items or distinct values', () => {
  // add() gives up before reading any item while the key holds fewer items than the threshold: one more must hit
  for (let threshold = 1; threshold <= 6; threshold++) {
    for (const distinct of [null, 'user'] as const) {
      for (const late of [false, true]) {
        const w = new KeyedWindows({ ...opts, threshold, distinct, windowMs: 1000 });
        // times 100, 200, ...; the last item at 50 when late (before the others, still within their window)
        const times = Array.from({ length: threshold }, (_, k) => (late && k === threshold - 1 ? 50 : 100 * (k + 1)));
        times.forEach((t, k) => {
          const hit = w.add('k', item(t, `u${k}`, k));
          if (k < threshold - 1) assert.equal(hit, null, `threshold ${threshold}, item ${k}`);
          else assert.equal(hit?.count, threshold, `threshold ${threshold} ${distinct ?? 'items'}${late ? ' late' : ''}`);
        });
      }
    }
  }
});

test('a late item goes after every item of its time, before the later ones', () => {
  const w = new KeyedWindows({ ...opts, threshold: 100, windowMs: 1000 });
  for (const [t, line] of [[100, 1], [200, 2], [200, 3], [300, 4]] as const) w.store('k', item(t, null, line));
  w.store('k', item(200, null, 5)); // late: behind 300
  assert.deepEqual(w.countIn('k', -Infinity, Infinity).items.map((it) => it.line), [1, 2, 3, 5, 4]);
  assert.deepEqual(w.countIn('k', 200, 200).items.map((it) => it.line), [2, 3, 5]);
  const hit = new KeyedWindows({ ...opts, threshold: 5, windowMs: 1000 });
  for (const [t, line] of [[100, 1], [200, 2], [200, 3], [300, 4]] as const) hit.add('k', item(t, null, line));
  assert.deepEqual(hit.add('k', item(200, null, 5))?.evidence.map((e) => e.line), [1, 2, 3, 5, 4]);
});

test('items held and what countIn finds match a plain model, in order, late, with equal times and jumps back', () => {
  // The model keeps a key's items as KeyedWindows does, searching linearly: an item at or after the key's newest goes
  // last and prunes what is more than a window before it (keeping the last item); a late one goes after every item of
  // its time or before, and prunes only before its place; past perKey the oldest goes.
  let seed = 0x2f6b1d;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  for (const windowMs of [50, 1000, 100_000]) {
    const threshold = 1000; // perKey 4,000: the model's cap below
    const w = new KeyedWindows({ ...opts, windowMs, threshold, maxKeys: 10 });
    const model: WindowItem[] = [];
    let newest = -Infinity;
    let t = 10_000;
    for (let n = 0; n < 6000; n++) {
      const r = random();
      t = r < 0.05 ? t - Math.floor(random() * 20_000) : r < 0.3 ? t : t + Math.floor(random() * 40); // equal times, jumps back
      const it = item(t, null, n);
      w.store('k', it);
      if (t >= newest) {
        model.push(it);
        newest = t;
        let k = 0;
        while (k < model.length - 1 && model[k]!.t < t - windowMs) k++;
        model.splice(0, k);
      } else {
        let i = model.length;
        while (i > 0 && model[i - 1]!.t > t) i--;
        let k = 0;
        while (k < i && model[k]!.t < t - windowMs) k++;
        model.splice(0, k);
        model.splice(i - k, 0, it);
      }
      if (model.length > 4000) model.shift();
      if (n % 7 !== 0) continue;
      const from = t - Math.floor(random() * 2 * windowMs);
      const to = from + Math.floor(random() * 2 * windowMs);
      const inRange = model.filter((m) => m.t >= from && m.t <= to);
      const got = w.countIn('k', from, to);
      assert.equal(got.count, inRange.length, `window ${windowMs}, item ${n}`);
      assert.deepEqual(got.items.map((m) => m.line), inRange.slice(0, 5).map((m) => m.line));
      if (inRange.length > 0) assert.deepEqual([got.first, got.last], [inRange[0]!.t, inRange.at(-1)!.t]);
    }
    assert.equal(w.countIn('k', -Infinity, Infinity).count, model.length);
  }
});

test('past ITEM_BUDGET items in all, keys keep fewer, never fewer than the threshold, and look-ups say so', () => {
  // 5,000 keys of 20 items each, round after round within one window: 32 a key would be 160,000 items
  const keys = 5000;
  const w = new KeyedWindows({ ...opts, windowMs: 1e9, threshold: 3, maxKeys: 100_000 });
  for (let r = 0; r < 20; r++) for (let k = 0; k < keys; k++) w.store(`k${k}`, item(r * keys + k));
  const cap = Math.floor(ITEM_BUDGET / keys); // 13
  for (const k of [0, 1234, keys - 1]) {
    const held = w.countIn(`k${k}`, -Infinity, Infinity);
    assert.equal(held.count, cap);
    assert.equal(held.more, true);
    assert.equal(held.first, (20 - cap) * keys + k, 'the oldest went');
    assert.equal(w.countIn(`k${k}`, (20 - cap) * keys, Infinity).more, false, 'nothing was dropped from this range');
  }
  // under the budget nothing is dropped: 1,000 keys of 20
  const few = new KeyedWindows({ ...opts, windowMs: 1e9, threshold: 3, maxKeys: 100_000 });
  for (let r = 0; r < 20; r++) for (let k = 0; k < 1000; k++) few.store(`k${k}`, item(r * 1000 + k));
  assert.deepEqual([few.countIn('k7', -Infinity, Infinity).count, few.countIn('k7', -Infinity, Infinity).more], [20, false]);
  // a threshold above the share still finds every window read in order: 10,000 keys reach 10 items each
  const many = new KeyedWindows({ ...opts, windowMs: 1e9, threshold: 10, cooldownMs: 0, maxKeys: 100_000 });
  let hits = 0;
  for (let r = 0; r < 12; r++) for (let k = 0; k < 10_000; k++) if (many.add(`k${k}`, item(r * 10_000 + k)) !== null) hits++;
  assert.equal(hits, 10_000 * 3, 'the 10th, 11th and 12th item of every key');
  assert.equal(many.countIn('k5', -Infinity, Infinity).count, 10);
});

test('a file read after newer ones does not raise again the alerts its key raised before the key was forgotten', () => {
  // One attacker's bursts an hour apart, among other traffic that makes the table forget it between bursts; then the
  // same hours again (another host's log of the same day, read after the first): every burst already alerted.
  const w = new KeyedWindows({ windowMs: 100, threshold: 3, distinct: null, cooldownMs: 1000, maxKeys: 100_000 });
  const pass = (line0: number): number => {
    let hits = 0;
    for (let b = 0; b < 30; b++) {
      const t0 = b * 3_600_000;
      for (let k = 0; k < 3; k++) if (w.add('attacker', item(t0 + k, null, line0 + b * 10 + k)) !== null) hits++;
      for (let f = 0; f < 600; f++) w.add(`other${f}`, item(t0 + 10_000 + f, null, 0)); // sweeps forget the attacker
    }
    return hits;
  };
  assert.equal(pass(0), 30, 'the first log: one alert a burst');
  assert.equal(w.countIn('attacker', 0, 100).count, 0, 'the key was forgotten after its first burst');
  assert.equal(pass(1000), 0, 'the second log of the same hours: none again');
  // a burst at an hour not seen before still alerts, also read late
  assert.notEqual(w.add('attacker', item(1_800_000, null, 1)) ?? w.add('attacker', item(1_800_001, null, 2)) ?? w.add('attacker', item(1_800_002, null, 3)), null);
});
