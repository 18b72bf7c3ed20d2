// The first characters an anchored pattern can start a match with (first-chars.ts): never one too few, since the
// engine passes over a rule whose pattern cannot start with the message's first character; and the literal scans
// narrowed to the rules a first character allows (main-order.ts FirstCharOrders).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { capturesOf } from '../../src/rules/captures.js';
import { compileRules, type CompiledRule } from '../../src/rules/compile.js';
import { normaliseExample } from '../../src/rules/examples.js';
import { OTHER, firstCharsOf } from '../../src/rules/first-chars.js';
import { LiteralScan } from '../../src/rules/literal-scan.js';
import { FirstCharOrders, ScanCache } from '../../src/rules/main-order.js';

/** The ASCII first characters allowed, as text ('' for null: any). */
function allowed(source: string, flags = ''): string | null {
  const t = firstCharsOf(new RegExp(source, flags));
  if (t === null) return null;
  assert.equal(t[OTHER], 1, 'the entry for other characters and the empty message is always allowed');
  let s = '';
  for (let c = 0; c < OTHER; c++) if (t[c] === 1) s += String.fromCharCode(c);
  return s;
}

const entry = (text: string): number => {
  const c = text.charCodeAt(0);
  return c < OTHER ? c : OTHER;
};

describe('firstCharsOf', () => {
  test('anchored prefixes, optional groups, alternations and classes', () => {
    assert.equal(allowed('^Failed password'), 'F');
    assert.equal(allowed('^(?:error: )?Received disconnect'), 'Re');
    assert.equal(allowed('^[Ii]nvalid user (?<user>.+)'), 'Ii');
    assert.equal(allowed('^(?:Bad protocol|Protocol major)'), 'BP');
    assert.equal(allowed('^(?:auth(?:-worker)?: )?(?:pam_x: )?check'), 'acp');
    assert.equal(allowed('^a|^b'), 'ab');
    assert.equal(allowed('^\\d{1,3}x'), '0123456789');
    assert.equal(allowed('^\\d{0,3}x'), '0123456789x');
    assert.equal(allowed('^x*?y'), 'xy');
    assert.equal(allowed('^[a-c_]z'), '_abc');
    assert.equal(allowed('^[\\w-]'), '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz');
    assert.equal(allowed('^\\[(?<ip>[^\\]]+)\\]'), '[');
    assert.equal(allowed('^(?<a>x)\\k<a>'), 'x');
    assert.equal(allowed('^é'), '', 'only the entry for other characters');
  });

  test('any character when the pattern is not understood or could start anywhere', () => {
    for (const src of ['Failed', '^a|b', '(?:^a)', '^(?=a)a', '^(?!b)a', '^\\s{0,16}x', '^.x', '^\\Sx', '^[^a]x', '^x?', '^(?:a|)', '^\\bx', '^[\\.-x]', '^$']) {
      assert.equal(allowed(src), null, src);
    }
    for (const flags of ['i', 'm', 'u']) assert.equal(allowed('^abc', flags), null, flags);
  });

  test('a match never starts with a character left out: random texts on tricky patterns', () => {
    const sources = ['^(?:ab|c)?d{0,2}[e-g]', '^(?:x|y(?:z)?)+w', '^[\\-a]b|^[a\\-]c', '^[+-]?\\d', '^(?:(?:a)?(?:b)?)c', '^\\.?[.]x'];
    const texts = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'g', 'w', 'x', 'y', 'z', '-', '+', '.', '1', 'é') });
    for (const src of sources) {
      const re = new RegExp(src);
      const t = firstCharsOf(re);
      assert.ok(t !== null, src);
      fc.assert(fc.property(texts, (text) => !re.test(text) || t[entry(text)] === 1), { numRuns: 500 });
    }
  });

  test('every built-in rule with a twin: its examples, and texts spliced from them, start with an allowed character', () => {
    let known = 0;
    for (const s of BUILTIN_RULES) {
      const c = capturesOf(compileRules([s])[0]!);
      if (c === null) continue;
      const t = firstCharsOf(c.regex);
      if (t === null) continue;
      known++;
      const texts = [...s.examples.match, ...(s.examples.noMatch ?? [])].map((ex) => normaliseExample(s, ex).message ?? '');
      for (const x of texts.flatMap((m) => [m, m.slice(1), m.slice(6), `x${m}`, `error: ${m}`])) {
        if (c.regex.test(x)) assert.equal(t[entry(x)], 1, `${s.id}: ${x}`);
      }
    }
    assert.ok(known > 50, `only ${known} rules with first characters`);
  });
});

describe('FirstCharOrders', () => {
  const rule = (id: string, pattern: string, literal: string, fallback = false): CompiledRule =>
    compileRules([{ id, family: 't', description: 't', type: 'auth.failure', outcome: 'failure', pattern, literal: [literal], fallback, examples: { match: [] } }])[0]!;
  const r = [rule('a', '^(?:x: )?Received .{0,9}bye', 'bye'), rule('b', '^[Ii]nvalid .{0,9}bye', 'bye'), rule('c', 'bye', 'bye'), rule('d', '^Invalid .{0,9}end', 'end', true)];
  const items = r.map((x, slot) => ({ rule: x, slot, gate: 1 as const, firstChars: firstCharsOf(x.regex!) }));
  const R = 'R'.charCodeAt(0);
  const I = 'I'.charCodeAt(0);

  test('an order holds only the rules the first character allows; its scan marks only those', () => {
    const orders = new FirstCharOrders(items, new ScanCache());
    const order = orders.at(R);
    assert.deepEqual([...order.slots], [0, 2]);
    assert.deepEqual([...order.fallback], []);
    const marked = new Int32Array(4);
    order.scan!.mark('Received x bye end', marked, 1);
    assert.deepEqual([...marked], [1, 0, 1, 0]);
    const i = orders.at(I);
    assert.deepEqual([...i.slots], [1, 2]);
    assert.deepEqual([...i.fallback], [3], 'fallback rules are narrowed too');
    assert.deepEqual([...orders.at('B'.charCodeAt(0)).slots], [2], 'only the unanchored rule can start with B');
    assert.deepEqual([...orders.at('B'.charCodeAt(0)).fallback], []);
    // firstCharsOf does not read non-ASCII characters: any of them may start a match.
    assert.deepEqual([...orders.at(128).slots], [0, 1, 2]);
    assert.deepEqual([...orders.at(128).fallback], [3]);
  });

  test('characters that allow the same rules share one order; lists with the same scanned rules share one scan', () => {
    const cache = new ScanCache();
    const orders = new FirstCharOrders(items, cache);
    assert.equal(orders.at('x'.charCodeAt(0)), orders.at(R), 'x allows a and c too');
    assert.notEqual(orders.at(I), orders.at(R));
    assert.equal(new FirstCharOrders(items, cache).at(R).scan, orders.at(R).scan);
    assert.equal(new FirstCharOrders([items[1]!], cache).at(R).scan, null, 'b cannot start with R: nothing to scan');
  });

  test('past the bound on distinct scans, the full scan of the list', () => {
    const cache = new ScanCache();
    const full = new LiteralScan(items);
    for (let i = 0; i < 512; i++) cache.of([{ ...items[0]!, slot: 100 + i }], () => full);
    assert.equal(cache.of([items[0]!], () => full), full);
    const marked = new Int32Array(4);
    const order = new FirstCharOrders(items, cache).at(R);
    order.scan!.mark('Received x bye end', marked, 1);
    assert.deepEqual([...marked], [1, 1, 1, 1], 'the list\'s full scan marks every rule whose literal is there');
  });
});
