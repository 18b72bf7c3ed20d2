import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Bus } from '../../src/bus.js';
import { InputError } from '../../src/errors.js';
import { attachAlertsFile } from '../../src/reporters/alerts-file.js';
import type { Alert } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';

const alert: Alert = { id: 'web_scan', severity: 'medium', key: '192.0.2.77', title: 'web scan', count: 30, first: null, last: null, evidence: [] };

test('appends one NDJSON line per alert, on disk at once', () => {
  const dir = tempDir('audit-alerts-');
  writeFileSync(join(dir, 'alerts.ndjson'), '{"kind":"alert","id":"old"}\n');
  const bus = new Bus();
  const file = attachAlertsFile(bus, 'alerts.ndjson', dir);
  bus.emit('alert', alert);
  // before close: each alert is written when raised
  assert.equal(readFileSync(join(dir, 'alerts.ndjson'), 'utf8'),
    '{"kind":"alert","id":"old"}\n{"kind":"alert","id":"web_scan","severity":"medium","key":"192.0.2.77","title":"web scan","count":30,"first":null,"last":null,"evidence":[]}\n');
  bus.emit('alert', alert);
  file.close();
  bus.emit('alert', alert); // after close: not written, no error
  assert.equal(file.written, 2);
  assert.equal(readFileSync(join(dir, 'alerts.ndjson'), 'utf8').split('\n').length, 4);
});

test('a file that cannot be opened is an input error naming it', () => {
  assert.throws(() => attachAlertsFile(new Bus(), 'no/such/dir/alerts.ndjson', tmpdir()), (e: unknown) => e instanceof InputError && /--alerts: cannot open no\/such\/dir\/alerts.ndjson: no such file or directory/.test(e.message));
});
