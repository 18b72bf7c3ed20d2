// Shortcuts of the program index and the field memos on each record (session 10): a memo tests the literals of all
// its rules with one regex (`anyHeld`), the index reads the judged fields with constant keys, remembers the last
// program's rules, and says when a record meets no rule at all (the engine then returns at once). Each must give the
// answers the long way gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { anyLiteral } from '../../src/rules/any-literal.js';
import { compileRules } from '../../src/rules/compile.js';
import type { Gated, Selecting } from '../../src/rules/program-index.js';
import { gateOf, indexByProgram } from '../../src/rules/program-index.js';
import { judgeMask } from '../../src/rules/presence-mask.js';
import type { RuleSpec } from '../../src/rules/spec.js';
import { ValueMemo, type RawLiterals } from '../../src/rules/value-memo.js';

/** A QuickNo that is exactly the literal test of matcher.ts `literalCheck` (NO_MATCH when no literal is held). */
function literalNo(raw: RawLiterals): (v: string) => boolean {
  if (raw.ignoreCase) {
    const re = anyLiteral(raw.literals, 'i');
    return (v) => !re.test(v);
  }
  return (v) => !raw.literals.some((l) => v.includes(l));
}

/** Two memos that keep nothing (the referer's), one told its rules' literals, one not. */
function pair(raws: readonly RawLiterals[]): [ValueMemo, ValueMemo] {
  const joined = new ValueMemo('referer');
  const alone = new ValueMemo('referer');
  for (const raw of raws) {
    joined.slot(true, literalNo(raw), raw);
    alone.slot(true, literalNo(raw));
  }
  return [joined, alone];
}

// The header rules' literals, then others with letters in both cases, non-ASCII ones and regex syntax.
const HEADER: RawLiterals[] = [{ literals: ['()'], ignoreCase: false }, { literals: ['${', 'jndi:', 'JNDI:'], ignoreCase: true }];
const PIECES = ['()', '(', ')', '${', '$', '{', 'jndi:', 'JNDI:', 'jNdI:', 'JnDi', ':', 'Kk', '\u212a', '\u017f', 's', 'S', 'Ab', 'aB', '.*', 'x', ' ', '\u00e9', 'ǰ'];
const LITERALS = ['()', '${', 'jndi:', 'Ab', 'k', 's', '.*', '\u212a', '\u017fx', '\u00e9'];

describe('ValueMemo: one regex for the literals of all its rules', () => {
  test('the header rules: joined, the answers of their QuickNos one by one', () => {
    const [joined, alone] = pair(HEADER);
    for (const v of ['https://example.com/', '() { :; };', '${x}', 'x jNdI: y', 'JNDI:', 'jnd', '(x)', '$ {', '\u212aNDI:']) {
      assert.equal(joined.nothingMatches({ referer: v }), alone.nothingMatches({ referer: v }), v);
    }
    assert.equal(joined.nothingMatches({ referer: 'https://example.com/' }), true);
    assert.equal(joined.nothingMatches({ referer: 'a JnDi: b' }), false, 'ignoring case, as the jndi rule does');
    assert.equal(joined.nothingMatches({ referer: 'a () b' }), false);
    assert.equal(joined.nothingMatches({}), true, 'no referer');
  });

  test('property: any literals, in any case, on hostile values: the same answers as without the joined regex', () => {
    const raws = fc.array(fc.record({ literals: fc.array(fc.constantFrom(...LITERALS), { minLength: 1, maxLength: 3 }), ignoreCase: fc.boolean() }), { minLength: 1, maxLength: 3 });
    const value = fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(raws, fc.array(value, { minLength: 1, maxLength: 12 }), (rs, values) => {
        const [joined, alone] = pair(rs);
        for (const v of values) assert.equal(joined.nothingMatches({ referer: v }), alone.nothingMatches({ referer: v }), `${JSON.stringify(rs)} ${JSON.stringify(v)}`);
      }),
      { numRuns: 1500 },
    );
  });

  test('a counted rule without literals on the raw value: its QuickNo still runs', () => {
    const m = new ValueMemo('referer');
    m.slot(true, literalNo(HEADER[0]!), HEADER[0]!);
    m.slot(true, (v) => !v.startsWith('/admin')); // a prefix, no literal
    assert.equal(m.nothingMatches({ referer: '/admin/x' }), false);
    assert.equal(m.nothingMatches({ referer: '/home' }), true);
  });
});

describe('judgeMask: each judge asked about its own field, read with a constant key', () => {
  test('bits by judge, values by name, hostile names included', () => {
    const names = ['url', 'a"b', '__proto__', 'agent'];
    const asked: unknown[][] = [];
    const judge = (i: number, says: boolean) => ({
      nothingMatchesIn: (_f: unknown, v: unknown) => (asked.push([i, 'any', v]), says),
      nothingKeptIn: (_f: unknown, v: unknown) => (asked.push([i, 'kept', v]), says),
      nothingQuickIn: (v: unknown) => (asked.push([i, 'quick', v]), says),
    });
    const mask = judgeMask(names, 3, [true, false, true, false]);
    const fields = { url: '/x', 'a"b': 'q', agent: 'curl' } as Record<string, string>;
    assert.equal(mask(fields, [judge(0, true), judge(1, false), judge(2, true), judge(3, true)]), (1 << 3) | (1 << 5) | (1 << 6));
    assert.deepEqual(asked, [[0, 'kept', '/x'], [1, 'quick', 'q'], [2, 'kept', Object.prototype], [3, 'quick', 'curl']]);
  });
});

type Item = Gated;

describe('program index: the last program and records that meet no rule', () => {
  const rule = (id: string, over: Partial<RuleSpec>): RuleSpec =>
    ({ id, family: 'test', description: id, type: 'auth.failure', outcome: 'failure', pattern: 'x', examples: { match: [] }, ...over }) as RuleSpec;
  const rules = compileRules([
    rule('sshd', { programs: ['sshd'] }),
    rule('su', { programs: ['su'] }),
    rule('postfix', { programs: ['postfix/*'] }),
    rule('bare', { programs: ['cron'], pattern: undefined, where: { status: '401' } }),
    rule('nobody', { programs: [null] }),
  ]);
  const items: Item[] = rules.map((r, slot) => ({ rule: r, slot, gate: gateOf(r) }));
  const sel = (program: string | null, fields = {}): Selecting => ({ program, format: 'syslog', level: null, fields, foreignText: false });
  const ids = (index: ReturnType<typeof indexByProgram<Item>>, s: Selecting): string[] =>
    [...index.select(s).byFirstChar.at(120).slots].map((k) => rules[k]!.id);

  test('any sequence of programs, as copies or the same strings: the lists a fresh index gives', () => {
    const programs = ['sshd', 'su', 'postfix/smtpd', 'postfix/qmgr', 'cron', 'CRON', 'sshd-session', null];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...programs), fc.boolean()), { minLength: 1, maxLength: 30 }), (seq) => {
        const index = indexByProgram(items);
        for (const [p, copy] of seq) {
          const program = p === null || !copy ? p : (' ' + p).slice(1);
          assert.deepEqual(ids(index, sel(program)), ids(indexByProgram(items), sel(p)), String(p));
        }
      }),
      { numRuns: 300 },
    );
    const index = indexByProgram(items);
    assert.deepEqual(ids(index, sel('sshd')), ['sshd']);
    assert.deepEqual(ids(index, sel('su')), ['su']);
    assert.deepEqual(ids(index, sel('sshd')), ['sshd']);
    assert.deepEqual(ids(index, sel(null)), ['nobody']);
    assert.deepEqual(ids(index, sel('postfix/smtpd')), ['postfix']);
  });

  test('lists say when they hold no rule at all', () => {
    const index = indexByProgram(items);
    assert.equal(index.select(sel('cron')).none, true, 'its one rule needs a status');
    assert.equal(index.select(sel('cron', { status: '401' })).none, false);
    assert.equal(index.select(sel('kernel')).none, true, 'no rule for it');
    assert.equal(index.select(sel('sshd')).none, false);
  });
});
