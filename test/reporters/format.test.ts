// Human formatting of counts, sizes, rates, durations, percentages, paths and times.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clipStart, formatBytes, formatCompact, formatCount, formatDuration, formatPercent, plural, shortTime,
} from '../../src/reporters/format.js';

describe('format', () => {
  it('formatCount groups thousands with commas', () => {
    assert.deepEqual([0, 7, 999, 1000, 12345, 1234567, -4500].map(formatCount), ['0', '7', '999', '1,000', '12,345', '1,234,567', '-4,500']);
  });

  it('formatBytes uses decimal units', () => {
    assert.deepEqual([0, 512, 999, 1000, 12_345_678, 999_960, 3_500_000_000].map(formatBytes),
      ['0 B', '512 B', '999 B', '1.0 kB', '12.3 MB', '1.0 MB', '3.5 GB']);
  });

  it('formatCompact shortens rates', () => {
    assert.deepEqual([0, 950, 4520, 12_500, 456_000, 999_600, 1_230_000].map(formatCompact),
      ['0', '950', '4.5k', '13k', '456k', '1.0M', '1.2M']);
  });

  it('formatDuration keeps two units', () => {
    assert.deepEqual([0, 999, 45_000, 185_000, 3_720_000, 90_000_000].map(formatDuration),
      ['0s', '0s', '45s', '3m 05s', '1h 02m', '1d 01h']);
  });

  it('formatPercent never rounds a non-zero share down to 0%', () => {
    assert.deepEqual([[57, 1244], [1, 2], [1, 100_000], [0, 10], [5, 0], [3, 3]].map(([a, b]) => formatPercent(a!, b!)),
      ['4.6%', '50%', '<0.1%', '0%', '0%', '100%']);
  });

  it('plural', () => {
    assert.deepEqual([plural(0, 'line'), plural(1, 'line'), plural(1500, 'event')], ['0 lines', '1 line', '1,500 events']);
  });

  it('clipStart keeps the end of a path and sanitizes', () => {
    assert.equal(clipStart('/var/log/nginx/access.log.2.gz', 16), '…access.log.2.gz');
    assert.equal(clipStart('/short', 16), '/short');
    assert.equal(clipStart('/x/\x1b[2J', 16), '/x/\\e[2J');
  });

  it('shortTime shows ISO UTC times as date and time, anything else sanitized', () => {
    assert.equal(shortTime('2026-11-23T10:00:05.123Z'), '2026-11-23 10:00:05');
    assert.equal(shortTime('2026-11-23T10:00:05Z'), '2026-11-23 10:00:05');
    assert.equal(shortTime('yesterday\x1b'), 'yesterday\\e');
  });
});
