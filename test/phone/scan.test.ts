// findPhoneNumbers: every valid mobile number in a line, for ranking; same boundaries as the matcher.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { UsageError } from '../../src/errors.js';
import { findPhoneNumbers, findPhoneNumbersUnfiltered, mayHoldNumber } from '../../src/phone/scan.js';
import { fixture } from '../helpers/paths.js';

function at(e164: string, start: number, text: string): { e164: string; start: number; end: number; text: string } {
  return { e164, start, end: start + text.length, text };
}

describe('findPhoneNumbers', () => {
  it('finds the numbers of the phone fixture: nginx and werkzeug query strings, Flask, JSON, Chinese text', () => {
    const lines = readFileSync(fixture('logs', 'phone', 'app.log'), 'utf8').split('\n');
    assert.deepEqual(lines.map((l) => findPhoneNumbers(l)), [
      [at('+8613888888888', 73, '13888888888')],
      [at('+8613888888888', 68, '%2B8613888888888')],
      [at('+8613912345678', 68, '%2B86%20139%201234%205678')],
      [at('+8613888888888', 66, '+86 138 8888 8888')],
      [], // masked and uid-glued numbers are not numbers
      [at('+8613888888888', 80, '13888888888')],
      [at('+14155552671', 84, '+1 (415) 555-2671'), at('+447911123456', 110, '+44 7911 123456')],
      [at('+8613888888888', 72, '13888888888')],
      [],
      [at('+8613912345678', 47, '0086 139-1234-5678')],
      [at('+8613888888888', 59, '+86+138+8888+8888')],
      [],
    ]);
  });

  it('reads national numbers in the default region CN, any country after + or 00', () => {
    assert.deepEqual(findPhoneNumbers('a=13912345678 b=8613712345678 c=+447911123456 d=0033612345678'), [
      at('+8613912345678', 2, '13912345678'),
      at('+8613712345678', 16, '8613712345678'),
      at('+447911123456', 32, '+447911123456'),
      at('+33612345678', 48, '0033612345678'),
    ]);
  });

  it('keeps only mobile numbers', () => {
    assert.deepEqual(findPhoneNumbers('office 020 8888 8888, hotline 400 812 3123, fax +86 755 1234 5678'), []);
    assert.deepEqual(findPhoneNumbers('uk landline +44 20 7946 0958'), []);
    // NANP numbers cannot be told from fixed lines: accepted as mobile-ish.
    assert.deepEqual(findPhoneNumbers('us +1 415 555 2671'), [at('+14155552671', 3, '+1 415 555 2671')]);
  });

  it('reads national numbers in another region when asked', () => {
    assert.deepEqual(findPhoneNumbers('call 07911 123456 or 13912345678', 'GB'), [at('+447911123456', 5, '07911 123456')]);
    assert.deepEqual(findPhoneNumbers('call (415) 555-2671', 'US'), [at('+14155552671', 5, '(415) 555-2671')]);
    assert.deepEqual(findPhoneNumbers('call 1-415-555-2671', 'us'), [at('+14155552671', 5, '1-415-555-2671')]);
  });

  it('finds nothing in look-alikes', () => {
    for (const line of [
      'order=202611231388888888812',
      'id=13912345678123',
      'ZX13912345678A',
      'uid13912345678',
      'req_13912345678',
      'req-13912345678',
      'trace=4bf92f3577b34da6a3ce929d0e0e4736',
      'ts=1763876722123',
      'elapsed=0.13912345678',
      'v=13.912.345.678',
      '139****5678',
      '+44 139 1234 5678',
      'no digits here at all',
      '2026-11-23 13:45:21 pid 123456',
    ]) {
      assert.deepEqual(findPhoneNumbers(line), [], line);
    }
  });

  it('finds several numbers in one line, left to right', () => {
    assert.deepEqual(findPhoneNumbers('13912345678,13712345678 13612345678'), [
      at('+8613912345678', 0, '13912345678'),
      at('+8613712345678', 12, '13712345678'),
      at('+8613612345678', 24, '13612345678'),
    ]);
  });

  it('returns e164 strings that are equal however the number was written', () => {
    const found = findPhoneNumbers('13912345678 +86 139 1234 5678 %2B8613912345678 008613912345678');
    assert.deepEqual(
      found.map((f) => f.e164),
      ['+8613912345678', '+8613912345678', '+8613912345678', '+8613912345678'],
    );
  });

  it('throws UsageError for an unknown region', () => {
    assert.throws(() => findPhoneNumbers('13912345678', 'XX'), UsageError);
  });

  it('never throws on any text, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (line) => {
        for (const f of findPhoneNumbers(`${line} 13912345678 ${line}`)) assert.match(f.e164, /^\+[1-9][0-9]{6,14}$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws and never reports a number glued to a letter or digit', () => {
    const alphabet = fc.constantFrom(
      '1', '3', '9', '0', '8', '6', '+', '-', ' ', '(', ')', '.', '%', '2', 'B', 'x', '_', '*', '=',
    );
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 80 }), (line) => {
        for (const f of findPhoneNumbers(line)) {
          assert.equal(f.text, line.slice(f.start, f.end));
          assert.match(f.e164, /^\+[1-9][0-9]{6,14}$/);
          const before = line.slice(Math.max(0, f.start - 1), f.start);
          if (/[0-9A-Za-z_]/.test(before)) assert.match(line.slice(f.start - 3, f.start), /^%[0-9A-Fa-f]{2}$/, line);
          assert.doesNotMatch(line.slice(f.end, f.end + 1), /[0-9A-Za-z_]/, line);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('findPhoneNumbers: the pattern that turns lines away', () => {
  // Numbers of several regions written in the ways logs write them, with the separators and escapes the tokenizer
  // joins (groups.ts), signs, 00, stars, and the digit runs of web and system logs around them.
  const REGIONS = ['CN', 'US', 'GB', 'DE', 'SG', 'HK', 'FR'];
  const NUMBERS = ['13888888888', '8613912345678', '4155552671', '14155552671', '07911123456', '447911123456', '015123456789',
    '4915123456789', '81234567', '6581234567', '51234567', '85251234567', '0612345678', '33612345678', '1234567', '123456789',
    '29051234', '376312345']; // the last two: 8 and 9 digits with their calling code (St Helena, Andorra)
  const SEPARATORS = ['', ' ', '-', '(', ')', '+', '%20', '%2D', '%2d', '%28', '%29', '%2B', '%2b', '.', '/', ':', '*', '  ', ' - ', '%20%20%20%20'];
  const BEFORE = ['', '+', '%2B', '%2b', '+(', '%2B%28', '00', '0', 'tel=', 'uid', '1', 'x ', '手机号', '.', '-', '['];
  const AFTER = ['', ' ', 'x', '注册', '.5', '-A', '"', '&', '0'];
  const NOISE = ['203.0.113.9', '[02/Mar/2025:00:00:00 +0000]', 'Gecko/20100101', 'HTTP/1.1" 200 2326', 'port 52144', 'rv:125.0',
    '2026-03-02T00:01:03.000Z', 'id=12345678', '?page=9&q=wool+leather', 'sshd[4242]:', ''];
  const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
  // a number cut into groups at random places, each cut written with a separator
  const written = fc.tuple(pick(NUMBERS), fc.array(fc.tuple(fc.nat(20), pick(SEPARATORS)), { maxLength: 4 })).map(([digits, cuts]) => {
    const at = [...new Set(cuts.map(([i]) => i % digits.length))].sort((a, b) => a - b);
    let out = '';
    let from = 0;
    at.forEach((i, k) => {
      out += digits.slice(from, i) + cuts[k]![1];
      from = i;
    });
    return out + digits.slice(from);
  });
  const line = fc.array(fc.oneof(fc.tuple(pick(BEFORE), written, pick(AFTER)).map((p) => p.join('')), pick(NOISE)), { minLength: 1, maxLength: 4 })
    .map((parts) => parts.join(' '));

  it('turns away no line that holds a number, in any region', () => {
    fc.assert(fc.property(line, pick(REGIONS), (l, region) => {
      assert.deepEqual(findPhoneNumbers(l, region), findPhoneNumbersUnfiltered(l, region), `${region}: ${l}`);
    }), { numRuns: 20000, seed: 21 });
  });

  it('finds numbers in these lines, and turns most lines of web and system logs away', () => {
    let found = 0;
    fc.assert(fc.property(line, (l) => { if (findPhoneNumbersUnfiltered(l).length > 0) found++; }), { numRuns: 2000, seed: 22 });
    assert.ok(found > 100, `the generated lines hold numbers (${found} of 2,000)`);
    for (const file of [['nginx', 'access.log'], ['syslog', 'auth.log']]) {
      const logs = readFileSync(fixture('logs', ...file), 'utf8').split('\n').filter((l) => l !== '');
      const kept = logs.filter((l) => mayHoldNumber(l));
      assert.ok(kept.length < logs.length / 2, `${file.join('/')}: ${kept.length} of ${logs.length} lines kept`);
    }
  });
});
