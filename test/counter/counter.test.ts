// The counter folds bus traffic into a Summary: numbers below are worked out by hand from the emitted traffic.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bus } from '../../src/bus.js';
import { Counter, MAX_ALERTS } from '../../src/counter/counter.js';
import type { LineOutcome } from '../../src/types.js';
import { alert, event, record, sourceEnd } from '../reporters/sample.js';

const AUTH = '/var/log/auth.log';
const APP = '/srv/app/app.log';

function lines(bus: Bus, file: string, outcomes: LineOutcome[]): void {
  outcomes.forEach((o, i) => bus.emit('record', record(file, i + 1), o));
}

/** Two sources, six events, a problem and two alerts. */
function scan(bus: Bus): void {
  bus.emit('sourceStart', { name: AUTH, size: 512 });
  lines(bus, AUTH, ['parsed', 'parsed', 'unparsed', 'parsed', 'skipped', 'parsed', 'truncated', 'unparsed', 'parsed']);
  bus.emit('bytes', 300, AUTH);
  bus.emit('bytes', 212, AUTH);
  bus.emit('event', event({ time: '2026-11-23T10:00:01.000Z', user: 'root' }));
  bus.emit('event', event({ time: '2026-11-23T10:00:03.000Z', user: 'admin' }));
  bus.emit('event', event({ type: 'auth.invalid_user', time: '2026-11-23T10:00:02.000Z', source: { ip: '198.51.100.7', port: 4000 }, user: 'oracle', host: null }));
  bus.emit('event', event({ type: 'auth.success', severity: 'info', outcome: 'success', time: '2026-11-23T09:59:59.000Z', host: null }));
  bus.emit('event', event({
    type: 'app.fatal', severity: 'critical', outcome: 'unknown', time: null, source: { ip: null, port: null }, user: null,
    message: 'panic: \x1b[2Jcleared',
  }));
  bus.emit('sourceEnd', sourceEnd(AUTH, 'syslog-3164', 512));
  bus.emit('problem', { source: '/var/log/btmp', message: 'skipped binary file /var/log/btmp', code: 'BINARY', level: 'warning' });
  bus.emit('sourceStart', { name: APP, size: 100 });
  lines(bus, APP, ['parsed', 'parsed']);
  bus.emit('event', event({
    severity: 'high', time: '2026-11-23T11:00:00.000Z', source: { ip: '2001:db8::1', port: null }, host: null, file: APP,
    message: 'tab\tonly', // a tab becomes a space: not counted as sanitized
  }));
  bus.emit('sourceEnd', sourceEnd(APP, null, 100));
  bus.emit('alert', alert());
  bus.emit('alert', alert({ id: 'spray', key: 'root', severity: 'medium' }));
  bus.emit('end');
}

describe('Counter', () => {
  it('folds a scan into the summary', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 2 });
    scan(bus);
    const s = counter.summary();
    assert.deepEqual(s.sources, [
      { name: AUTH, format: 'syslog-3164', bytes: 512, lines: 9, parsed: 5, unparsed: 2, skipped: 1, truncated: 1, events: 5, sanitized: 1 },
      { name: APP, format: null, bytes: 100, lines: 2, parsed: 2, unparsed: 0, skipped: 0, truncated: 0, events: 1, sanitized: 0 },
    ]);
    assert.deepEqual(s.totals, { lines: 11, parsed: 7, unparsed: 2, skipped: 1, truncated: 1, events: 6, bytes: 612 });
    assert.deepEqual(s.byType, [
      { type: 'app.fatal', severity: 'critical', count: 1 },
      { type: 'auth.failure', severity: 'high', count: 1 },
      { type: 'auth.failure', severity: 'medium', count: 2 },
      { type: 'auth.invalid_user', severity: 'medium', count: 1 },
      { type: 'auth.success', severity: 'info', count: 1 },
    ]);
    assert.deepEqual(s.bySeverity, { info: 1, low: 0, medium: 3, high: 1, critical: 1 });
    assert.deepEqual(s.topSources, [
      { key: '203.0.113.9', count: 3, failures: 2, successes: 1 },
      { key: '198.51.100.7', count: 1, failures: 1, successes: 0 }, // ties with 2001:db8::1, first by key
    ]);
    assert.deepEqual(s.topUsers, [
      { key: 'root', count: 3, failures: 2, successes: 1 },
      { key: 'admin', count: 1, failures: 1, successes: 0 },
    ]);
    assert.deepEqual(s.topHosts, [{ key: 'srv1', count: 3, failures: 2, successes: 0 }]);
    assert.equal(s.approximate, false);
    assert.equal(s.maxKeys, 10_000);
    assert.equal(s.firstTime, '2026-11-23T09:59:59.000Z');
    assert.equal(s.lastTime, '2026-11-23T11:00:00.000Z');
    assert.deepEqual(s.problems, [{ source: '/var/log/btmp', message: 'skipped binary file /var/log/btmp', code: 'BINARY', level: 'warning' }]);
    assert.deepEqual(s.alerts.map((a) => a.id), ['brute_force', 'spray']);
  });

  it('lines always equal parsed + unparsed + skipped + truncated', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    scan(bus);
    for (const src of counter.summary().sources) assert.equal(src.lines, src.parsed + src.unparsed + src.skipped + src.truncated);
  });

  it('starts empty', () => {
    const s = new Counter(new Bus(), { top: 5 }).summary();
    assert.deepEqual(s.sources, []);
    assert.deepEqual(s.totals, { lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0, bytes: 0 });
    assert.equal(s.firstTime, null);
    assert.equal(s.lastTime, null);
  });

  it('shows the bytes read so far when a source has not ended (interrupted scan)', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    bus.emit('sourceStart', { name: AUTH, size: 1000 });
    bus.emit('bytes', 400, AUTH);
    lines(bus, AUTH, ['parsed']);
    assert.deepEqual(counter.summary().sources[0], {
      name: AUTH, format: null, bytes: 400, lines: 1, parsed: 1, unparsed: 0, skipped: 0, truncated: 0, events: 0, sanitized: 0,
    });
  });

  it('gives each scan of the same name its own entry', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    for (const n of [1, 2]) {
      bus.emit('sourceStart', { name: '-', size: null });
      lines(bus, '-', n === 1 ? ['parsed'] : ['unparsed', 'unparsed']);
      bus.emit('sourceEnd', sourceEnd('-', 'logfmt', 10 * n));
    }
    assert.deepEqual(counter.summary().sources.map((s) => [s.lines, s.parsed, s.unparsed, s.bytes]), [[1, 1, 0, 10], [2, 0, 2, 20]]);
  });

  it('puts a record whose file names no source on the open source', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    bus.emit('sourceStart', { name: '(stdin)', size: null });
    lines(bus, '-', ['parsed', 'skipped']);
    assert.deepEqual(counter.summary().sources.map((s) => [s.name, s.lines, s.skipped]), [['(stdin)', 2, 1]]);
  });

  it('marks the counts approximate once a key table overflows', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 2, maxKeys: 3 });
    bus.emit('sourceStart', { name: AUTH, size: null });
    // 30 of 80 events: more than 80 / 3, so Space-Saving must keep it, and exactly (it never comes back once gone)
    for (let i = 0; i < 30; i++) bus.emit('event', event({ source: { ip: '203.0.113.9', port: null } }));
    for (let i = 0; i < 50; i++) bus.emit('event', event({ source: { ip: `198.51.100.${i}`, port: null } }));
    const s = counter.summary();
    assert.equal(s.approximate, true);
    assert.equal(s.maxKeys, 3);
    assert.deepEqual(s.topSources[0], { key: '203.0.113.9', count: 30, failures: 30, successes: 0 });
    assert.equal(s.topSources.length, 2);
  });

  it('ignores empty keys', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    bus.emit('event', event({ source: { ip: '', port: null }, user: '', host: '' }));
    const s = counter.summary();
    assert.deepEqual([s.topSources, s.topUsers, s.topHosts], [[], [], []]);
    assert.equal(s.totals.events, 1);
  });

  it('keeps at most MAX_ALERTS alerts, preferring the more severe', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    for (let i = 0; i < MAX_ALERTS; i++) bus.emit('alert', alert({ severity: 'low', key: `10.0.0.${i}`, count: 5 }));
    bus.emit('alert', alert({ severity: 'info', key: 'ignored' }));
    bus.emit('alert', alert({ severity: 'critical', key: 'kept' }));
    const keys = counter.summary().alerts.map((a) => a.key);
    assert.equal(keys.length, MAX_ALERTS);
    assert.ok(keys.includes('kept'));
    assert.ok(!keys.includes('ignored'));
  });

  it('counts as sanitized exactly the messages sanitize() escapes, non-ASCII or not', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    bus.emit('sourceStart', { name: AUTH, size: null });
    const messages = [
      'Failed password for tëst1065', // Latin-1 letters: safe
      'user 注册 ok', // CJK, outside the quick check's ranges: safe all the same
      'tab\tand ×', // a tab (becomes a space) and U+00D7: nothing escaped
      'bidi \u202e override', // escaped
      'C1 \u0085 control', // escaped (NEL)
      'zero\u200bwidth', // escaped
      'bom \ufeff', // escaped
      'Arabic letter mark \u061c', // escaped
      'Arabic \u0627\u0644', // safe letters next to it
    ];
    for (const message of messages) bus.emit('event', event({ file: AUTH, message }));
    assert.equal(counter.summary().sources[0]!.sanitized, 5);
  });

  it('counts a repeated message each time it comes, the same string or an equal copy, after a safe one or not', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    bus.emit('sourceStart', { name: AUTH, size: null });
    const unsafe = 'bidi \u202e override';
    const messages = [unsafe, unsafe, (' ' + unsafe).slice(1), 'safe', 'safe', unsafe, '', unsafe.slice(0, 5), unsafe];
    for (const message of messages) bus.emit('event', event({ file: AUTH, message }));
    assert.equal(counter.summary().sources[0]!.sanitized, 5); // the five unsafe ones
  });

  it('returns a snapshot that later traffic does not change', () => {
    const bus = new Bus();
    const counter = new Counter(bus, { top: 5 });
    bus.emit('sourceStart', { name: AUTH, size: null });
    lines(bus, AUTH, ['parsed']);
    const before = counter.summary();
    lines(bus, AUTH, ['parsed']);
    bus.emit('event', event());
    assert.equal(before.sources[0]!.lines, 1);
    assert.equal(before.totals.events, 0);
    assert.equal(counter.summary().sources[0]!.lines, 2);
  });
});
