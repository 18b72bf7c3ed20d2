// The event builder hands a repeated address or account the previous event's copy (rules/event.ts): every event
// must still carry exactly the values its own line says, whatever came before it (new values, replays of the
// outcome memo, values of the same length, addresses with ports).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { createEngine } from '../../src/rules/engine.js';
import type { LogRecord, SecurityEvent } from '../../src/types.js';
import { rec } from './rec.js';

const RULES = compileRules(BUILTIN_RULES, { builtin: true });
// One fields object for every record, as a syslog parser gives: the outcome memo serves only such records.
const FIELDS = Object.freeze({});

function record(message: string, line: number): LogRecord {
  // the message as a slice of a longer line, as the parsers make it
  const raw = `Nov 23 03:14:22 web-01 sshd[4120]: ${message}`;
  return rec({ program: 'sshd', pid: 4120, line, raw, message: raw.slice(raw.indexOf(': ') + 2), fields: FIELDS });
}

function run(messages: readonly string[]): SecurityEvent[] {
  const engine = createEngine({ rules: RULES });
  const out: SecurityEvent[] = [];
  messages.forEach((m, i) => engine(record(m, i + 1), (e) => out.push(e)));
  return out;
}

test('each failure carries its own address and account, repeated or not', () => {
  const events = run([
    'Failed password for root from 203.0.113.45 port 50130 ssh2',
    'Failed password for root from 203.0.113.45 port 50131 ssh2',
    'Failed password for admin from 203.0.113.46 port 50132 ssh2', // same length, one digit apart
    'Failed password for root from 203.0.113.45 port 50133 ssh2',
    'Failed password for invalid user oracle from 2001:db8::7 port 22 ssh2',
    'Failed password for invalid user oracle from 2001:db8::7 port 22 ssh2', // the very same message
    'Failed password for invalid user oracle from 2001:db8::7 port 22 ssh2', // a replay of the memo
    'Failed password for root from 2001:db8::7 port 23 ssh2',
    'Failed password for root from 198.51.100.7 port 23 ssh2',
  ]);
  assert.deepEqual(events.map((e) => [e.source.ip, e.source.port, e.user]), [
    ['203.0.113.45', 50130, 'root'],
    ['203.0.113.45', 50131, 'root'],
    ['203.0.113.46', 50132, 'admin'],
    ['203.0.113.45', 50133, 'root'],
    ['2001:db8::7', 22, 'oracle'],
    ['2001:db8::7', 22, 'oracle'],
    ['2001:db8::7', 22, 'oracle'],
    ['2001:db8::7', 23, 'root'],
    ['198.51.100.7', 23, 'root'],
  ]);
});

const ADDRESSES = ['203.0.113.45', '203.0.113.46', '203.0.113.145', '10.0.0.1', '2001:db8::7', '2001:db8:4:1::25', '198.51.100.7'];
const USERS = ['root', 'admin', 'oracle', 'a-very-long-account-name', 'a-very-long-account-nam3'];

test('a property: any sequence of failures, repeats and replays gives each event the values of its line', () => {
  const line = fc.record({
    ip: fc.constantFrom(...ADDRESSES),
    user: fc.constantFrom(...USERS),
    port: fc.constantFrom(22, 50130, 50131),
    invalid: fc.boolean(),
  });
  fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), (lines) => {
    const messages = lines.map((l) => `Failed password for ${l.invalid ? 'invalid user ' : ''}${l.user} from ${l.ip} port ${l.port} ssh2`);
    const events = run(messages);
    assert.deepEqual(events.map((e) => [e.line, e.source.ip, e.source.port, e.user]), lines.map((l, i) => [i + 1, l.ip, l.port, l.user]));
  }), { numRuns: 300 });
});
