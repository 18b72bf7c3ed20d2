// flatCopy (formats/intern.ts) gives the addresses and accounts of events, and TopK's keys, as flat strings: the same
// text as copyString(), but one sequential string, so that Map look-ups downstream compare them inline (a sliced string
// is compared in V8's runtime, ~3x the cost of a hit).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { copyString, createValueInterner, flatCopy } from '../../src/formats/intern.js';

test('flatCopy gives the same text as copyString, for every length and every place in a line', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (v, before, after) => {
      const line = before + v + after;
      const s = line.slice(before.length, before.length + v.length);
      assert.equal(flatCopy(s), v);
      assert.equal(flatCopy(s), copyString(s));
    }),
    { numRuns: 500 },
  );
  for (let n = 0; n <= 40; n++) {
    const v = 'abcdefghijklmnopqrstuvwxyz0123456789:.[]%'.slice(0, n);
    assert.equal(flatCopy(`203.0.113.9 ${v} x`.slice(12, 12 + n)), v);
  }
});

test('flatCopy makes a flat string where copyString makes a sliced one (V8 string types, seen with %DebugPrint)', () => {
  const intern = new URL('../../src/formats/intern.js', import.meta.url).href;
  const script = `
    const { copyString, flatCopy } = await import(${JSON.stringify(intern)});
    const line = 'Nov 23 03:14:22 web-01 sshd[4120]: Failed password for root from 203.0.113.145 port 22 ssh2';
    const ip = line.slice(line.indexOf('from ') + 5, line.indexOf(' port'));
    %DebugPrint(copyString(ip));
    %DebugPrint(flatCopy(ip));
  `;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const types = [...r.stdout.matchAll(/ - type: (\w+)/g)].map((m) => m[1]);
  assert.equal(types.length, 2, r.stdout);
  // the first is the control: if V8 stops making sliced strings, this test no longer shows anything
  assert.match(types[0]!, /SLICED/);
  assert.doesNotMatch(types[1]!, /SLICED|CONS|THIN/);
});

test('createValueInterner copies a value once while it is among the recent ones, and holds at most 2 x max', () => {
  const copied: string[] = [];
  const intern = createValueInterner(3, (s) => {
    copied.push(s);
    return flatCopy(s);
  });
  const line = 'from 203.0.113.9 port 22, from 198.51.100.77 port 22';
  const a = line.slice(5, 16);
  const b = line.slice(line.indexOf('198'), line.indexOf('198') + 13);
  assert.equal(intern(a), '203.0.113.9');
  assert.equal(intern(b), '198.51.100.77');
  assert.equal(intern(line.slice(5, 16)), '203.0.113.9');
  assert.deepEqual(copied, ['203.0.113.9', '198.51.100.77'], 'a repeat, even from another slice, is not copied again');
  for (const v of ['u1', 'u2', 'u3', 'u4']) intern(v); // the young generation fills up and becomes the old one
  copied.length = 0;
  intern('198.51.100.77'); // in the old generation: found, brought back to the young one
  assert.deepEqual(copied, []);
  for (const v of ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']) intern(v); // two more generations: the first goes
  copied.length = 0;
  intern('203.0.113.9');
  intern('v7');
  assert.deepEqual(copied, ['203.0.113.9'], 'a value not seen for 2 x max new values is let go, the recent are kept');
});
