// Live output: a Fatal Event block per critical event and one line per alert, with everything from logs escaped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bus } from '../../src/bus.js';
import { alertBlock, attachLive, fatalBlock } from '../../src/reporters/live.js';
import { alert, colour, event, plain, sinkIo } from './sample.js';

const fatal = event({
  type: 'app.fatal', severity: 'critical', outcome: 'unknown', time: '2026-11-23T10:00:00.000Z',
  source: { ip: null, port: null }, user: null, host: 'srv1', program: 'app', pid: 4242,
  rule: 'app.fatal_level', message: 'FATAL: database connection lost', file: '/var/log/app.log', line: 1234,
});

describe('live reporter', () => {
  it('prints a Fatal Event block for a critical event, then a blank line', () => {
    assert.equal(fatalBlock(fatal, plain), [
      'Fatal Event: app.fatal [app.fatal_level]',
      '  time:    2026-11-23T10:00:00.000Z',
      '  where:   /var/log/app.log:1234',
      '  program: app[4242]',
      '  message: FATAL: database connection lost',
      '',
      '',
    ].join('\n'));
  });

  it('leaves out the fields that are null', () => {
    const bare = { ...fatal, time: null, program: null, pid: null };
    assert.equal(fatalBlock(bare, plain), [
      'Fatal Event: app.fatal [app.fatal_level]',
      '  where:   /var/log/app.log:1234',
      '  message: FATAL: database connection lost',
      '',
      '',
    ].join('\n'));
    assert.equal(fatalBlock({ ...fatal, pid: null }, plain).split('\n')[3], '  program: app');
  });

  it('escapes an ESC sequence, a bidi override and a CR coming from the log', () => {
    const hostile = { ...fatal, message: 'x\x1b[2J\x1b]0;owned\x07y \u202eevil\u202c z\rfake line', program: 'a\x1bpp', file: '/tmp/\u202egol.exe' };
    const text = fatalBlock(hostile, plain);
    assert.equal(text.split('\n')[4], '  message: x\\e[2J\\e]0;owned\\x07y \\u{202e}evil\\u{202c} z\\rfake line');
    assert.equal(text.split('\n')[3], '  program: a\\epp[4242]');
    assert.equal(text.split('\n')[2], '  where:   /tmp/\\u{202e}gol.exe:1234');
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]/.test(text));
  });

  it('clips a long message to 500 characters', () => {
    const text = fatalBlock({ ...fatal, message: 'A'.repeat(2000) }, plain);
    assert.equal(text.split('\n')[4], `  message: ${'A'.repeat(499)}…`);
  });

  it('colours the heading when colour is on', () => {
    assert.ok(fatalBlock(fatal, colour).startsWith('\x1b[1m\x1b[31mFatal Event: app.fatal [app.fatal_level]\x1b[39m\x1b[22m\n'));
  });

  it('prints an alert as one line', () => {
    assert.equal(alertBlock(alert(), plain),
      'Alert: [high] SSH brute force (203.0.113.9) 12 events, 2026-11-23T10:00:00.000Z – 2026-11-23T10:04:00.000Z\n\n');
    assert.equal(alertBlock(alert({ count: 1, first: '2026-11-23T10:00:00.000Z', last: '2026-11-23T10:00:00.000Z' }), plain),
      'Alert: [high] SSH brute force (203.0.113.9) 1 event, 2026-11-23T10:00:00.000Z\n\n');
    assert.equal(alertBlock(alert({ first: null, last: null, key: 'ro\x1bot' }), plain),
      'Alert: [high] SSH brute force (ro\\eot) 12 events\n\n');
  });

  it('writes blocks to stdout as events arrive, and nothing for other severities', () => {
    const { io, out, err } = sinkIo();
    const bus = new Bus();
    attachLive(bus, io, plain);
    bus.emit('event', event({ severity: 'high' }));
    assert.equal(out.text(), '');
    bus.emit('event', fatal);
    assert.equal(out.text(), fatalBlock(fatal, plain));
    bus.emit('alert', alert());
    assert.equal(out.text(), fatalBlock(fatal, plain) + alertBlock(alert(), plain));
    assert.equal(err.text(), '');
  });
});
