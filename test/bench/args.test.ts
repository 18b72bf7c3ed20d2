// Tests for the flags of `npm run bench`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BenchUsageError, parseBenchArgs } from './args.js';

test('defaults: 1,000,000 lines of auth, nginx and journal, one run', () => {
  const o = parseBenchArgs([]);
  assert.equal(o.lines, 1_000_000);
  assert.deepEqual(o.kinds, ['auth', 'nginx', 'journal']);
  assert.equal(o.distinct, 1_000_000);
  assert.equal(o.runs, 1);
  assert.equal(o.keep, false);
  assert.equal(o.md, false);
  assert.equal(o.dir, null);
  assert.equal(o.bin, null);
  assert.deepEqual(o.sigma, []);
  assert.equal(o.outputs, false);
});

test('--outputs adds the --json and --db runs', () => {
  assert.equal(parseBenchArgs(['--outputs']).outputs, true);
});

test('--sigma repeats: every path goes to the same scan', () => {
  assert.deepEqual(parseBenchArgs(['--sigma', 'sigma/rules', '--sigma', 'site.yml']).sigma, ['sigma/rules', 'site.yml']);
});

test('sizes accept digit grouping; --only takes lists and repeats; --distinct follows --lines', () => {
  const o = parseBenchArgs(['--lines', '2_000_000', '--only', 'auth,distinct', '--only', 'auth', '--runs', '3', '--keep', '--md']);
  assert.equal(o.lines, 2_000_000);
  assert.equal(o.distinct, 2_000_000);
  assert.deepEqual(o.kinds, ['auth', 'distinct']);
  assert.equal(o.runs, 3);
  assert.equal(parseBenchArgs(['--distinct', '1,000,000']).distinct, 1_000_000);
});

test('bad values name the flag and what would be right', () => {
  assert.throws(() => parseBenchArgs(['--lines', '1e6']), new BenchUsageError("--lines: '1e6' is not a whole number from 1 to 1000000000"));
  assert.throws(() => parseBenchArgs(['--runs', '0']), /--runs: '0' is not a whole number from 1 to 100/);
  assert.throws(() => parseBenchArgs(['--only', 'apache']), /--only: unknown corpus 'apache' \(use auth, nginx, journal, distinct, pair, auditd, flood\)/);
  assert.throws(() => parseBenchArgs(['--frobnicate']), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
});
