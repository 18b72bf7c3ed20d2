// maskPhone: what a report shows of a number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskPhone } from '../../src/phone/mask.js';

describe('maskPhone', () => {
  it('shows the first 3 and last 4 digits of a national number of 9 digits or more', () => {
    assert.equal(maskPhone('13888888888'), '138****8888');
    assert.equal(maskPhone('13912345678'), '139****5678');
    assert.equal(maskPhone('7911123456'), '791***3456');
    assert.equal(maskPhone('612345678'), '612**5678');
  });

  it('drops the country code of an E.164 number', () => {
    assert.equal(maskPhone('+8613888888888'), '138****8888');
    assert.equal(maskPhone('+14155552671'), '415***2671');
    assert.equal(maskPhone('+447911123456'), '791***3456');
  });

  it('ignores separators in national input', () => {
    assert.equal(maskPhone('138 8888-8888'), '138****8888');
  });

  it('shows less of short numbers, nothing of very short ones', () => {
    assert.equal(maskPhone('12345678'), '12****78');
    assert.equal(maskPhone('123456'), '12**56');
    assert.equal(maskPhone('12345'), '*****');
  });

  it('never throws', () => {
    assert.equal(maskPhone(''), '');
    assert.equal(maskPhone('abc'), '');
    assert.equal(maskPhone('+'), '');
    assert.equal(maskPhone('+999 1234567'), '999***4567');
  });
});
