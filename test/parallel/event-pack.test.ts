// Events packed in a worker come back on the main thread equal to what the rule engine built: same keys in the same
// order, same values (nulls, numbers, any text), also once the per-source dictionary is full. The time text does
// not travel: the main thread writes it from timeMs, as the engine does for every event it builds.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRecordStage } from '../../src/formats/stage.js';
import { EventPacker, EventUnpacker } from '../../src/parallel/event-pack.js';
import { builtinRules } from '../../src/rules/compose.js';
import { createEngine } from '../../src/rules/engine.js';
import { createIsoFormatter } from '../../src/rules/event.js';
import { fixture } from '../helpers/paths.js';
import type { LineOutcome, LogRecord, SecurityEvent } from '../../src/types.js';

const iso = createIsoFormatter();

/** An event as the engine builds it: its time text is timeMs's. */
function event(over: Partial<SecurityEvent> = {}): SecurityEvent {
  const e: SecurityEvent = {
    type: 'auth.failure', severity: 'medium', outcome: 'failure', time: null, timeMs: 1795514400000,
    source: { ip: '203.0.113.9', port: 52144 }, user: 'root', host: 'web1', program: 'sshd', pid: 4120, phone: null,
    rule: 'sshd.failed', message: 'Failed password for root from 203.0.113.9 port 52144 ssh2', file: 'auth.log', line: 7,
    ...over,
  };
  e.time = iso(e.timeMs);
  return e;
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
    assert.equal(back!.time, '2026-11-24T10:00:00.000Z');
  });

  it('sends only the message as a string of its own: the time text is written again from timeMs', () => {
    const packer = new EventPacker();
    packer.add(event({ phone: '+8613800138000' }));
    packer.add(event({ timeMs: 1795514401234 }));
    const packed = packer.take();
    assert.deepEqual(packed.strs, [event().message, event().message]);
    assert.ok(packed.dict.includes('+8613800138000'));
    const unpacker = new EventUnpacker();
    unpacker.load(structuredClone(packed));
    assert.equal(unpacker.next('auth.log', 7).phone, '+8613800138000');
    assert.equal(unpacker.next('auth.log', 7).time, '2026-11-24T10:00:01.234Z');
  });

  it("holds for the engine's events on every fixture log: their time text is the one written from timeMs", () => {
    const engine = createEngine({ rules: builtinRules() });
    const reference = new Date('2026-11-26T12:00:00Z');
    let events = 0;
    const check = (e: SecurityEvent): void => {
      events++;
      assert.equal(e.time, createIsoFormatter()(e.timeMs), `${e.file}:${e.line}`);
    };
    for (const file of logFiles(fixture('logs'))) {
      const onRecord = (r: LogRecord, o: LineOutcome): void => {
        if (o !== 'skipped') engine(r, check);
      };
      const stage = createRecordStage({ file, ctx: { reference }, forced: null, onRecord });
      for (const line of readFileSync(file, 'utf8').split('\n')) stage.line(line, false);
      stage.end();
    }
    assert.ok(events > 100, `only ${events} events`);
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
      event({
        host: `host-${i}`, program: i % 2 === 0 ? null : `p${i}`, source: { ip: `10.0.${i >> 8}.${i & 255}`, port: i },
        phone: i % 3 === 0 ? null : `+86138${i}`, line: i + 1,
      }));
    const back = roundTrip(events, 700);
    assert.equal(back[4999]!.host, 'host-4999');
    assert.equal(back[4999]!.phone, '+861384999');
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
      time: fc.constant(null),
      timeMs: fc.option(fc.integer({ min: -8.64e15, max: 8.64e15 }), { nil: null }),
      source: fc.record({ ip: text, port: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }) }),
      user: text, host: text, program: text,
      pid: fc.option(fc.integer({ min: 0, max: 2 ** 31 }), { nil: null }),
      phone: text,
      rule: fc.constantFrom('sshd.failed', 'web.sqli', 'x'),
      message: fc.string({ unit: 'binary' }),
      file: fc.constant('f.log'),
      line: fc.integer({ min: 1, max: 1e9 }),
      // fast-check's records have no prototype; the time text is the engine's for timeMs
    }).map((r) => ({ ...r, time: iso(r.timeMs), source: { ...r.source } }) as SecurityEvent);
    fc.assert(fc.property(fc.array(ev, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (events, per) => {
      assert.deepEqual(roundTrip(events, per), events);
    }));
  });
});

/** The plain-text files under `dir` (fixtures/logs also holds gzip and binary ones, which readers decode first). */
function logFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...logFiles(path));
    else if (!readFileSync(path).subarray(0, 4096).includes(0) && !name.endsWith('.gz')) out.push(path);
  }
  return out;
}
