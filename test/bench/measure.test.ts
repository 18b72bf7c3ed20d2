// Tests for the benchmark's measurement of one command: exit code, output and peak RSS (no timing assertions).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measure, rssMethod, type Command } from './measure.js';

/** A child that touches 120 MB, then stays a moment so that polling sees it too. */
const hog: Command = {
  tool: 'hog',
  file: process.execPath,
  args: ['-e', "const b = Buffer.alloc(120e6, 1); setTimeout(() => { console.log(b[5]); process.exit(3) }, 300)"],
  ok: [3],
};

test('rssMethod prefers GNU time when it works', () => {
  assert.ok(['gnu-time', 'proc-poll'].includes(rssMethod()));
});

for (const method of ['gnu-time', 'proc-poll'] as const) {
  test(`measure (${method}): exit code, stdout and a peak RSS above what the child touched`, async (t) => {
    if (method === 'gnu-time' && rssMethod() !== 'gnu-time') return t.skip('no working /usr/bin/time here');
    const m = await measure(hog, method, process.cwd());
    assert.equal(m.exitCode, 3);
    assert.equal(m.stdout, '1\n');
    assert.ok(m.peakRss !== null && m.peakRss > 120e6 && m.peakRss < 400e6, String(m.peakRss));
    assert.ok(m.seconds > 0);
  });
}
