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

/** A child whose main thread and one worker thread each spin for ~0.4 s of CPU, at the same time. */
const spinners: Command = {
  tool: 'spin',
  file: process.execPath,
  args: ['-e', [
    "const { Worker } = require('node:worker_threads');",
    "const w = new Worker('const t0 = Date.now(); while (Date.now() - t0 < 400) {}', { eval: true });",
    "const t0 = Date.now(); while (Date.now() - t0 < 400) {}",
    "w.on('exit', () => setTimeout(() => {}, 120));",
  ].join('\n')],
  ok: [0],
  cpuByThread: true,
};

for (const method of ['gnu-time', 'proc-poll'] as const) {
  test(`measure (${method}) with threads: CPU of the main thread first, and of the worker thread`, async (t) => {
    if (process.platform !== 'linux') return t.skip('per-thread CPU is read from /proc');
    if (method === 'gnu-time' && rssMethod() !== 'gnu-time') return t.skip('no working /usr/bin/time here');
    const m = await measure(spinners, method, process.cwd());
    assert.equal(m.exitCode, 0, m.stderr);
    const cpu = m.threadCpu;
    assert.ok(cpu !== null && cpu.length >= 2, String(cpu));
    // each spun ~0.4 s of wall time; on a busy machine it got less CPU than that, but never none of it
    assert.ok(cpu[0]! >= 0.05, `main ${cpu[0]}`);
    assert.ok(cpu[1]! >= 0.05, `others ${cpu.slice(1).join(', ')}`);
    assert.ok(cpu.slice(1).every((s, i, a) => i === 0 || a[i - 1]! >= s), 'the others from most to least');
  });
}

test('measure without threads asked: no per-thread CPU', async () => {
  const m = await measure(hog, rssMethod(), process.cwd());
  assert.equal(m.threadCpu, null);
});
