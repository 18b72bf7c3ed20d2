// Reading order of names in a directory: rotated families oldest first, everything else by name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rotationKey, sortLogNames } from '../../src/sources/rotation.js';

describe('sortLogNames', () => {
  it('puts a numbered family oldest first, the live file last, and numbers in numeric order', () => {
    assert.deepEqual(
      sortLogNames(['auth.log', 'auth.log.1', 'auth.log.10.gz', 'auth.log.2.gz', 'auth.log.3.gz', 'auth.log.9.gz']),
      ['auth.log.10.gz', 'auth.log.9.gz', 'auth.log.3.gz', 'auth.log.2.gz', 'auth.log.1', 'auth.log'],
    );
  });

  it('puts a dated family oldest first (logrotate dateext, with and without dashes, hourly)', () => {
    assert.deepEqual(
      sortLogNames(['access.log', 'access.log-20261120', 'access.log-20261119.gz', 'access.log-20251231.gz']),
      ['access.log-20251231.gz', 'access.log-20261119.gz', 'access.log-20261120', 'access.log'],
    );
    assert.deepEqual(
      sortLogNames(['app.log', 'app.log.2026-11-20', 'app.log.2026-11-02.gz', 'app.log-2026111923']),
      ['app.log.2026-11-02.gz', 'app.log-2026111923', 'app.log.2026-11-20', 'app.log'],
    );
  });

  it('orders families and other names by code unit, not locale', () => {
    assert.deepEqual(
      sortLogNames(['wtmp', 'syslog.1', 'nginx', 'Xorg.0.log', 'syslog', 'btmp', 'auth.log', 'dmesg.0', 'dmesg', 'kern.log']),
      ['Xorg.0.log', 'auth.log', 'btmp', 'dmesg.0', 'dmesg', 'kern.log', 'nginx', 'syslog.1', 'syslog', 'wtmp'],
    );
  });

  it('keeps an uncompressed and a compressed twin in a stable order', () => {
    assert.deepEqual(sortLogNames(['messages.2.gz', 'messages.2', 'messages']), ['messages.2', 'messages.2.gz', 'messages']);
  });
});

describe('rotationKey', () => {
  it('finds the family, the kind and the rank', () => {
    assert.deepEqual(rotationKey('auth.log.2.gz'), { base: 'auth.log', kind: 1, rank: 2 });
    assert.deepEqual(rotationKey('access.log-20261120.gz'), { base: 'access.log', kind: 0, rank: '20261120' });
    assert.deepEqual(rotationKey('syslog-2026-11-20'), { base: 'syslog', kind: 0, rank: '20261120' });
    assert.deepEqual(rotationKey('auth.log'), { base: 'auth.log', kind: 2, rank: 0 });
    assert.deepEqual(rotationKey('.gz'), { base: '.gz', kind: 2, rank: 0 });
    assert.deepEqual(rotationKey('log.1234567'), { base: 'log.1234567', kind: 2, rank: 0 }); // too long for a rotation number
  });
});
