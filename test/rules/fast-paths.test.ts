// The engine's shortcuts give the answers of the plain rule-by-rule walk: the literal scan finds overlapping
// literals and literals that start at the same place, first-character dispatch needs the literal too, and the ISO
// time formatter agrees with Date.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compileRules } from '../../src/rules/compile.js';
import { MAX_REPEAT, createEngine } from '../../src/rules/engine.js';
import { createIsoFormatter } from '../../src/rules/event.js';
import { LiteralScan } from '../../src/rules/literal-scan.js';
import type { RuleSpec } from '../../src/rules/spec.js';
import type { LogRecord } from '../../src/types.js';
import { rec } from './rec.js';

function spec(over: Partial<RuleSpec> & Pick<RuleSpec, 'id'>): RuleSpec {
  return { family: 'test', description: 'test rule', type: 'auth.failure', outcome: 'failure', examples: { match: [] }, ...over };
}

function summary(engine: ReturnType<typeof createEngine>, record: LogRecord): string[] {
  const out: string[] = [];
  engine(record, (e) => out.push(`${e.rule} ${e.user ?? '-'}`));
  return out;
}

describe('LiteralScan', () => {
  const rules = compileRules([
    spec({ id: 'a', literal: 'Connection closed by ' }),
    spec({ id: 'b', literal: 'by authenticating user ' }),
    spec({ id: 'c', literal: 'Connection ' }),
    spec({ id: 'd', literal: ['zzz', 'closed'] }),
    spec({ id: 'e', literal: 'nothing here' }),
  ]).map((rule, slot) => ({ rule, slot }));
  const scan = new LiteralScan(rules);

  test('marks every rule whose literal occurs: overlapping, nested and sharing a start', () => {
    const stamp = new Int32Array(rules.length);
    scan.mark('Connection closed by authenticating user root 203.0.113.9 port 22', stamp, 7);
    assert.deepEqual([...stamp], [7, 7, 7, 7, 0]);
  });

  test('marks nothing on a message without literals, and only with this record number', () => {
    const stamp = new Int32Array(rules.length).fill(3);
    scan.mark('Accepted password for root', stamp, 4);
    assert.deepEqual([...stamp], [3, 3, 3, 3, 3]);
  });
});

describe('gated rules in the engine', () => {
  const engine = createEngine({
    rules: compileRules([
      spec({ id: 't.prefix', literal: ['by authenticating user ', 'by invalid user '], pattern: '^Connection closed by \\w+ user (?<user>\\w+)' }),
      spec({ id: 't.overlap', type: 'auth.invalid_user', literal: 'closed by authenticating', pattern: 'authenticating user (?<user>\\w+)' }),
      spec({ id: 't.plain', type: 'auth.success', outcome: 'success', literal: 'Connection ', pattern: '^Connection (?<user>\\w+)' }),
      spec({ id: 't.nolit', type: 'app.error', outcome: 'unknown', pattern: '^Connection reset' }),
      spec({ id: 't.fb', type: 'app.fatal', outcome: 'unknown', fallback: true, literal: 'boom', pattern: '^boom (?<user>\\w+)' }),
    ]),
  });

  test('a prefix rule runs only when its literal is there too; first rule wins', () => {
    assert.deepEqual(summary(engine, rec({ message: 'Connection closed by authenticating user root' })), ['t.prefix root']);
    assert.deepEqual(summary(engine, rec({ message: 'Connection closed by peer' })), ['t.plain closed']);
    assert.deepEqual(summary(engine, rec({ message: 'Connection reset by peer' })), ['t.plain reset']);
  });

  test('a fallback with a prefix and a literal', () => {
    assert.deepEqual(summary(engine, rec({ message: 'boom alice' })), ['t.fb alice']);
    assert.deepEqual(summary(engine, rec({ message: 'bang alice' })), []);
  });

  test('repeats still multiply the event, within MAX_REPEAT', () => {
    const out = summary(engine, rec({ message: 'message repeated 500 times: [ boom bob]' }));
    assert.equal(out.length, MAX_REPEAT);
    assert.equal(out[0], 't.fb bob');
  });
});

describe('createIsoFormatter', () => {
  test('agrees with Date.prototype.toISOString over a sequence of times', () => {
    const range = 8.64e15;
    const time = fc.oneof(fc.integer({ min: -range, max: range }), fc.integer({ min: 1.7e12, max: 1.8e12 }), fc.double({ min: -1e13, max: 1e13, noNaN: true }));
    fc.assert(
      fc.property(fc.array(time, { maxLength: 30 }), (times) => {
        const iso = createIsoFormatter();
        for (const t of times) assert.equal(iso(t), new Date(Math.trunc(t)).toISOString());
      }),
    );
  });

  test('null and out-of-range times are null; the same time twice is the same text', () => {
    const iso = createIsoFormatter();
    assert.equal(iso(null), null);
    assert.equal(iso(8.64e15 + 1), null);
    assert.equal(iso(Number.NaN), null);
    assert.equal(iso(Date.UTC(2026, 10, 23, 3, 14, 29, 7)), '2026-11-23T03:14:29.007Z');
    assert.equal(iso(Date.UTC(2026, 10, 23, 3, 14, 29, 7)), '2026-11-23T03:14:29.007Z');
    assert.equal(iso(Date.UTC(2026, 10, 23, 3, 14, 30)), '2026-11-23T03:14:30.000Z');
    assert.equal(iso(-1), '1969-12-31T23:59:59.999Z');
  });
});
