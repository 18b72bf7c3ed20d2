// decodeWeb: the text web signatures read, from a request target as an access log writes it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeWeb, percentDecode, percentRound } from '../../src/rules/web/decode.js';

describe('decodeWeb', () => {
  test('a plain lowercase value comes back as it is', () => {
    assert.equal(decodeWeb('/api/v1/items?id=42'), '/api/v1/items?id=42');
  });

  test('lowercases', () => {
    assert.equal(decodeWeb('/Index.PHP?ID=1'), '/index.php?id=1');
  });

  test('%-encoding, up to three rounds (double and triple encoding)', () => {
    assert.equal(decodeWeb('/a%20b%3Cc'), '/a b<c');
    assert.equal(decodeWeb('/%252e%252e%252fetc'), '/../etc');
    assert.equal(decodeWeb('/%25252e%25252e%25252f'), '/../');
    assert.equal(decodeWeb('/%2525252e'), '/%2e'); // a fourth round is not done
  });

  test('malformed escapes stay as written', () => {
    assert.equal(decodeWeb('/100%zz%4'), '/100%zz%4');
    assert.equal(decodeWeb('%'), '%');
  });

  test("'+' is a space in the query only", () => {
    assert.equal(decodeWeb('/c++/guide?q=union+select'), '/c++/guide?q=union select');
    assert.equal(decodeWeb('/q?a=1%2B1'), '/q?a=1+1');
  });

  test('nginx \\xHH escapes and Apache \\" escapes', () => {
    assert.equal(decodeWeb('/p?id=1\\x27\\x20or\\x201=1'), "/p?id=1' or 1=1");
    assert.equal(decodeWeb('/q?s=\\"x\\"'), '/q?s="x"');
    assert.equal(decodeWeb('/a\\b'), '/a\\b');
  });

  test('overlong UTF-8 and %uHHHH', () => {
    assert.equal(decodeWeb('/..%c0%af..%c0%afetc'), '/../../etc');
    assert.equal(decodeWeb('/..%C1%9C..'), '/..\\..');
    assert.equal(decodeWeb('/%u002e%u002e%u2215'), '/..\u2215');
  });

  test('HTML entities, named and numeric, with or without the semicolon', () => {
    assert.equal(decodeWeb('&lt;script&gt;'), '<script>');
    assert.equal(decodeWeb('&#60;svg&#x3E;&#x3c'), '<svg><');
    assert.equal(decodeWeb('%26lt%3Bimg%26gt%3B'), '<img>');
    assert.equal(decodeWeb('&unknown; &#0; &#99999999;'), '&unknown; &#0; &#99999999;');
  });

  test('SQL comment markers become spaces, keeping MySQL versioned comment content', () => {
    assert.equal(decodeWeb('UNION/**/SELECT'), 'union  select');
    assert.equal(decodeWeb('/*!50000UnIoN*/ /*!50000SeLeCt*/'), ' union   select ');
  });

  test('query strings full of `&name=` are left as they are; a known name or `&#` is still decoded', () => {
    assert.equal(decodeWeb('/search?q=wool&page=2&utm_source=x&amp=1'), '/search?q=wool&page=2&utm_source=x&=1');
    assert.equal(decodeWeb('/q?a=1&ltx=2&lt=3&LT;&lTs'), '/q?a=1&ltx=2<=3<&lts');
    assert.equal(decodeWeb('/q?a=&quotation&quot'), '/q?a=&quotation"');
    assert.equal(decodeWeb('/q?a=&#x3c&#&#;&#60'), '/q?a=<&#&#;<');
    assert.equal(decodeWeb('/q?a=&newlinex&newline1'), '/q?a=&newlinex 1');
  });

  test('entities: the same text as a replace over every `&` (random values of names, letters, `#`, digits, `;`)', () => {
    // What decodeWeb did before it looked for a possible entity first (the entity step alone, then lowercase).
    const named = new Map([
      ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"], ['amp', '&'], ['sol', '/'], ['bsol', '\\'],
      ['colon', ':'], ['semi', ';'], ['lpar', '('], ['rpar', ')'], ['equals', '='], ['period', '.'], ['comma', ','],
      ['tab', ' '], ['newline', ' '], ['grave', '`'], ['lcub', '{'], ['rcub', '}'], ['lsqb', '['], ['rsqb', ']'],
      ['dollar', '$'], ['excl', '!'], ['quest', '?'], ['num', '#'], ['percnt', '%'], ['plus', '+'], ['vert', '|'],
    ]);
    const entity = /&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,8}));?/g;
    const reference = (v: string): string => v.replace(entity, (whole, dec?: string, hex?: string, name?: string) => {
      if (dec !== undefined || hex !== undefined) {
        const code = dec !== undefined ? parseInt(dec, 10) : parseInt(hex!, 16);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return named.get(name!.toLowerCase()) ?? whole;
    }).toLowerCase();
    const names = [...named.keys()];
    const piece = fc.oneof(
      fc.constantFrom('&', '&', '#', ';', '=', '/', 'x', 'X', '3c', '60', 'page', 'utm_source', 'ſ', '\u212a', 'é'),
      fc.constantFrom(...names),
      fc.constantFrom(...names).map((n) => n.toUpperCase()),
      fc.constantFrom(...names).map((n) => n[0]!.toUpperCase() + n.slice(1)),
      fc.string({ unit: fc.constantFrom('a', 'l', 't', 'q', 'u', 'o', 'm', 'p', 'Z'), maxLength: 10 }),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 16 }).map((p) => '&' + p.join('')), (v) => {
      assert.equal(decodeWeb(v), reference(v));
    }), { numRuns: 5000 });
  });

  test('every %XY of printable ASCII: two hex digits of either case decode, anything else stays as written', () => {
    // the characters on both sides of the digit and letter ranges ('/', ':', '@', 'G', '`', 'g') among them
    const chars = [...Array(0x5f).keys()].map((k) => String.fromCharCode(0x20 + k)).filter((c) => !'\\+?*'.includes(c));
    const isHex = (c: string): boolean => /^[0-9A-Fa-f]$/.test(c);
    for (const x of chars) {
      for (const y of chars) {
        const expected = isHex(x) && isHex(y) ? String.fromCharCode(parseInt(x + y, 16)).toLowerCase() : `%${x}${y}`.toLowerCase();
        assert.equal(decodeWeb(`%${x}${y}`), expected, `%${x}${y}`);
      }
    }
    assert.equal(decodeWeb('%u00E9%uFFFF%u12G4'), '\u00e9\uffff%u12g4');
  });

  test('a round of %-decoding through unescape() gives what percentDecode gives (random escapes, u/U, overlong)', () => {
    const piece = fc.constantFrom('%', 'u', 'U', 'c', 'C', '0', '1', '2', '5', '7', '8', '9', 'a', 'A', 'b', 'f', 'F', 'g', 'G', '/', ':', '@', '`', 'x', '\u00e9');
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
      const s = pieces.join('');
      assert.equal(percentRound(s), percentDecode(s), JSON.stringify(s));
    }), { numRuns: 20_000 });
    for (const s of ['%u00e9%U00E9', '%c0%af', '%C1%9c', '%41%u0042%4', '%%41', '%u12', '%ua']) assert.equal(percentRound(s), percentDecode(s), s);
  });
});
