// The Bus keeps its own copy of the 'record' and 'event' listener lists: it must call the same listeners, in the
// same order, with the same arguments, as EventEmitter does, also when listeners come and go during an emit.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { Bus } from '../../src/bus.js';
import type { LogRecord, SecurityEvent } from '../../src/types.js';
import { event, record } from '../reporters/sample.js';

test('record and event listeners get exactly what was emitted, in the order they were added', () => {
  const bus = new Bus();
  const seen: string[] = [];
  const r = record('/var/log/auth.log', 3);
  const e = event();
  bus.on('record', function (this: unknown, ...args: unknown[]) {
    seen.push(`r1 ${args.length} ${args[0] === r} ${args[1]} ${this === bus}`);
  });
  bus.prependListener('record', (...args: unknown[]) => seen.push(`r0 ${args.length}`));
  bus.on('event', (...args: unknown[]) => seen.push(`e1 ${args.length} ${args[0] === e}`));
  bus.on('event', (...args: unknown[]) => seen.push(`e2 ${args.length}`));
  assert.equal(bus.emit('record', r, 'parsed'), true);
  assert.equal(bus.emit('event', e), true);
  assert.deepEqual(seen, ['r0 2', 'r1 2 true parsed true', 'e1 1 true', 'e2 1']);
});

test('emit says whether anyone listened', () => {
  const bus = new Bus();
  assert.equal(bus.emit('event', event()), false);
  const off = (): void => {};
  bus.on('event', off);
  assert.equal(bus.emit('event', event()), true);
  bus.off('event', off);
  assert.equal(bus.emit('event', event()), false);
});

test('a listener added or removed during an emit changes the next emit, not this one (as EventEmitter)', () => {
  for (const make of [() => new Bus(), () => new EventEmitter() as unknown as Bus]) {
    const bus = make();
    const seen: string[] = [];
    const late = (): void => { seen.push('late'); };
    const second = (): void => { seen.push('second'); };
    bus.on('event', () => {
      seen.push('first');
      bus.off('event', second);
      bus.on('event', late);
    });
    bus.on('event', second);
    bus.emit('event', event());
    seen.push('|');
    bus.emit('event', event());
    // the second emit calls late once: the copy taken when it started holds the one added by the first emit
    assert.deepEqual(seen, ['first', 'second', '|', 'first', 'late'], make.name);
  }
});

test('once listeners run once; other events keep their own arguments', () => {
  const bus = new Bus();
  const seen: string[] = [];
  bus.once('record', (r: LogRecord) => seen.push(`once ${r.line}`));
  bus.on('record', (r: LogRecord) => seen.push(`on ${r.line}`));
  bus.emit('record', record('f', 1), 'parsed');
  bus.emit('record', record('f', 2), 'parsed');
  bus.on('lines', (...args: unknown[]) => seen.push(`lines ${args.join(' ')}`));
  bus.on('end', (...args: unknown[]) => seen.push(`end ${args.length}`));
  bus.emit('lines', 'f', 'parsed', 7);
  bus.emit('end');
  assert.deepEqual(seen, ['once 1', 'on 1', 'on 2', 'lines f parsed 7', 'end 0']);
  assert.equal(bus.listenerCount('record'), 1);
});

test('an event listener may emit on the bus (an alert raised by an event) and sees the order kept', () => {
  const bus = new Bus();
  const seen: string[] = [];
  bus.on('event', (e: SecurityEvent) => {
    seen.push(`event ${e.line}`);
    if (e.line === 1) bus.emit('event', event({ line: 2 }));
  });
  bus.on('event', (e: SecurityEvent) => seen.push(`after ${e.line}`));
  bus.emit('event', event({ line: 1 }));
  assert.deepEqual(seen, ['event 1', 'event 2', 'after 2', 'after 1']);
});
