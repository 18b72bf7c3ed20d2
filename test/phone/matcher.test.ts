// createMatcher: every written form of one number is found with its exact span, no look-alike is.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createMatcher, type PhoneMatch } from '../../src/phone/matcher.js';
import { parseTarget } from '../../src/phone/number.js';
import { fixture } from '../helpers/paths.js';

const cn = createMatcher(parseTarget('13888888888'));

function exact(start: number, text: string): PhoneMatch {
  return { start, end: start + text.length, text, kind: 'exact' };
}
function masked(start: number, text: string): PhoneMatch {
  return { start, end: start + text.length, text, kind: 'masked' };
}

describe('createMatcher: written forms', () => {
  const forms = [
    '13888888888',
    '+8613888888888',
    '8613888888888',
    '008613888888888',
    '0086 138 8888 8888',
    '+86 138 8888 8888',
    '+86-138-8888-8888',
    '+86 (138) 8888 8888',
    '+(86) 138 8888 8888',
    '138 8888 8888',
    '138-8888-8888',
    '1388 888 8888',
    '%2B8613888888888',
    '%2b8613888888888',
    '+86%20138%208888%208888',
    '%2B86-138-8888-8888',
    '%2B86%20138%208888%208888',
  ];
  for (const form of forms) {
    it(`finds ${form} alone, after a space, and inside a sentence`, () => {
      assert.deepEqual(cn(form), [exact(0, form)]);
      assert.deepEqual(cn(`sent to ${form}.`), [exact(8, form)]);
      assert.deepEqual(cn(`[${form}]`), [exact(1, form)]);
    });
  }

  it('finds the number in JSON fields of any name, query strings and paths', () => {
    assert.deepEqual(cn('{"mobile":"13888888888"}'), [exact(11, '13888888888')]);
    assert.deepEqual(cn('{"contact_no":"+86 138 8888 8888","n":1}'), [exact(15, '+86 138 8888 8888')]);
    assert.deepEqual(cn('GET /sms?phone=13888888888&scene=login'), [exact(15, '13888888888')]);
    assert.deepEqual(cn('GET /sms?phone=%2B8613888888888&x=1'), [exact(15, '%2B8613888888888')]);
    assert.deepEqual(cn('GET /users/13888888888/orders'), [exact(11, '13888888888')]);
    assert.deepEqual(cn('phone:13888888888;'), [exact(6, '13888888888')]);
    assert.deepEqual(cn('13888888888,13888888888'), [exact(0, '13888888888'), exact(12, '13888888888')]);
  });

  it('reads a + after a letter as a form-encoded space, not as a country code', () => {
    assert.deepEqual(cn('msg=code+sent+to+13888888888'), [exact(17, '13888888888')]);
    assert.deepEqual(cn('q=+86+138+8888+8888'), [exact(2, '+86+138+8888+8888')]);
  });

  it('takes text in scripts without spaces as boundaries', () => {
    assert.deepEqual(cn('用户手机号13888888888注册成功'), [exact(5, '13888888888')]);
    assert.deepEqual(cn('Téléphone:13888888888'), [exact(10, '13888888888')]);
  });

  it('covers only the national part when a bare calling code is written apart', () => {
    assert.deepEqual(cn('86-138-8888-8888'), [exact(3, '138-8888-8888')]);
    assert.deepEqual(cn('86 13888888888'), [exact(3, '13888888888')]);
  });

  it('finds non-CN numbers in their own forms', () => {
    const uk = createMatcher(parseTarget('+447911123456'));
    assert.deepEqual(uk('call +44 7911 123456 now'), [exact(5, '+44 7911 123456')]);
    assert.deepEqual(uk('call 07911 123456 now'), [exact(5, '07911 123456')]);
    assert.deepEqual(uk('call +44 (0)7911 123456 now'), [exact(5, '+44 (0)7911 123456')]);
    assert.deepEqual(uk('call 0044 7911 123456 now'), [exact(5, '0044 7911 123456')]);
    assert.deepEqual(uk('call 447911123456 now'), [exact(5, '447911123456')]);
    const us = createMatcher(parseTarget('+1 415 555 2671'));
    assert.deepEqual(us('tel +1 (415) 555-2671'), [exact(4, '+1 (415) 555-2671')]);
    assert.deepEqual(us('tel 1-415-555-2671'), [exact(4, '1-415-555-2671')]);
    assert.deepEqual(us('tel 415-555-2671'), [exact(4, '415-555-2671')]);
    assert.deepEqual(us('tel 14155552671'), [exact(4, '14155552671')]);
    assert.deepEqual(us('tel (415) 555-2671'), [exact(4, '(415) 555-2671')]);
    assert.deepEqual(us('tel (4155552671)'), [exact(5, '4155552671')]);
  });
});

describe('createMatcher: look-alikes', () => {
  const lookAlikes = [
    '202611231388888888812', // order number
    '13888888888123', // the number, continued
    '113888888888', // 12-digit run
    '138888888881', // 12-digit run
    '013888888888', // CN numbers are not written with the trunk prefix
    'ZX13888888888A',
    'uid13888888888',
    'req_13888888888',
    'req-13888888888',
    'ORD-13888888888-A',
    'deadbeef13888888888',
    '13888888888cafe',
    '0x13888888888',
    'ts=1388888888812',
    'elapsed=0.13888888888',
    'amount=13888888888.50',
    'v=13.888.888.888',
    '10.13888888888',
    '+13888888888', // +1 388 888 8888: another country
    '+44 138 8888 8888', // a national number after another calling code
    '0044 13888888888',
    '+8613888888888123',
    '8613888888888123',
    '%41' + '13888888888', // %41 is 'A'
    '13888888888%42',
    '１13888888888', // a full-width digit glued on
    '138 8888 888', // too short
    '138 8888 8888 8', // still a match, the 8 is another group: checked below
  ];
  for (const line of lookAlikes.slice(0, -1)) {
    it(`finds nothing in ${line}`, () => {
      assert.deepEqual(cn(line), []);
    });
  }

  it('stops at group boundaries, not inside groups', () => {
    assert.deepEqual(cn('138 8888 8888 8'), [exact(0, '138 8888 8888')]);
    assert.deepEqual(cn('2026 13888888888'), [exact(5, '13888888888')]);
  });
});

describe('createMatcher: masked forms', () => {
  it('finds masks that fit the number', () => {
    assert.deepEqual(cn('138****8888'), [masked(0, '138****8888')]);
    assert.deepEqual(cn('user 138******88 locked'), [masked(5, '138******88')]);
    assert.deepEqual(cn('138-****-8888'), [masked(0, '138-****-8888')]);
    assert.deepEqual(cn('to +86 138****8888'), [masked(3, '+86 138****8888')]);
    assert.deepEqual(cn('{"m":"13*******88"}'), []); // 4 digits visible: thousands of numbers
  });

  it('ignores masks that do not fit', () => {
    for (const line of [
      '139****8888', // visible digits differ
      '138***8888', // one digit short
      '138*****8888', // one digit long
      '*******8888', // nothing visible at the start
      '1388888888*', // nothing visible at the end
      '138**88**888', // two runs of stars
      '+44 138****8888',
    ]) {
      assert.deepEqual(cn(line), [], line);
    }
  });
});

describe('createMatcher: realistic lines', () => {
  it('finds the number in the phone fixture, line by line', () => {
    const lines = readFileSync(fixture('logs', 'phone', 'app.log'), 'utf8').split('\n');
    assert.deepEqual(lines.map((l) => cn(l)), [
      [exact(73, '13888888888')],
      [exact(68, '%2B8613888888888')],
      [],
      [exact(66, '+86 138 8888 8888')],
      [masked(66, '138****8888')],
      [exact(80, '13888888888')],
      [],
      [exact(72, '13888888888')],
      [],
      [],
      [exact(59, '+86+138+8888+8888')], // werkzeug: a query string with form-encoded spaces
      [], // after the last newline
    ]);
  });
});

describe('createMatcher: properties', () => {
  const alphabet = fc.constantFrom(
    '1', '3', '8', '0', '6', '+', '*', '-', ' ', '(', ')', '.', '%', '2', 'B', 'b', 'a', '_', '=', '&', '/', ':', '手',
  );
  const ASCII_WORD = /[0-9A-Za-z_]/;
  const HEX = /^%[0-9A-Fa-f]{2}$/;

  it('never throws and never reports a match with a letter or digit for a neighbour', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, maxLength: 60 }),
        fc.constantFrom('', '13888888888', '+86 138 8888 8888', '138****8888'),
        fc.nat(60),
        (noise, form, at) => {
          const cut = Math.min(at, noise.length);
          const line = noise.slice(0, cut) + form + noise.slice(cut);
          for (const m of cn(line)) {
            assert.equal(m.text, line.slice(m.start, m.end));
            const before = line.slice(Math.max(0, m.start - 1), m.start);
            // A letter or digit may only precede a match as the tail of a %XX escape (%20, %3D).
            if (ASCII_WORD.test(before)) assert.match(line.slice(m.start - 3, m.start), HEX, line);
            assert.doesNotMatch(line.slice(m.end, m.end + 1), ASCII_WORD, line);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws on any text, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (noise) => {
        const line = `${noise} 13888888888 ${noise}`;
        for (const m of cn(line)) assert.equal(m.text, line.slice(m.start, m.end));
      }),
      { numRuns: 1000 },
    );
  });

  it('always finds the number written between commas, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, maxLength: 40 }),
        fc.constantFrom('13888888888', '+8613888888888', '0086 138 8888 8888', '+86-138-8888-8888', '%2B8613888888888'),
        fc.string({ unit: alphabet, maxLength: 40 }),
        (left, form, right) => {
          const line = `${left},${form},${right}`;
          const found = cn(line).filter((m) => m.start === left.length + 1);
          assert.deepEqual(found, [exact(left.length + 1, form)], line);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
