// flatCopy (formats/intern.ts) gives the addresses and accounts of events, and TopK's keys, as flat strings: the same
// text as copyString(), but one sequential string, so that Map look-ups downstream compare them inline (a sliced string
// is compared in V8's runtime, ~3x the cost of a hit).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { copyString, flatCopy } from '../../src/formats/intern.js';

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
