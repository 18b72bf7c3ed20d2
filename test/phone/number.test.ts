// parseTarget: the forms a user may type, and the specific UsageError for each way a number can be wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { parseTarget } from '../../src/phone/number.js';

const CN_TARGET = { e164: '+8613888888888', national: '13888888888', countryCode: '86', masked: '138****8888' };

describe('parseTarget', () => {
  it('reads every way of typing a CN mobile number, with CN as the default region', () => {
    for (const input of [
      '13888888888',
      ' 138 8888 8888 ',
      '138-8888-8888',
      '+8613888888888',
      '+86 138 8888 8888',
      '+86 (138) 8888-8888',
      '008613888888888',
      '0086 138 8888 8888',
      '１３８８８８８８８８８', // full-width, from a Chinese input method
      '%2B8613888888888', // pasted from a URL
    ]) {
      assert.deepEqual(parseTarget(input), CN_TARGET, input);
    }
  });

  it('reads numbers of other countries with +CC, whatever the region', () => {
    assert.deepEqual(parseTarget('+44 7911 123456'), {
      e164: '+447911123456',
      national: '7911123456',
      countryCode: '44',
      masked: '791***3456',
    });
    // NANP numbers are FIXED_LINE_OR_MOBILE: accepted as mobile.
    assert.deepEqual(parseTarget('+1 415 555 2671', 'CN'), {
      e164: '+14155552671',
      national: '4155552671',
      countryCode: '1',
      masked: '415***2671',
    });
  });

  it('reads national numbers in the given region, case-insensitively', () => {
    assert.equal(parseTarget('07911 123456', 'gb').e164, '+447911123456');
    assert.equal(parseTarget('(415) 555-2671', 'US').e164, '+14155552671');
    assert.equal(parseTarget('1 415 555 2671', 'US').e164, '+14155552671');
  });

  function rejects(input: string, region: string | undefined, message: string, hint?: string): void {
    assert.throws(
      () => parseTarget(input, region),
      (err: unknown) => {
        assert.ok(err instanceof UsageError, `${input}: ${String(err)}`);
        assert.equal(err.message, message);
        assert.equal(err.exitCode, 2);
        if (hint !== undefined) assert.equal(err.hint, hint);
        return true;
      },
    );
  }

  it('says a number is too short or too long, and what length was expected', () => {
    const hint = 'a CN mobile number looks like 131 2345 6789';
    rejects('1388888888', undefined, 'phone number "1388888888" is too short: a CN mobile number has 11 digits', hint);
    rejects('12', undefined, 'phone number "12" is too short: a CN mobile number has 11 digits');
    rejects('138888888888', undefined, 'phone number "138888888888" is too long: a CN mobile number has 11 digits');
    rejects(
      '+86 1388888888888888888',
      undefined,
      'phone number "+86 1388888888888888888" is too long: a CN mobile number has 11 digits',
    );
    rejects('+44 79111 234567', 'CN', 'phone number "+44 79111 234567" is too long: a GB mobile number has 10 digits');
  });

  it('says a number of the right length is not a valid number', () => {
    rejects('12345678901', undefined, 'phone number "12345678901" is not a valid CN number');
    // Ofcom keeps 07700 900000-900999 for drama: libphonenumber-js knows it is no real number.
    rejects('+44 7700 900123', undefined, 'phone number "+44 7700 900123" is not a valid GB number',
      'a GB mobile number looks like 07400 123456');
  });

  it('names the kind of number when it is valid but not a mobile number', () => {
    rejects('02088888888', undefined, 'phone number "02088888888" is not a mobile number: it is a fixed-line number in CN');
    rejects('+86 755 1234 5678', 'US',
      'phone number "+86 755 1234 5678" is not a mobile number: it is a fixed-line number in CN');
    rejects('4008123123', undefined, 'phone number "4008123123" is not a mobile number: it is a shared-cost number in CN');
    rejects('+1 800 555 0199', undefined, 'phone number "+1 800 555 0199" is not a mobile number: it is a toll-free number in US');
  });

  it('rejects what is not a phone number at all', () => {
    rejects('', undefined, 'no phone number given');
    rejects('   ', undefined, 'no phone number given');
    rejects('abc', undefined, 'phone number "abc" is not a phone number: it contains "a"');
    rejects('138 8888 8888 ext 12', undefined, 'phone number "138 8888 8888 ext 12" is not a phone number: it contains "e"');
    rejects('---', undefined, 'phone number "---" is not a phone number: it has no digits');
    rejects('138+8888', undefined, 'phone number "138+8888" is not a phone number: "+" may only come before the country code');
    rejects('+999 1234 5678', undefined, 'phone number "+999 1234 5678" has an unknown country calling code');
  });

  it('rejects an unknown region', () => {
    rejects('13888888888', 'XX', 'unknown region "XX"', 'give a two-letter ISO 3166 country code, such as CN, US or GB');
    rejects('13888888888', 'China', 'unknown region "China"');
  });

  it('shows control characters of a bad input escaped, never raw', () => {
    rejects('138\u001b[2J', undefined, 'phone number "138\\e[2J" is not a phone number: it contains "\\e"');
  });
});
