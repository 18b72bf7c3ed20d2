import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { flagsOf, shebangFlags } from './shebang.js';

test('the flags of an env -S node line, in order', () => {
  assert.deepEqual(shebangFlags('#!/usr/bin/env -S node --max-semi-space-size=8 --v8-pool-size=0\n// x\n'), [
    '--max-semi-space-size=8',
    '--v8-pool-size=0',
  ]);
  assert.deepEqual(shebangFlags('#!/usr/local/bin/node --a=1\r\n'), ['--a=1']);
});

test('no flags without a node shebang', () => {
  assert.deepEqual(shebangFlags('#!/usr/bin/env node\n'), []);
  assert.deepEqual(shebangFlags('#!/bin/sh --x\n'), []);
  assert.deepEqual(shebangFlags('// no shebang --x\n'), []);
  assert.deepEqual(shebangFlags(''), []);
});

test("bin/audit.js's flags are what the bench runs it with", () => {
  const flags = flagsOf(join(ROOT, 'bin', 'audit.js'));
  assert.ok(flags.includes('--max-semi-space-size=8'), flags.join(' '));
});
