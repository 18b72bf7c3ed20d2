// Tests for the benchmark report: medians, ratios within one run, rendering and the verdict on the targets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Corpus } from './generate.js';
import { aggregate, checkTargets, median, renderMarkdown, renderTable, renderTargets, renderThreadCpu, threadCpuText, type Sample } from './report.js';

const auth: Corpus = { kind: 'auth', label: 'auth.log (RFC 3164)', path: '/x/auth.log', paths: ['/x/auth.log'], lines: 2_000_000, bytes: 200_000_000, generated: true, seconds: 1 };
const nginx: Corpus = { kind: 'nginx', label: 'nginx access (combined)', path: '/x/nginx.log', paths: ['/x/nginx.log'], lines: 1_000_000, bytes: 230_000_000, generated: true, seconds: 1 };

const pair: Corpus = {
  kind: 'pair', label: '2 x auth.log (RFC 3164)', path: '/x/a.log + /x/b.log', paths: ['/x/a.log', '/x/b.log'], lines: 2_000_000,
  bytes: 216_000_000, generated: true, seconds: 1,
};

function sample(corpus: Corpus, tool: string, run: number, seconds: number, rssMb: number | null): Sample {
  const command = tool === 'wc' ? 'wc -l' : tool === 'grep' ? 'grep -cE' : 'audit scan --quiet';
  return { corpus, tool, command, run, m: { seconds, peakRss: rssMb === null ? null : rssMb * 1e6, exitCode: 0, stdout: '', stderr: '', threadCpu: null } };
}

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('aggregate: median wall time, highest RSS, ratio to grep taken within each run', () => {
  const rows = aggregate([
    sample(auth, 'grep', 1, 1.0, 3), sample(auth, 'audit', 1, 5.0, 90),
    sample(auth, 'grep', 2, 2.0, 3), sample(auth, 'audit', 2, 6.0, 120),
    sample(auth, 'grep', 3, 1.0, 3), sample(auth, 'audit', 3, 7.0, 100),
  ]);
  assert.equal(rows.length, 2);
  const audit = rows.find((r) => r.tool === 'audit')!;
  assert.equal(audit.seconds, 6);
  assert.equal(audit.peakRss, 120e6);
  // per run: 5/1, 6/2, 7/1 -> median 5 (the median of the times would give 6/1 = 6)
  assert.equal(audit.ratio, 5);
  assert.equal(audit.runs, 3);
  assert.equal(rows.find((r) => r.tool === 'grep')!.ratio, 1);
});

test('renderTable and renderMarkdown show throughput in lines/s and MB/s', () => {
  const rows = aggregate([sample(auth, 'grep', 1, 0.5, 2.5), sample(auth, 'audit', 1, 4, 95.25)]);
  const table = renderTable(rows);
  assert.match(table, /^corpus +lines +MB +command +wall s +lines\/s +MB\/s +peak RSS MB +vs grep$/m);
  assert.match(table, /auth\.log \(RFC 3164\) +2,000,000 +200\.0 +audit scan --quiet +4\.000 +500 k +50\.0 +95\.3 +8\.00x/);
  const md = renderMarkdown(rows);
  assert.equal(md.split('\n')[0], '| corpus | lines | MB | command | wall s | lines/s | MB/s | peak RSS MB | vs grep |');
  assert.equal(md.split('\n')[3], '| auth.log (RFC 3164) | 2,000,000 | 200.0 | audit scan --quiet | 4.000 | 500 k | 50.0 | 95.3 | 8.00x |');
  assert.equal(md.split('\n')[2], '| auth.log (RFC 3164) | 2,000,000 | 200.0 | grep -cE | 0.500 | 4.00 M | 400.0 | 2.5 | 1.00x |');
});

test('checkTargets: ratio and memory on auth.log, 2 s on 1,000,000 nginx lines', () => {
  const rows = aggregate([
    sample(auth, 'grep', 1, 1, 3), sample(auth, 'audit', 1, 11, 151),
    sample(nginx, 'grep', 1, 0.3, 3), sample(nginx, 'audit', 1, 1.5, 80),
  ]);
  const targets = checkTargets(rows);
  assert.deepEqual(targets.map((t) => [t.measured, t.pass]), [
    ['11.00x', false],
    ['151.0 MB', false],
    ['80.0 MB', true],
    ['1.50 s', true],
  ]);
  const text = renderTargets(targets, true);
  assert.match(text, /^- \*\*missed\*\*: audit wall time at most 10x grep -cE, on one thread \(auth\.log, 2,000,000 lines; target set on 2,000,000\): 11\.00x$/m);
  assert.match(text, /^- met: nginx access log of 1,000,000 lines in under 2 s, on one thread: 1\.50 s$/m);
});

test('checkTargets: one file with --threads auto is judged on time, its memory (worker heaps) is not', () => {
  const targets = checkTargets(aggregate([
    sample(nginx, 'grep', 1, 0.3, 3), sample(nginx, 'audit-threads', 1, 1.9, 240),
  ]));
  assert.deepEqual(targets.map((t) => [t.what, t.measured, t.pass]), [
    ['nginx access log of 1,000,000 lines in under 2 s, with --threads auto', '1.90 s', true],
  ]);
});

test('checkTargets: a small nginx corpus is not judged against the 1,000,000-line target', () => {
  const small: Corpus = { ...nginx, lines: 10_000 };
  const [t] = checkTargets(aggregate([sample(small, 'audit', 1, 0.2, null)]));
  assert.equal(t!.pass, null);
  assert.equal(t!.measured, '20.00 s (scaled from 10,000 lines)');
});

test('checkTargets: two files at once are judged on one thread and with --threads auto, their memory is not', () => {
  const targets = checkTargets(aggregate([
    sample(pair, 'grep', 1, 0.25, 3), sample(pair, 'audit', 1, 5, 160), sample(pair, 'audit-threads', 1, 2.4, 280),
  ]));
  assert.deepEqual(targets.map((t) => [t.what, t.measured, t.pass]), [
    ['audit wall time at most 10x grep -cE on two files at once, on one thread (2 x auth.log (RFC 3164), 2,000,000 lines)', '20.00x', false],
    ['audit wall time at most 10x grep -cE on two files at once, with --threads auto (2 x auth.log (RFC 3164), 2,000,000 lines)', '9.60x', true],
  ]);
});

test('checkTargets: --db against issue 7 (at most 2x the scan without it); its memory is not judged', () => {
  const judged = (dbSeconds: number): [string, string, boolean | null][] => checkTargets(aggregate([
    sample(nginx, 'audit', 1, 2, 90), sample(nginx, 'audit-db', 1, dbSeconds, 400),
  ])).filter((t) => t.what.includes('--db')).map((t) => [t.what, t.measured, t.pass]);
  assert.deepEqual(judged(4.2), [['audit scan --db at most 2x audit scan --quiet (issue 7; nginx access (combined), 1,000,000 lines)', '2.10x', false]]);
  assert.deepEqual(judged(3.9).map((t) => t.slice(1)), [['1.95x', true]]);
  // without a plain scan of the same corpus there is nothing to compare with
  assert.deepEqual(checkTargets(aggregate([sample(auth, 'audit-db', 1, 3, 100)])), []);
  const small: Corpus = { ...nginx, lines: 10_000 };
  const [t] = checkTargets(aggregate([sample(small, 'audit', 1, 0.2, null), sample(small, 'audit-db', 1, 0.5, null)]));
  assert.equal(t!.pass, null, 'a small corpus is not judged');
});

test('threadCpuText: the main thread first, then the others as measured', () => {
  assert.equal(threadCpuText([2.444, 2.27, 0.971]), 'main 2.44, then 2.27, 0.97');
  assert.equal(threadCpuText([3.1]), 'main 3.10');
});

test('renderThreadCpu: one line per followed command, from its run of median wall time; empty without any', () => {
  const followed = (run: number, seconds: number, cpu: number[]): Sample => ({ ...sample(auth, 'audit', run, seconds, 90), m: { ...sample(auth, 'audit', run, seconds, 90).m, threadCpu: cpu } });
  const text = renderThreadCpu([
    sample(auth, 'grep', 1, 0.2, 3),
    followed(1, 3.5, [3.0, 0.5]), followed(2, 3.2, [2.9, 0.4]), followed(3, 4.0, [3.6, 0.6]),
  ]);
  assert.match(text, /^CPU seconds by thread/);
  assert.equal(text.split('\n').filter((l) => l.startsWith('  ')).length, 1);
  assert.match(text, /auth\.log \(RFC 3164\), audit scan --quiet \(3\.500 s\): main 3\.00, then 0\.50/);
  assert.equal(renderThreadCpu([sample(auth, 'audit', 1, 3, 90)]), '');
});
