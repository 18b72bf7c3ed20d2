// Property tests: the engine and its helpers never throw on any input, and every event they emit is well formed.
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { MAX_REPEAT, createEngine } from '../../src/rules/engine.js';
import { normaliseExample } from '../../src/rules/examples.js';
import { valuesFromMessage } from '../../src/rules/message-values.js';
import { parseRepeated } from '../../src/rules/repeated.js';
import { decodeWeb } from '../../src/rules/web/decode.js';
import type { SecurityEvent } from '../../src/types.js';
import { EVENT_TYPES, SEVERITIES } from '../../src/types.js';
import { rec } from './rec.js';

const engine = createEngine({ rules: compileRules(BUILTIN_RULES) });
const ruleIds = new Set(BUILTIN_RULES.map((r) => r.id));

// Texts near the ones rules look for: their own examples cut, spliced and salted, and noise.
const examples = BUILTIN_RULES.flatMap((spec) =>
  spec.examples.match.map((ex) => {
    const e = normaliseExample(spec, ex);
    return e.message || Object.values(e.fields ?? {}).join(' ');
  }),
).filter((t) => t !== '');
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.tuple(fc.constantFrom(...examples), fc.nat(), fc.string({ unit: 'binary-ascii', maxLength: 20 }))
    .map(([s, at, junk]) => s.slice(0, at % (s.length + 1)) + junk),
  fc.tuple(fc.constantFrom(...examples), fc.nat(), fc.nat(), fc.string({ maxLength: 5 }))
    .map(([s, a, b, junk]) => s.slice(0, a % (s.length + 1)) + junk + s.slice(b % (s.length + 1))),
  fc.tuple(fc.nat({ max: 2000 }), fc.constantFrom(...examples)).map(([n, s]) => `message repeated ${n} times: [ ${s}]`),
);
const programs = fc.constantFrom(null, 'sshd', 'sshd-session', 'sudo', 'su', 'login', 'dovecot', 'postfix/smtpd', 'vsftpd', 'kernel', 'mysqld', 'postgres', 'useradd', 'usermod', 'dropbear', 'app', '__proto__', 'constructor');
const fieldNames = fc.constantFrom('ip', 'user', 'phone', 'url', 'agent', 'referer', 'status', 'method', 'audit_type', 'res', 'event', 'action', 'c', 'port', '__proto__', 'toString');
const record = fc.record({
  program: programs,
  format: fc.constantFrom(null, 'syslog', 'access', 'json', 'auditd'),
  level: fc.constantFrom(null, ...SEVERITIES),
  time: fc.oneof(fc.constant(null), fc.integer({ min: -1e13, max: 1e13 }), fc.double()),
  message: text,
  fields: fc.dictionary(fieldNames, text, { maxKeys: 6 }),
});

function wellFormed(e: SecurityEvent, message: string): void {
  assert.ok(Object.prototype.hasOwnProperty.call(EVENT_TYPES, e.type), e.type);
  assert.ok(SEVERITIES.includes(e.severity));
  assert.ok(['success', 'failure', 'unknown'].includes(e.outcome));
  assert.ok(ruleIds.has(e.rule), e.rule);
  assert.equal(e.message, message);
  assert.ok(e.time === null || !Number.isNaN(Date.parse(e.time)));
  assert.ok(e.source.port === null || (Number.isInteger(e.source.port) && e.source.port >= 0 && e.source.port <= 65535));
  for (const v of [e.source.ip, e.user, e.phone]) assert.ok(v === null || (typeof v === 'string' && v !== ''));
}

describe('properties', () => {
  test('the engine never throws, and emits well-formed events, each type at most MAX_REPEAT times', () => {
    fc.assert(
      fc.property(record, (r) => {
        const events: SecurityEvent[] = [];
        engine(rec(r), (e) => events.push(e));
        for (const e of events) wellFormed(e, r.message);
        const perType = new Map<string, number>();
        for (const e of events) perType.set(e.type, (perType.get(e.type) ?? 0) + 1);
        for (const n of perType.values()) assert.ok(n <= MAX_REPEAT);
      }),
      { numRuns: 3000 },
    );
  });

  test('decodeWeb never throws and leaves no ASCII capital letter (signatures are ASCII, lowercase)', () => {
    fc.assert(
      fc.property(text, (s) => {
        assert.doesNotMatch(decodeWeb(s), /[A-Z]/);
      }),
      { numRuns: 2000 },
    );
  });

  test('parseRepeated never throws; an inner message is part of the line', () => {
    fc.assert(
      fc.property(text, (s) => {
        const r = parseRepeated(s);
        if (r !== null) {
          assert.ok(s.includes(r.inner));
          assert.ok(Number.isInteger(r.count) && r.count >= 0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('valuesFromMessage never throws; an address it gives is an address', () => {
    fc.assert(
      fc.property(text, (s) => {
        const v = valuesFromMessage(s);
        assert.ok(v.ip === null || isIP(v.ip) !== 0);
      }),
      { numRuns: 2000 },
    );
  });
});
