// Progress on stderr: silent for the first second, redrawn in place, out of the way of live output, gone on stop.
// Time is an injected clock and node:test's mock timers: nothing here waits for real time.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Bus } from '../../src/bus.js';
import { CLEAR_LINE, progressLine, startProgress } from '../../src/reporters/progress.js';
import { alert, event, record, sinkIo } from './sample.js';

describe('progressLine', () => {
  it('shows bytes against the total, lines, rates and time left', () => {
    assert.equal(progressLine({ bytes: 3_000_000, totalBytes: 10_000_000, lines: 50_000, elapsedMs: 2000 }),
      '3.0 MB / 10.0 MB (30%)  50,000 lines  25k lines/s  1.5 MB/s  4s left');
  });

  it('shows bytes read and no time left when the total is unknown (stdin)', () => {
    assert.equal(progressLine({ bytes: 3_000_000, totalBytes: null, lines: 50_000, elapsedMs: 2000 }),
      '3.0 MB read  50,000 lines  25k lines/s  1.5 MB/s');
  });

  it('never claims 100% nor a time left once the bytes pass the total (a growing file)', () => {
    assert.equal(progressLine({ bytes: 12_000, totalBytes: 10_000, lines: 100, elapsedMs: 4000 }),
      '12.0 kB / 10.0 kB (99%)  100 lines  25 lines/s  3.0 kB/s');
  });
});

describe('startProgress', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 0;
    mock.timers.enable({ apis: ['setInterval'] });
  });
  afterEach(() => mock.timers.reset());

  function feed(bus: Bus): void {
    bus.emit('bytes', 3_000_000, '/var/log/auth.log');
    for (let i = 0; i < 50_000; i++) bus.emit('record', record('/var/log/auth.log', i + 1), 'parsed');
  }

  it('does nothing when disabled: no listener, no output', () => {
    const { io, err } = sinkIo();
    const bus = new Bus();
    const p = startProgress(bus, io, { totalBytes: 10_000_000, enabled: false, clock });
    assert.equal(bus.listenerCount('record') + bus.listenerCount('bytes'), 0);
    now = 5000;
    mock.timers.tick(1000);
    p.stop();
    assert.equal(err.text(), '');
  });

  it('stays silent for the first second, then redraws the line in place', () => {
    const { io, out, err } = sinkIo();
    const bus = new Bus();
    const p = startProgress(bus, io, { totalBytes: 10_000_000, enabled: true, clock });
    feed(bus);
    now = 900;
    mock.timers.tick(100);
    assert.equal(err.text(), '');
    now = 2000;
    mock.timers.tick(100);
    assert.equal(err.text(), `${CLEAR_LINE}3.0 MB / 10.0 MB (30%)  50,000 lines  25k lines/s  1.5 MB/s  4s left`);
    now = 4000;
    mock.timers.tick(100);
    assert.deepEqual(err.writes().slice(1), [`${CLEAR_LINE}3.0 MB / 10.0 MB (30%)  50,000 lines  13k lines/s  750.0 kB/s  9s left`]);
    p.stop();
    assert.equal(out.text(), '', 'never on stdout');
  });

  it('clears its line on stop, then never draws again', () => {
    const { io, err } = sinkIo();
    const bus = new Bus();
    const p = startProgress(bus, io, { totalBytes: null, enabled: true, clock });
    now = 1500;
    mock.timers.tick(100);
    p.stop();
    assert.equal(err.writes().at(-1), CLEAR_LINE);
    const count = err.writes().length;
    now = 9000;
    mock.timers.tick(1000);
    p.stop();
    assert.equal(err.writes().length, count);
    assert.equal(bus.listenerCount('record') + bus.listenerCount('bytes') + bus.listenerCount('event') + bus.listenerCount('alert'), 0);
  });

  it('writes nothing on stop when it never drew', () => {
    const { io, err } = sinkIo();
    const p = startProgress(new Bus(), io, { totalBytes: 100, enabled: true, clock });
    now = 500;
    mock.timers.tick(100);
    p.stop();
    assert.equal(err.text(), '');
  });

  it('clears its line before a fatal event or an alert is printed, and stops at the end of the scan', () => {
    const { io, err } = sinkIo();
    const bus = new Bus();
    const seen: string[] = [];
    // registered first, like the live reporter: progress must still run before it
    bus.on('event', () => seen.push(err.text()));
    bus.on('alert', () => seen.push(err.text()));
    startProgress(bus, io, { totalBytes: 100, enabled: true, clock });
    now = 1500;
    mock.timers.tick(100);
    bus.emit('event', event({ severity: 'critical', type: 'app.fatal' }));
    assert.ok(seen[0]!.endsWith(CLEAR_LINE));
    mock.timers.tick(100);
    bus.emit('alert', alert());
    assert.ok(seen[1]!.endsWith(CLEAR_LINE));
    const before = err.writes().length;
    bus.emit('event', event({ severity: 'high' })); // not printed live: the line stays
    assert.equal(err.writes().length, before);
    mock.timers.tick(100);
    bus.emit('end');
    assert.equal(err.writes().at(-1), CLEAR_LINE);
    assert.equal(bus.listenerCount('record'), 0);
  });

  it('fits the terminal width', () => {
    const { io, err } = sinkIo();
    err.stream.columns = 22;
    const p = startProgress(new Bus(), io, { totalBytes: 10_000_000, enabled: true, clock });
    now = 2000;
    mock.timers.tick(100);
    p.stop();
    assert.equal(err.writes()[0], `${CLEAR_LINE}0 B / 10.0 MB (0%)  0`);
  });
});

describe('startProgress timer', () => {
  it('does not keep the process alive (unref)', () => {
    const { io } = sinkIo();
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timeouts();
    const p = startProgress(new Bus(), io, { totalBytes: null, enabled: true, interval: 60_000 });
    assert.equal(timeouts(), before);
    p.stop();
  });
});
