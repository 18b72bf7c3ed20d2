// The engine's memo of outcomes (outcome-memo.ts) changes no event: an engine whose records share their fields object
// (so that repeats are answered from the memo) gives the same events as one whose every record has a fresh fields
// object (so that the memo is never asked), whatever the repeats, evictions and look-alike messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { createEngine } from '../../src/rules/engine.js';
import { normaliseExample } from '../../src/rules/examples.js';
import { OutcomeMemo, PAUSE, SLOTS, TRIAL } from '../../src/rules/outcome-memo.js';
import type { LogRecord, Severity } from '../../src/types.js';
import { rec } from './rec.js';

const RULES = compileRules(BUILTIN_RULES);
const SHARED: LogRecord['fields'] = Object.freeze({});
const PRI: LogRecord['fields'] = Object.freeze({ facility: 'auth', priority: '3' });

/** The events of each record, as JSON, from one engine run over them in order. */
function events(records: readonly LogRecord[], fresh: boolean): string[][] {
  const engine = createEngine({ rules: RULES });
  return records.map((r) => {
    const out: string[] = [];
    engine(fresh ? { ...r, fields: { ...r.fields } } : r, (e) => out.push(JSON.stringify(e)));
    return out;
  });
}

function sameAsWithout(records: readonly LogRecord[]): void {
  assert.deepEqual(events(records, false), events(records, true));
}

const examples = BUILTIN_RULES.flatMap((s) => s.examples.match.map((ex) => normaliseExample(s, ex).message ?? '')).filter((t) => t !== '');
const text = fc.oneof(
  fc.constantFrom(...examples),
  fc.constantFrom(...examples).map((s) => `message repeated 3 times: [ ${s}]`),
  fc.constantFrom('session opened for user root', 'Bye Bye', 'Connection closed by 203.0.113.9 port 22', ''),
);
const one = fc.record({
  program: fc.constantFrom(null, 'sshd', 'sudo', 'CRON', 'app'),
  message: text,
  level: fc.constantFrom<Severity | null>(null, null, 'high', 'critical'),
  fields: fc.constantFrom(SHARED, SHARED, PRI),
  format: fc.constantFrom<string | null>('syslog', 'syslog', 'json', null),
});

describe('the engine with its memo of outcomes', () => {
  test('the same events as without it, over runs with repeats', { timeout: 120_000 }, () => {
    // A small pool drawn from many times: messages repeat, with other programs, levels, formats and fields between.
    const runs = fc.array(one, { minLength: 1, maxLength: 8 }).chain((pool) =>
      fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 60 }).map((picks) =>
        picks.map((i, line) => rec({ ...pool[i]!, line: line + 1, time: Date.UTC(2026, 10, 23, 3, 14, line % 60) }))));
    fc.assert(fc.property(runs, sameAsWithout), { numRuns: 300 });
  });

  test('a repeated message is answered from the memo, with this record\'s time, host, pid and line', () => {
    const message = 'Failed password for root from 203.0.113.9 port 22 ssh2';
    const records = [1, 2, 3].map((line) => rec({ program: 'sshd', message, fields: SHARED, line, pid: 100 + line, host: `h${line}`, time: Date.UTC(2026, 10, 23, 3, 14, line) }));
    const got = events(records, false).map((e) => JSON.parse(e[0]!) as { line: number; pid: number; host: string; time: string; user: string });
    assert.deepEqual(got.map((e) => [e.line, e.pid, e.host, e.time, e.user]), [
      [1, 101, 'h1', '2026-11-23T03:14:01.000Z', 'root'],
      [2, 102, 'h2', '2026-11-23T03:14:02.000Z', 'root'],
      [3, 103, 'h3', '2026-11-23T03:14:03.000Z', 'root'],
    ]);
    sameAsWithout(records);
  });

  test('the same message with another program, level, format or fields object is not answered for the first', () => {
    const m = 'charge failed order=1 code=card_declined';
    const base = { message: m, fields: SHARED, program: 'payments' };
    const records = [
      rec({ ...base, level: 'high' }), rec({ ...base, level: 'high' }), rec({ ...base, level: 'high' }),
      rec({ ...base, level: null }), rec({ ...base, level: 'critical' }), rec({ ...base, level: 'high', format: 'json' }),
      rec({ ...base, level: 'high', fields: PRI }), rec({ ...base, level: 'high', program: 'sshd' }), rec({ ...base, level: 'high' }),
    ];
    const types = events(records, false).map((e) => e.map((x) => (JSON.parse(x) as { type: string }).type).join(','));
    assert.deepEqual(types, ['app.error', 'app.error', 'app.error', '', 'app.fatal', 'app.error', 'app.error', 'app.error', 'app.error']);
    sameAsWithout(records);
  });

  test('after eviction by many distinct messages, and for messages that differ only where the fingerprint does not look', () => {
    const records: LogRecord[] = [];
    const push = (message: string): void => void records.push(rec({ program: 'sshd', message, fields: SHARED, line: records.length + 1 }));
    // Same length; they differ at the second character from the end, which the fingerprint skips.
    const a = 'Invalid user alice from 203.0.113.9 port 4022';
    const b = 'Invalid user alice from 203.0.113.9 port 4012';
    for (const m of [a, b, a, b, b, a, a, b]) push(m);
    for (let i = 0; i < 3 * SLOTS; i++) push(`Invalid user u${i} from 198.51.100.${i % 250} port ${i}`);
    for (const m of [a, a, b, b]) push(m);
    const got = events(records, false);
    assert.equal(JSON.parse(got[1]![0]!).source.port, 4012);
    assert.equal(JSON.parse(got[2]![0]!).source.port, 4022);
    sameAsWithout(records);
  });
});

describe('OutcomeMemo', () => {
  const outcome = { templates: [], times: [] };
  const lists = {};
  test('keeps an outcome from the second sighting on, and gives it back only for the same record shape', () => {
    const memo = new OutcomeMemo();
    const r = rec({ message: 'session opened for user root', fields: SHARED });
    assert.equal(memo.get(r, lists), null);
    assert.equal(memo.admits, false);
    assert.equal(memo.get(r, lists), null);
    assert.equal(memo.admits, true);
    memo.keep('session opened for user root', r, lists, outcome);
    assert.equal(memo.get(rec({ message: 'session opened for user root', fields: SHARED }), lists), outcome);
    assert.equal(memo.get(r, {}), null);
    assert.equal(memo.get({ ...r, level: 'high' }, lists), null);
    assert.equal(memo.get({ ...r, format: 'json' }, lists), null);
    assert.equal(memo.get({ ...r, fields: {} }, lists), null);
    assert.equal(memo.get({ ...r, message: 'session opened for user roo' }, lists), null);
  });
});

describe('OutcomeMemo.worth', () => {
  test('a kind of record that found fewer than MIN_HITS hits in a trial is not asked about for PAUSE records', () => {
    const memo = new OutcomeMemo();
    const lists = {};
    const ask = (message: string): boolean => {
      if (!memo.worth(lists, message.charCodeAt(0), message.length)) return false;
      memo.get(rec({ message, fields: SHARED }), lists);
      return true;
    };
    // ports of 5 digits: one length, one kind
    for (let i = 0; i < TRIAL; i++) assert.equal(ask(`Received disconnect from 203.0.113.9 port ${10000 + i}`), true);
    for (let i = 0; i < PAUSE; i++) assert.equal(ask(`Received disconnect from 203.0.113.9 port ${10000 + i}`), false, `record ${i}`);
    assert.equal(ask('Received disconnect from 203.0.113.9 port 10001'), true);
    // Other first characters, other lengths and other rule lists are other kinds: still asked.
    const length = 'Received disconnect from 203.0.113.9 port 10001'.length;
    assert.equal(memo.worth(lists, 'F'.charCodeAt(0), length), true);
    assert.equal(memo.worth(lists, 'R'.charCodeAt(0), length + 1), true);
    assert.equal(memo.worth({}, 'R'.charCodeAt(0), length), true);
  });

  test('each trial failed in a row doubles the pause', () => {
    const memo = new OutcomeMemo();
    const lists = {};
    let n = 0;
    // ports of 5 digits: one length, one kind; never the same message twice
    const ask = (): boolean => {
      const message = `Received disconnect from 203.0.113.9 port ${10000 + (n++ % 50000)}`;
      if (!memo.worth(lists, message.charCodeAt(0), message.length)) return false;
      memo.get(rec({ message, fields: SHARED }), lists);
      return true;
    };
    for (const pause of [PAUSE, 2 * PAUSE, 4 * PAUSE]) {
      for (let i = 0; i < TRIAL; i++) assert.equal(ask(), true, `trial before a pause of ${pause}, record ${i}`);
      for (let i = 0; i < pause; i++) assert.equal(ask(), false, `pause of ${pause}, record ${i}`);
    }
  });

  test('a kind that hits often enough stays asked about', () => {
    const memo = new OutcomeMemo();
    const lists = {};
    const r = rec({ message: 'session opened for user root', fields: SHARED });
    for (let i = 0; i < 4 * TRIAL; i++) {
      assert.equal(memo.worth(lists, r.message.charCodeAt(0), r.message.length), true, `record ${i}`);
      if (memo.get(r, lists) === null && memo.admits) memo.keep('session opened for user root', r, lists, { templates: [], times: [] });
    }
  });

  test('messages of one start but another length are judged apart: the repeated ones stay asked about', () => {
    // sshd's pam lines: a session line that repeats, between authentication failures from ever new addresses
    const memo = new OutcomeMemo();
    const lists = {};
    const session = rec({ message: 'pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)', fields: SHARED });
    let sessionAsked = 0;
    let failureAsked = 0;
    for (let i = 0; i < 8 * TRIAL; i++) {
      if (memo.worth(lists, session.message.charCodeAt(0), session.message.length)) {
        sessionAsked++;
        if (memo.get(session, lists) === null && memo.admits) memo.keep(session.message, session, lists, { templates: [], times: [] });
      }
      for (let k = 0; k < 2; k++) {
        // one length: the last part of the address has 3 digits
        const message = `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.${100 + ((2 * i + k) % 150)}  user=root`;
        if (!memo.worth(lists, message.charCodeAt(0), message.length)) continue;
        failureAsked++;
        memo.get(rec({ message, fields: SHARED }), lists);
      }
    }
    assert.equal(sessionAsked, 8 * TRIAL);
    // the failures' kind (1 hit in 3 look-ups with the sessions', none alone) is paused after one trial, for the
    // 1,024 failures after it
    assert.equal(failureAsked, TRIAL);
  });
});
