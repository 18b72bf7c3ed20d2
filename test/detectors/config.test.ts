import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULTS, loadDetectorConfig, parseDuration } from '../../src/detectors/config.js';
import { UsageError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';

test('defaults', () => {
  const c = loadDetectorConfig({ cwd: '/' });
  assert.deepEqual(c.detectors.brute_force, { enabled: true, threshold: 10, windowMs: 600_000, cooldownMs: 3_600_000, severity: 'high' });
  assert.equal(c.detectors.success_after_failures.severity, 'critical');
  assert.equal(c.maxKeys, 20_000);
  assert.equal(DEFAULTS.brute_force.threshold, 10); // not changed by loading
});

test('a JSON file, then flags, override the defaults', () => {
  const dir = tempDir('audit-config-');
  writeFileSync(join(dir, 'd.json'), JSON.stringify({ maxKeys: 500, detectors: { brute_force: { threshold: 5, window: '2m', severity: 'critical' }, web_scan: { enabled: false } } }));
  const c = loadDetectorConfig({ file: 'd.json', settings: ['brute_force.threshold=7', 'brute_force.cooldown=0s'], cwd: dir });
  assert.deepEqual(c.detectors.brute_force, { enabled: true, threshold: 7, windowMs: 120_000, cooldownMs: 0, severity: 'critical' });
  assert.equal(c.detectors.web_scan.enabled, false);
  assert.equal(c.maxKeys, 500);
});

test('mistakes are usage errors that say what is wrong', () => {
  const bad = (settings: string[], message: RegExp): void => {
    assert.throws(() => loadDetectorConfig({ settings, cwd: '/' }), (e: unknown) => e instanceof UsageError && message.test(e.message));
  };
  bad(['brute.threshold=5'], /unknown detector 'brute'/);
  bad(['brute_force.treshold=5'], /unknown setting 'treshold'/);
  bad(['brute_force.threshold=0'], /whole number from 1/);
  bad(['brute_force.window=10'], /'10' is not a duration/);
  bad(['brute_force'], /cannot read 'brute_force'/);
  assert.throws(() => loadDetectorConfig({ file: 'missing.json', cwd: '/nonexistent' }), /--config: cannot read missing.json: ENOENT/);
});

test('durations', () => {
  assert.equal(parseDuration('90s', 'x'), 90_000);
  assert.equal(parseDuration('1h', 'x'), 3_600_000);
  assert.equal(parseDuration('250ms', 'x'), 250);
  assert.throws(() => parseDuration('31d', 'x'), UsageError);
  assert.throws(() => parseDuration('1h30m', 'x'), UsageError);
});
