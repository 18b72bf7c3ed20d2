// Events packed in a worker come back on the main thread equal to what the rule engine built: same keys in the same
// order, same values (nulls, numbers, any text), also once the per-source dictionary is full.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EventPacker, EventUnpacker } from '../../src/parallel/event-pack.js';
import type { SecurityEvent } from '../../src/types.js';

function event(over: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    type: 'auth.failure', severity: 'medium', outcome: 'failure', time: '2026-11-24T10:00:00.000Z', timeMs: 1795514400000,
    source: { ip: '203.0.113.9', port: 52144 }, user: 'root', host: 'web1', program: 'sshd', pid: 4120, phone: null,
    rule: 'sshd.failed', message: 'Failed password for root from 203.0.113.9 port 52144 ssh2', file: 'auth.log', line: 7,
    ...over,
  };
}

/** Packs `events` in batches of `per`, unpacks each batch, and returns what came back. */
function roundTrip(events: readonly SecurityEvent[], per: number): SecurityEvent[] {
  const packer = new EventPacker();
  const unpacker = new EventUnpacker();
  const back: SecurityEvent[] = [];
  for (let i = 0; i < events.length; i += per) {
    const batch = events.slice(i, i + per);
    for (const e of batch) packer.add(e);
    assert.equal(packer.count, batch.length);
    // as postMessage would: a structured clone of what is sent
    unpacker.load(structuredClone(packer.take()));
    for (const e of batch) back.push(unpacker.next(e.file, e.line));
  }
  return back;
}

describe('packing events between threads', () => {
  it('gives back an equal event with the keys in the order of the rule engine', () => {
    const e = event();
    const [back] = roundTrip([e], 1);
    assert.deepEqual(back, e);
    assert.equal(JSON.stringify(back), JSON.stringify(e));
    assert.deepEqual(Object.keys(back!), ['type', 'severity', 'outcome', 'time', 'timeMs', 'source', 'user', 'host', 'program', 'pid', 'phone', 'rule', 'message', 'file', 'line']);
  });

  it('keeps nulls apart from zeros and empty strings', () => {
    const events = [
      event({ time: null, timeMs: null, source: { ip: null, port: null }, user: null, host: null, program: null, pid: null }),
      event({ timeMs: 0, source: { ip: '', port: 0 }, user: '', host: '', program: '', pid: 0, phone: '+8613800138000', message: '' }),
    ];
    assert.deepEqual(roundTrip(events, 2), events);
  });

  it('sends repeated values once per source, and new ones with the batch that first has them', () => {
    const packer = new EventPacker();
    packer.add(event());
    assert.deepEqual(packer.take().dict, ['auth.failure', 'medium', 'failure', 'sshd.failed', 'web1', 'sshd', '203.0.113.9', 'root']);
    packer.add(event());
    packer.add(event({ host: 'web2', user: 'admin' }));
    assert.deepEqual(packer.take().dict, ['web2', 'admin']);
  });

  it('still carries every value once 4096 distinct ones filled the dictionary', () => {
    const events = Array.from({ length: 5000 }, (_, i) =>
      event({ host: `host-${i}`, program: i % 2 === 0 ? null : `p${i}`, source: { ip: `10.0.${i >> 8}.${i & 255}`, port: i }, line: i + 1 }));
    const back = roundTrip(events, 700);
    assert.equal(back[4999]!.host, 'host-4999');
    assert.equal(back[4999]!.program, 'p4999');
    assert.equal(back[4999]!.source.ip, '10.0.19.135');
    assert.deepEqual(back, events);
  });

  it('round-trips any values (property)', () => {
    const text = fc.option(fc.string({ unit: 'binary' }), { nil: null });
    const ev = fc.record({
      type: fc.constantFrom('auth.failure', 'web.sqli', 'app.fatal'),
      severity: fc.constantFrom('info', 'low', 'critical'),
      outcome: fc.constantFrom('success', 'failure', 'unknown'),
      time: text,
      timeMs: fc.option(fc.integer({ min: -8.64e15, max: 8.64e15 }), { nil: null }),
      source: fc.record({ ip: text, port: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }) }),
      user: text, host: text, program: text,
      pid: fc.option(fc.integer({ min: 0, max: 2 ** 31 }), { nil: null }),
      phone: text,
      rule: fc.constantFrom('sshd.failed', 'web.sqli', 'x'),
      message: fc.string({ unit: 'binary' }),
      file: fc.constant('f.log'),
      line: fc.integer({ min: 1, max: 1e9 }),
    }).map((r) => ({ ...r, source: { ...r.source } }) as SecurityEvent); // fast-check's records have no prototype
    fc.assert(fc.property(fc.array(ev, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (events, per) => {
      assert.deepEqual(roundTrip(events, per), events);
    }));
  });
});
