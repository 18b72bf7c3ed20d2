// The program index (src/rules/program-index.ts): a record's lists hold the rules whose gate fields it has, read by a
// function built from the gate names (hostile names included), and leave out the field rules whose memo already
// knows that none of them matches the record's value.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import type { CompiledRule } from '../../src/rules/compile.js';
import { compileRules } from '../../src/rules/compile.js';
import { NO_MATCH, createMatcher, type Matcher } from '../../src/rules/matcher.js';
import type { Gated, RuleLists, Selecting } from '../../src/rules/program-index.js';
import { gateOf, indexByProgram } from '../../src/rules/program-index.js';
import type { RuleSpec } from '../../src/rules/spec.js';
import { decodeWeb } from '../../src/rules/web/decode.js';
import type { LogRecord } from '../../src/types.js';
import { rec } from './rec.js';

interface Item extends Gated {
  readonly match?: Matcher;
}

/** What the index reads of a record without a program, format or level, with these fields. */
function sel(fields: LogRecord['fields'], format: string | null = null): Selecting {
  return { program: null, format, level: null, fields, foreignText: false };
}

/** The ids of the main rules a message starting with `G` meets, in order, and of the fallback rules. */
function ids(lists: RuleLists<Item>): string[] {
  const order = lists.byFirstChar.at('G'.charCodeAt(0));
  return [...[...order.slots].map((s) => `${s}`), ...[...order.fallback].map((s) => `fallback ${s}`)];
}

function fieldRule(id: string, field: string): RuleSpec {
  return { id, family: 'test', description: id, type: 'web.probe', outcome: 'unknown', field, pattern: 'x', examples: { match: [{ fields: { [field]: 'x' } }] } } as RuleSpec;
}

// Names that would break a function written with them carelessly, and names every object inherits.
const HOSTILE = ['a"b', "c'd", 'e\\', 'f\ng', 'h\u2028i', '${x}', '`', '__proto__', 'constructor', 'event.action', ''];

describe('program index: gate fields', () => {
  const specs = HOSTILE.filter((n) => n !== '').map((n, i) => fieldRule(`r${i}`, n));
  const rules = compileRules(specs);
  const index = indexByProgram(rules.map((rule, slot) => ({ rule, slot, gate: gateOf(rule) })));

  test('a rule comes up when its field is there, whatever its name', () => {
    for (let i = 0; i < rules.length; i++) {
      const name = rules[i]!.fields[0]!;
      const fields: Record<string, string> = Object.create(null) as Record<string, string>;
      fields[name] = 'x';
      // __proto__ and constructor: an object without a prototype holds them as plain fields.
      assert.deepEqual(ids(index.select(sel(fields))), [`${i}`], JSON.stringify(name));
    }
  });

  test('inherited names let their rules through (their matchers reject them), the others stay out', () => {
    const proto = rules.findIndex((r) => r.fields[0] === '__proto__');
    const ctor = rules.findIndex((r) => r.fields[0] === 'constructor');
    assert.deepEqual(ids(index.select(sel({ 'a"b': 'x', 'f\ng': 'y' }))), ['0', '3', `${proto}`, `${ctor}`].sort((a, b) => Number(a) - Number(b)));
  });
});

describe('program index: where conditions', () => {
  const rule = (id: string, where: Record<string, string | string[]>): RuleSpec =>
    ({ id, family: 'test', description: id, type: 'web.forbidden', outcome: 'failure', where, examples: { match: [{ fields: {} }] } }) as RuleSpec;
  const rules = compileRules([
    rule('s401', { status: '401' }),
    rule('nul', { k: 'a\u0000b' }),
    rule('pair', { k: ['a', 'b'] }),
    rule('quoted', { k: ['"', "'", '\\', '${x}', '\u2028'] }),
    rule('two', { method: 'POST', status: ['200', '201'] }),
  ]);
  const index = indexByProgram(rules.map((r, slot) => ({ rule: r, slot, gate: gateOf(r) })));
  const up = (fields: Record<string, string>): string[] => ids(index.select(sel(fields)));

  test('a rule comes up only when the record meets every one of its conditions', () => {
    assert.deepEqual(up({ status: '401' }), ['0']);
    assert.deepEqual(up({ status: '403' }), []);
    assert.deepEqual(up({ method: 'POST', status: '201' }), ['4']);
    assert.deepEqual(up({ method: 'GET', status: '201' }), []);
    assert.deepEqual(up({ method: 'POST', status: '401' }), ['0']);
  });

  test('values are compared as written, whatever they hold', () => {
    assert.deepEqual(up({ k: 'a\u0000b' }), ['1']);
    assert.deepEqual(up({ k: 'a' }), ['2']);
    assert.deepEqual(up({ k: 'b' }), ['2']);
    for (const v of ['"', "'", '\\', '${x}', '\u2028']) assert.deepEqual(up({ k: v }), ['3'], JSON.stringify(v));
    assert.deepEqual(up({ k: 'x' }), []);
  });
});

describe('program index: field memos leave out the rules that match nothing', () => {
  const rules: CompiledRule[] = compileRules(BUILTIN_RULES);
  const decode = (_name: string, raw: string): string => decodeWeb(raw);
  const items: Item[] = rules.map((rule, slot) => ({ rule, slot, gate: gateOf(rule), match: createMatcher(rule, decode) }));
  const index = indexByProgram(items);
  const slotOf = (id: string): string => `${rules.findIndex((r) => r.id === id)}`;
  const access = (url: string, agent: string): LogRecord =>
    rec({ format: 'access', host: null, message: `GET ${url} HTTP/1.1 200`, fields: { ip: '203.0.113.9', method: 'GET', url, status: '200', agent } });
  /** Runs every rule of the record's lists, as the engine would: the memos fill. */
  const runAll = (r: LogRecord): string[] => {
    const lists = index.select(r);
    const order = lists.byFirstChar.at(r.message.charCodeAt(0));
    return [...order.slots].filter((s) => items[s]!.match!(r, r.message) !== NO_MATCH).map((s) => rules[s]!.id);
  };

  test('a new value runs its rules; once they all said no, the next record with it skips them', () => {
    const url = ['web.sqli', 'web.xss', 'web.traversal', 'web.lfi', 'web.cmd_injection', 'web.jndi', 'web.probe', 'web.otp_request'];
    const agent = ['web.traversal_header', 'web.scanner'];
    const first = access('/products/17', 'Mozilla/5.0');
    for (const id of [...url, ...agent]) assert.ok(ids(index.select(sel(first.fields))).includes(slotOf(id)), id);
    assert.deepEqual(runAll(first), []);
    // Kept on its second sighting (value-memo.ts): that record runs the rules again and fills the memo.
    const second = access('/products/17', 'Mozilla/5.0');
    for (const id of [...url, ...agent]) assert.ok(ids(index.select(sel(second.fields))).includes(slotOf(id)), id);
    assert.deepEqual(runAll(second), []);
    const again = ids(index.select(sel(access('/products/17', 'Mozilla/5.0').fields)));
    for (const id of [...url, ...agent]) assert.ok(!again.includes(slotOf(id)), id);
    // The header rules read the agent and the referer: left out when the agent's memo says no and the referer (absent
    // here) holds none of their literals; a sign-up needs a POST.
    for (const id of ['web.shellshock_header', 'web.jndi_header']) assert.ok(!again.includes(slotOf(id)), id);
    assert.ok(!again.includes(slotOf('web.registration')));
    for (const referer of ['https://example.com/${x}', 'https://example.com/()', 'https://example.com/JnDi:x']) {
      const withReferer = ids(index.select(sel({ ...access('/products/17', 'Mozilla/5.0').fields, referer })));
      for (const id of ['web.shellshock_header', 'web.jndi_header']) assert.ok(withReferer.includes(slotOf(id)), `${id} ${referer}`);
      for (const id of agent) assert.ok(!withReferer.includes(slotOf(id)), id);
    }
    const plain = ids(index.select(sel({ ...access('/products/17', 'Mozilla/5.0').fields, referer: 'https://example.com/a' })));
    for (const id of ['web.shellshock_header', 'web.jndi_header']) assert.ok(!plain.includes(slotOf(id)), id);
  });

  test("a request record is judged each time it comes, its fields object being its own", () => {
    const url = ['web.sqli', 'web.xss', 'web.traversal', 'web.lfi', 'web.cmd_injection', 'web.jndi', 'web.probe'];
    const held = access('/catalog/held', 'Mozilla/5.0 (held)');
    const asked = (): string[] => ids(index.select({ program: null, format: 'access', level: null, fields: held.fields, foreignText: true }));
    for (const id of url) assert.ok(asked().includes(slotOf(id)), id);
    // Two other records with its values teach the memos through the matchers alone (no select in between).
    for (let i = 0; i < 2; i++) {
      const r = access('/catalog/held', 'Mozilla/5.0 (held)');
      for (const item of items) item.match!(r, r.message);
    }
    const again = asked();
    for (const id of url) assert.ok(!again.includes(slotOf(id)), id);
  });

  test('a value one rule matched keeps all of its field rules', () => {
    assert.deepEqual(runAll(access('/.env', 'Mozilla/5.0')), ['web.probe']);
    assert.deepEqual(runAll(access('/.env', 'Mozilla/5.0')), ['web.probe']);
    const again = ids(index.select(sel(access('/.env', 'Mozilla/5.0').fields)));
    assert.ok(again.includes(slotOf('web.probe')));
    assert.ok(again.includes(slotOf('web.sqli')));
    assert.ok(!again.includes(slotOf('web.scanner')), 'the agent said nothing');
    assert.deepEqual(runAll(access('/.env', 'sqlmap/1.7.2')), ['web.scanner', 'web.probe']);
    assert.deepEqual(runAll(access('/.env', 'sqlmap/1.7.2')), ['web.scanner', 'web.probe']);
  });

  test('once the cache of lists is full, a record takes the cached lists without memo bits over new ones', () => {
    // Nine more gate fields: 512 combinations, past the 256 lists kept.
    const extra = compileRules(Array.from({ length: 9 }, (_, i) => fieldRule(`f${i}`, `f${i}`)));
    const all = [...rules, ...extra];
    // Its own decode function: memos are per engine, found through it.
    const ownDecode = (_name: string, raw: string): string => decodeWeb(raw);
    const own: Item[] = all.map((rule, slot) => ({ rule, slot, gate: gateOf(rule), match: createMatcher(rule, ownDecode) }));
    const big = indexByProgram(own);
    const sqli = `${all.findIndex((r) => r.id === 'web.sqli')}`;
    const fields = (url: string, combo: number, agent = 'Mozilla/5.0'): Record<string, string> => {
      // A referer the header rules' QuickNos cannot say no to: its memo bit stays off.
      const f: Record<string, string> = { ip: '203.0.113.9', method: 'GET', url, status: '200', agent, referer: '${x}' };
      for (let i = 0; i < 9; i++) if ((combo >> i) & 1) f[`f${i}`] = 'x';
      return f;
    };
    // The URL's rules all say no once, through lists that hold them.
    for (const first of [fields('/products/18', 0), fields('/products/18', 0)]) { // kept on the second sighting
      const order = big.select(sel(first)).byFirstChar.at('G'.charCodeAt(0));
      for (const s of order.slots) own[s]!.match!(rec({ fields: first }), 'GET /products/18 HTTP/1.1 200');
    }
    assert.ok(!ids(big.select(sel(fields('/products/18', 0)))).includes(sqli), 'left out while lists can be kept');
    // New URLs and agents (nothing known): the lists of every combination of fields, until the cache is full.
    const kept = new Map<number, RuleLists<Item>>();
    for (let combo = 1; combo < 512; combo++) kept.set(combo, big.select(sel(fields(`/new/${combo}`, combo, `bot/${combo}`))));
    const full = big.select(sel(fields('/products/18', 17)));
    assert.equal(full, kept.get(17), 'the cached lists for these fields');
    assert.ok(ids(full).includes(sqli), 'with the URL rules');
  });
});

describe('program index: kinds of record (format, request, level)', () => {
  const rule = (id: string, over: Partial<RuleSpec>): RuleSpec =>
    ({ id, family: 'test', description: id, type: 'auth.failure', outcome: 'failure', pattern: 'x', examples: { match: [] }, ...over }) as RuleSpec;
  const rules = compileRules([
    rule('any', {}),
    rule('syslog', { formats: ['syslog'] }),
    rule('unparsed', { formats: [null] }),
    rule('levelled', { levels: ['high'] }),
    rule('bare', { pattern: undefined, where: { status: '401' } }),
  ]);
  // A built-in-like rule for program text: it must not read request records.
  const text = { ...compileRules([rule('text', {})])[0]!, programText: true };
  const all = [...rules, text];
  const index = indexByProgram(all.map((r, slot) => ({ rule: r, slot, gate: gateOf(r) })));
  const up = (over: Partial<Selecting>): string[] => {
    const lists = index.select({ program: null, format: 'syslog', level: null, fields: {}, foreignText: false, ...over });
    return ids(lists).map((s) => all[Number(s.replace('fallback ', ''))]!.id);
  };

  test('a rule whose formats leave the record out is not in its lists', () => {
    assert.deepEqual(up({ format: 'syslog' }), ['any', 'syslog', 'text']);
    assert.deepEqual(up({ format: 'access' }), ['any', 'text']);
    assert.deepEqual(up({ format: null }), ['any', 'unparsed', 'text']);
    // Back and forth: the last kind is remembered, not stuck.
    assert.deepEqual(up({ format: 'syslog' }), ['any', 'syslog', 'text']);
  });

  test('a rule with levels is in the lists of records with a level only', () => {
    assert.deepEqual(up({ level: 'high' }), ['any', 'syslog', 'levelled', 'text']);
    assert.deepEqual(up({ level: 'low' }), ['any', 'syslog', 'levelled', 'text'], 'the matcher checks which level');
    assert.deepEqual(up({ level: null }), ['any', 'syslog', 'text']);
  });

  test('request records leave out the rules for program text, not the others', () => {
    assert.deepEqual(up({ foreignText: true }), ['any', 'syslog']);
    assert.deepEqual(up({ foreignText: true, level: 'high', format: null }), ['any', 'unparsed', 'levelled']);
  });

  test('past the kinds kept, a format gets every rule (their matchers check formats)', () => {
    for (let i = 0; i < 80; i++) assert.ok(up({ format: `f${i}` }).includes('any'));
    const late = up({ format: 'f79' });
    assert.ok(late.includes('syslog'), 'more rules than needed, never fewer');
    assert.deepEqual(up({ format: 'syslog' }), ['any', 'syslog', 'text'], 'kinds kept before the bound still hold');
  });

  test('lists say whether a rule of theirs reads the message', () => {
    const of = (over: Partial<Selecting>): boolean =>
      index.select({ program: null, format: 'syslog', level: null, fields: {}, foreignText: false, ...over }).readsMessage;
    assert.equal(of({}), true);
    const fieldOnly = indexByProgram(compileRules([fieldRule('u', 'url'), rule('bare', { pattern: undefined, where: { status: '401' } })])
      .map((r, slot) => ({ rule: r, slot, gate: gateOf(r) })));
    // A rule with neither pattern nor literal reads no text.
    assert.equal(fieldOnly.select(sel({ url: '/x', status: '401' })).readsMessage, false);
  });
});

describe('program index: the built-in rules on an access record', () => {
  const rules = compileRules(BUILTIN_RULES, { builtin: true });
  const index = indexByProgram(rules.map((rule, slot) => ({ rule, slot, gate: gateOf(rule) })));
  const fields = { ip: '203.0.113.9', request: 'GET / HTTP/1.1', method: 'GET', url: '/', protocol: 'HTTP/1.1', status: '200', bytes: '5', agent: 'curl/8.5.0' };
  const lists = index.select({ program: null, format: 'access', level: null, fields, foreignText: true });
  const order = lists.byFirstChar.at(128);
  const listed = [...order.slots, ...order.fallback].map((s) => rules[s]!.id);

  test('a GET answered 200 meets only web rules on fields, and none that reads the message', () => {
    assert.ok(listed.length > 0);
    for (const id of listed) assert.match(id, /^web\./);
    for (const id of ['web.http_401', 'web.http_403', 'web.registration', 'kernel.panic', 'app.level_error']) assert.ok(!listed.includes(id), id);
    assert.equal(lists.readsMessage, false);
  });
});

describe('program index: programs by name and by prefix', () => {
  const rule = (id: string, programs: RuleSpec['programs']): RuleSpec =>
    ({ id, family: 'test', description: id, type: 'auth.failure', outcome: 'failure', pattern: 'x', examples: { match: [] }, programs }) as RuleSpec;
  const rules = compileRules([
    rule('generic', undefined),
    rule('sshd', ['sshd']),
    rule('postfix', ['postfix/*']),
    rule('smtp', ['postfix/smtp*', 'exim']),
    rule('none', [null]),
  ]);
  const index = indexByProgram(rules.map((r, slot) => ({ rule: r, slot, gate: gateOf(r) })));
  const up = (program: string | null): string[] =>
    ids(index.select({ program, format: 'syslog', level: null, fields: {}, foreignText: false })).map((s) => rules[Number(s)]!.id);

  test('each program meets the generic rules and those that name it or a prefix of it, past the programs remembered', () => {
    // 3,000 names, more than the 1,024 the index remembers: those after it are worked out each time
    for (let i = 0; i < 3000; i++) {
      assert.deepEqual(up(`app${i}`), ['generic'], `app${i}`);
      assert.deepEqual(up(`postfix/q${i}`), ['generic', 'postfix'], `postfix/q${i}`);
      assert.deepEqual(up(`postfix/smtp${i}`), ['generic', 'postfix', 'smtp'], `postfix/smtp${i}`);
    }
    assert.deepEqual(up('sshd'), ['generic', 'sshd']);
    assert.deepEqual(up('exim'), ['generic', 'smtp']);
    assert.deepEqual(up('postfix'), ['generic'], 'postfix/* needs the slash');
    assert.deepEqual(up(null), ['generic', 'none']);
    assert.deepEqual(up('postfix/q2999'), ['generic', 'postfix'], 'and again');
  });
});
