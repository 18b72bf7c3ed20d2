// The gram filter in front of a field gate: the grams it reads from a pattern, the patterns it refuses to read, and
// above all that it never turns away a value the regex matches (generated patterns and values, the built-in URL
// gate on hostile values: mixed case, encodings, non-ASCII look-alikes, spaces).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { fieldGates } from '../../src/rules/field-gate.js';
import { gramFilter, requiredGrams } from '../../src/rules/gram-filter.js';
import { decodeWeb } from '../../src/rules/web/decode.js';

const sorted = (g: Set<string> | null): string[] | null => (g === null ? null : [...g].sort());

describe('requiredGrams', () => {
  test('a literal gives one of its substrings; an alternation the grams of each branch', () => {
    const g = requiredGrams('wxyz', '')!;
    assert.equal(g.size, 1);
    assert.ok('wxyz'.includes([...g][0]!));
    assert.deepEqual(sorted(requiredGrams('(?:ab|cd)', '')), ['ab', 'cd']);
    assert.deepEqual(sorted(requiredGrams('a|b', '')), ['a', 'b']);
  });

  test('adjacency: across an assertion, a class, an escape; not across an optional item', () => {
    assert.deepEqual(sorted(requiredGrams('q\\bz', '')), ['qz']);
    assert.deepEqual(sorted(requiredGrams('[qz]x', '')), ['qx', 'zx']);
    assert.deepEqual(sorted(requiredGrams('\\x71\\x72', '')), ['qr']);
    // A repeated middle: `qxxz` has no `qxz`.
    assert.equal(gramFilter('qx+z', '')!('qxxxz'), true);
    assert.equal(gramFilter('qx{1,3}z', '')!('qxxz'), true);
    const g = requiredGrams('qx?z', '')!;
    assert.ok(!g.has('qz') && [...g].every((x) => x === 'q' || x === 'z'), [...g].join());
  });

  test('ignoring case, grams are lowercase', () => {
    assert.deepEqual(sorted(requiredGrams('(?:AB|cD)', 'i')), ['ab', 'cd']);
  });

  test('no grams when a match can do without them, or the source is not read', () => {
    for (const [source, flags] of [
      ['a?', ''], ['\\w+', ''], ['.{3}', ''], ['a|', ''], ['(?:a|\\S)', ''], ['[^a]', ''],
      ['(?=ab)ab', ''], ['(a)\\1', ''], ['(?<n>ab)', ''], ['a{', ''], ['ab', 'u'], ['ab', 'm'], ['ab', 'g'],
      ['\\cJ', ''], ['\\p{L}', ''], ['[a-\\x7a]', ''],
    ] as const) {
      assert.equal(requiredGrams(source, flags), null, `${source} /${flags}`);
    }
  });
});

describe('gramFilter', () => {
  test('a value without a gram is turned away, one with a gram passes, ignoring case when asked', () => {
    const f = gramFilter('(?:etc/passwd|sysobjects)', '')!;
    assert.equal(f('/products/12345'), false);
    assert.equal(f('/x?f=/etc/passwd'), true);
    const i = gramFilter('sysobjects', 'i')!;
    assert.equal(i('/q?t=SYSOBJECTS'), true);
    assert.equal(i('/q?t=other'), false);
  });

  test('a non-ASCII gram stands for every non-ASCII character', () => {
    const f = gramFilter('a\\u00e9', '')!;
    assert.equal(f('a\u00e9'), true);
    assert.equal(f('a\u4e00'), true); // let through: the regex decides
    assert.equal(f('ae'), false);
  });
});

/** A random pattern from a small grammar (what the analysis reads and what it must refuse), as regex source. */
const ALPHABET = ['a', 'b', 'c', 'A', '/', '.', ' ', '\u00e9', '\u017f', '\u212a', 'k', 's'];
const atom = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'k', 's', 'A', 'K', 'S', '\\/', '\\.', '\\x61', '\\u00e9', '\u00e9', ' ', '\\s', '\\d', '\\w', '\\S', '.'),
  fc.constantFrom('[abc]', '[a-c]', '[^a]', '[\\s/]', '[A-C]', '[k\\u017f]', '[\\w.]', '[a-]'),
);
const quant = fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{1}', '{0,2}', '{1,3}', '+?');
const assertion = fc.constantFrom('\\b', '\\B', '^', '$');
// Groups do not nest (past the first level, the first branch: an atom). The properties run each pattern on values
// with V8's backtracking engine, and nested quantified groups can backtrack for minutes on a 12-character value (seen
// with four levels, and with two: `(?:(?:.*\w*)*.+?)*`-like nests), which hangs the test, not the code under test.
// One level of quantified groups stays within milliseconds; nesting in the analysis is covered by the cases above.
const pattern: fc.Arbitrary<string> = fc.letrec<{ seq: string; alt: string }>((tie) => ({
  seq: fc.array(fc.oneof({ maxDepth: 1 }, { weight: 6, arbitrary: fc.tuple(atom, quant).map(([a, q]) => a + q) }, { weight: 1, arbitrary: assertion },
    { weight: 2, arbitrary: fc.tuple(tie('alt'), quant).map(([a, q]) => `(?:${a})${q}`) }), { minLength: 1, maxLength: 5 }).map((a) => a.join('')),
  alt: fc.array(tie('seq'), { minLength: 1, maxLength: 3 }).map((a) => a.join('|')),
})).alt;

describe('the filter never turns away a match', () => {
  test('generated patterns and values, with and without `i`', () => {
    const value = fc.array(fc.constantFrom(...ALPHABET, 'b', 'c', '1', 'B', 'C', '\t'), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(fc.property(pattern, fc.constantFrom('', 'i'), fc.array(value, { minLength: 1, maxLength: 8 }), (source, flags, values) => {
      const f = gramFilter(source, flags);
      if (f === null) return true;
      const re = new RegExp(source, flags);
      return values.every((v) => !re.test(v) || f(v));
    }), { numRuns: 4000 });
  });

  test('generated patterns, on values made of their own characters (more of them match)', () => {
    const case_ = fc.tuple(pattern, fc.constantFrom('', 'i')).chain(([source, flags]) => {
      const own = [...new Set([...source.replace(/\\[a-z]/g, '')].filter((ch) => /[a-z./ \u00e9\u017f\u212a]/i.test(ch))), 'b'];
      const value = fc.array(fc.constantFrom(...own), { maxLength: 10 }).map((a) => a.join(''));
      return fc.tuple(fc.constant(source), fc.constant(flags), fc.array(value, { minLength: 1, maxLength: 10 }));
    });
    fc.assert(fc.property(case_, ([source, flags, values]) => {
      const f = gramFilter(source, flags);
      if (f === null) return true;
      const re = new RegExp(source, flags);
      return values.every((v) => !re.test(v) || f(v));
    }), { numRuns: 4000 });
  });

  const rules = compileRules(BUILTIN_RULES);
  const gates = fieldGates(rules);
  const members = rules.filter((r) => gates.has(r));
  const gate = gates.get(members[0]!)!;
  const plain = new RegExp(gate.source, gate.flags);
  const examples = members.flatMap((r) => [...r.spec.examples.match, ...(r.spec.examples.noMatch ?? [])])
    .flatMap((e) => (typeof e === 'string' ? [e] : e.fields?.url !== undefined ? [e.fields.url] : []));

  test('the built-in URL gate is filtered, and turns away plain URLs before its regex', () => {
    assert.notEqual(gramFilter(gate.source, gate.flags), null);
    const f = gramFilter(gate.source, gate.flags)!;
    for (const url of ['/products/12345', '/api/v1/products/98765', '/category/shoes?page=9', '/healthz']) assert.equal(f(decodeWeb(url)), false, url);
    // Words of ordinary URLs whose letters are rare in English: the grams are not chosen among them.
    for (const url of ['/blog/2025/spring', '/login', '/newsletter', '/socks', '/category/jackets', '/accessories', '/icons/cart.svg', '/events']) {
      assert.equal(f(decodeWeb(url)), false, url);
    }
    for (const url of examples) assert.equal(gate.test(decodeWeb(url)), plain.test(decodeWeb(url)), url);
  });

  test('the built-in URL gate answers as its plain regex on hostile values', () => {
    const piece = fc.tuple(fc.constantFrom(...examples), fc.nat(), fc.nat())
      .map(([s, a, b]) => s.slice(Math.min(a, b) % (s.length + 1), Math.max(a, b) % (s.length + 1) + 1));
    const noise = fc.constantFrom('%27', '%2527', '%20', '+', '%c0%af', '&#x3c;', '\u00a0', '\u2028', '\t', 'ſ', 'K', 'UNION', 'SeLeCt', '/*', '\\x27', '%00');
    fc.assert(fc.property(fc.array(fc.oneof(piece, noise, fc.string({ maxLength: 6 })), { maxLength: 6 }), fc.boolean(), (parts, upper) => {
      const raw = parts.join('');
      const v = decodeWeb(upper ? raw.toUpperCase() : raw);
      return gate.test(v) === plain.test(v);
    }), { numRuns: 4000 });
  });
});
