// Golden files: compare text with fixtures/golden/<name>, or rewrite the file when UPDATE_GOLDEN=1.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fixture } from './paths.js';

export function assertGolden(actual: string, ...name: string[]): void {
  const file = fixture('golden', ...name);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) {
    if (process.env['CI'] && !existsSync(file)) assert.fail(`golden file missing: ${file} (run UPDATE_GOLDEN=1 npm test and review it)`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${file} (UPDATE_GOLDEN=1 npm test rewrites it; review the diff)`);
}
