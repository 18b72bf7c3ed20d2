// The engine's shortcuts (program lists, first-character order, the lazy literal scan, the gate ignoring case, the
// stop once a 'first' rule matched) give the same events as a plain walk over every rule in order.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import type { CompiledRule } from '../../src/rules/compile.js';
import { compileRules } from '../../src/rules/compile.js';
import { MAX_REPEAT, createEngine } from '../../src/rules/engine.js';
import { createEventBuilder } from '../../src/rules/event.js';
import { LiteralScan } from '../../src/rules/literal-scan.js';
import { normaliseExample } from '../../src/rules/examples.js';
import { NO_MATCH, createMatcher } from '../../src/rules/matcher.js';
import { parseRepeated } from '../../src/rules/repeated.js';
import type { RuleSpec } from '../../src/rules/spec.js';
import { decodeWeb } from '../../src/rules/web/decode.js';
import type { LogRecord } from '../../src/types.js';
import { rec } from './rec.js';

function accepts(rule: CompiledRule, program: string | null): boolean {
  if (rule.programs === null) return true;
  return rule.programs.some((p) =>
    p === null ? program === null : program !== null && (p.endsWith('*') ? program.startsWith(p.slice(0, -1)) : program === p));
}

/** The engine's policy, rule by rule, with no index, scan or gate: the answer the engine must give. */
function walk(rules: readonly CompiledRule[], record: LogRecord): string[] {
  const build = createEventBuilder();
  const out: string[] = [];
  let message = record.message;
  let repeat = 1;
  const r = parseRepeated(message);
  if (r !== null) {
    message = r.inner;
    repeat = r.count;
  }
  const emit = (rule: CompiledRule, groups: ReturnType<ReturnType<typeof createMatcher>>): string => {
    const event = build(record, rule, groups === NO_MATCH ? undefined : groups);
    const count = Number(groups === NO_MATCH ? undefined : groups?.count);
    const times = Math.min(Math.max(repeat * (Number.isInteger(count) && count > 1 ? count : 1), 1), MAX_REPEAT);
    for (let i = 0; i < times; i++) out.push(JSON.stringify(event));
    return event.type;
  };
  const seen = new Set<string>();
  let firstTaken = false;
  for (const rule of rules) {
    if (rule.mode === 'fallback' || !accepts(rule, record.program) || (firstTaken && rule.mode === 'first') || seen.has(rule.type)) continue;
    const groups = createMatcher(rule, (_name, raw) => decodeWeb(raw))(record, message);
    if (groups === NO_MATCH) continue;
    if (rule.mode === 'first') firstTaken = true;
    const type = build(record, rule, groups).type;
    if (seen.has(type)) continue;
    seen.add(rule.type);
    seen.add(emit(rule, groups));
  }
  if (out.length > 0) return out;
  for (const rule of rules) {
    if (rule.mode !== 'fallback' || !accepts(rule, record.program)) continue;
    const groups = createMatcher(rule, (_name, raw) => decodeWeb(raw))(record, message);
    if (groups === NO_MATCH) continue;
    emit(rule, groups);
    break;
  }
  return out;
}

function run(engine: ReturnType<typeof createEngine>, record: LogRecord): string[] {
  const out: string[] = [];
  engine(record, (e) => out.push(JSON.stringify(e)));
  return out;
}

function spec(over: Partial<RuleSpec> & Pick<RuleSpec, 'id'>): RuleSpec {
  return { family: 'test', description: 'test rule', type: 'auth.failure', outcome: 'failure', examples: { match: [] }, ...over };
}

// Prefix rules whose prefix holds the literal (no scan) or not (scan), a literal the pattern does not need, rules
// ignoring case, an additive rule after 'first' ones and fallbacks with a prefix.
const CUSTOM = compileRules([
  spec({ id: 'c.implied', literal: 'Failed ', pattern: '^Failed (?<user>\\w+)' }),
  spec({ id: 'c.extra', type: 'auth.invalid_user', literal: 'port', pattern: '^Failed \\w+ (?<user>\\w+)' }),
  spec({ id: 'c.scanned', type: 'auth.success', outcome: 'success', literal: ['by user ', 'by root'], pattern: '^Closed (?<user>\\w+)' }),
  spec({ id: 'c.anywhere', type: 'auth.probe', literal: 'probe', pattern: 'probe (?<ip>\\S+)' }),
  spec({ id: 'c.case', type: 'priv.sudo', outcome: 'success', literal: ['LOGIN', 'sign'], pattern: 'login (?<user>\\w+)', flags: 'i' }),
  spec({ id: 'c.add', type: 'web.scanner', outcome: 'unknown', additive: true, literal: 'scan', pattern: 'scan' }),
  spec({ id: 'c.fb', type: 'app.fatal', outcome: 'unknown', fallback: true, literal: 'oom', pattern: '^Boom (?<user>\\w+)' }),
  spec({ id: 'c.fb2', type: 'app.error', outcome: 'unknown', fallback: true, literal: 'err', pattern: 'err (?<user>\\w+)' }),
]);
const WORDS = ['Failed ', 'Closed ', 'by user ', 'by root', 'probe ', 'LoGiN ', 'SIGN', 'scan', 'Boom ', 'oom', 'err ', 'port', 'x', ' ', 'é'];
const customText = fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((w) => w.join(''));

const examples = BUILTIN_RULES.flatMap((s) => s.examples.match.map((ex) => normaliseExample(s, ex).message ?? ''))
  .filter((t) => t !== '');
const builtinText = fc.oneof(
  fc.constantFrom(...examples),
  fc.tuple(fc.constantFrom(...examples), fc.nat(), fc.nat(), fc.string({ maxLength: 4 }))
    .map(([s, a, b, junk]) => s.slice(0, a % (s.length + 1)) + junk + s.slice(b % (s.length + 1))),
  fc.tuple(fc.constantFrom(...examples), fc.constantFrom(...examples)).map(([a, b]) => `${a} ${b}`),
  fc.tuple(fc.nat({ max: 300 }), fc.constantFrom(...examples)).map(([n, s]) => `message repeated ${n} times: [ ${s}]`),
);
const programs = fc.constantFrom(null, 'sshd', 'sshd-session', 'sudo', 'su', 'login', 'CRON', 'dovecot', 'postfix/smtpd', 'kernel', 'app');

function record(text: fc.Arbitrary<string>): fc.Arbitrary<LogRecord> {
  return fc.record({ program: programs, message: text, level: fc.constantFrom(null, 'high' as const, 'critical' as const) })
    .map((r) => rec(r));
}

describe('LiteralScan against includes()', () => {
  // A small alphabet, so that literals overlap, nest, share starts and ends, and repeat in the text.
  const word = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é'), minLength: 1, maxLength: 4 });
  test('marks exactly the rules whose literal the text holds', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), word, fc.array(word, { maxLength: 12 }), (lits, extra, parts) => {
        const rules = compileRules(lits.map((literal, i) => spec({ id: `r${i}`, literal }))).map((rule, slot) => ({ rule, slot }));
        const text = parts.join('') + extra;
        const stamp = new Int32Array(rules.length);
        new LiteralScan(rules).mark(text, stamp, 5);
        assert.deepEqual([...stamp], lits.map((l) => (l.some((x) => text.includes(x)) ? 5 : 0)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the engine against a plain walk over the rules', () => {
  test('built-in rules on texts made from their examples', { timeout: 120_000 }, () => {
    const engine = createEngine({ rules: compileRules(BUILTIN_RULES) });
    const rules = compileRules(BUILTIN_RULES);
    fc.assert(fc.property(record(builtinText), (r) => assert.deepEqual(run(engine, r), walk(rules, r))), { numRuns: 3000 });
  });

  test('rules with and without scanned literals, ignoring case, additive and fallback', { timeout: 60_000 }, () => {
    const engine = createEngine({ rules: CUSTOM });
    fc.assert(fc.property(record(customText), (r) => assert.deepEqual(run(engine, r), walk(CUSTOM, r))), { numRuns: 3000 });
  });

  test('hand-picked cases: a prefix does not prove a literal it does not hold', () => {
    const engine = createEngine({ rules: CUSTOM });
    const rules = (m: string): string[] => run(engine, rec({ message: m })).map((e) => (JSON.parse(e) as { rule: string }).rule);
    assert.deepEqual(rules('Failed alice'), ['c.implied']);
    assert.deepEqual(rules('Closed alice'), []);
    assert.deepEqual(rules('Closed alice by root'), ['c.scanned']);
    assert.deepEqual(rules('Failed alice scan'), ['c.implied', 'c.add']);
    assert.deepEqual(rules('sign: LOGIN bob'), ['c.case']);
    assert.deepEqual(rules('Boom carol'), ['c.fb']);
    assert.deepEqual(rules('Boom carol err dave'), ['c.fb']);
  });
});

describe('event values', () => {
  const engine = createEngine({ rules: compileRules(BUILTIN_RULES) });
  const values = (m: string): string => {
    const e = JSON.parse(run(engine, rec({ program: 'sshd', message: m }))[0]!) as { user: string | null; source: { port: number | null } };
    return `${e.user} ${e.source.port}`;
  };

  test('ports: five digits at most, up to 65535, leading zeros read as a number', () => {
    assert.equal(values('Invalid user a from 203.0.113.9 port 65535'), 'a 65535');
    assert.equal(values('Invalid user a from 203.0.113.9 port 65536'), 'a null');
    assert.equal(values('Invalid user a from 203.0.113.9 port 00022'), 'a 22');
    assert.equal(values('Invalid user a from 203.0.113.9 port 0'), 'a 0');
  });

  test('the values logs write for "none" are null; values that only start like them are kept', () => {
    assert.equal(values('Invalid user - from 203.0.113.9 port 1'), 'null 1');
    assert.equal(values('Invalid user (unknown) from 203.0.113.9 port 1'), 'null 1');
    assert.equal(values('Invalid user UNKNOWN from 203.0.113.9 port 1'), 'null 1');
    assert.equal(values('Invalid user ? from 203.0.113.9 port 1'), 'null 1');
    assert.equal(values('Invalid user unknown1 from 203.0.113.9 port 1'), 'unknown1 1');
    assert.equal(values('Invalid user -x from 203.0.113.9 port 1'), '-x 1');
    assert.equal(values('Invalid user Unknown from 203.0.113.9 port 1'), 'Unknown 1');
  });
});
