// createRedactor and maskNumber: other people's numbers never leave in full with --redact.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor, maskNumber } from '../../src/phone/redact.js';

describe('maskNumber', () => {
  it('masks numbers of the region in national form and others with their calling code', () => {
    assert.equal(maskNumber('+8613912345678', 'CN'), '139****5678');
    assert.equal(maskNumber('+447911123456', 'CN'), '+44 791***3456');
    assert.equal(maskNumber('+14155552671', 'US'), '415***2671');
  });
});

describe('createRedactor', () => {
  const redact = createRedactor('+8613888888888', 'CN');

  it('masks every other number, however written, and keeps the one asked about', () => {
    assert.equal(
      redact('sms to 13888888888, alt 13912345678 and +86 150 0000 1234, intl +44 7911 123456'),
      'sms to 13888888888, alt 139****5678 and 150****1234, intl +44 791***3456',
    );
    assert.equal(redact('GET /sms/send?phone=%2B8613912345678&x=1'), 'GET /sms/send?phone=139****5678&x=1');
  });

  it('returns the same string when there is nothing to mask', () => {
    const line = 'order=202611231388888888812 uid13912345678 ts=1763876722123';
    assert.equal(redact(line), line);
    assert.equal(redact('13888888888 +86 138 8888 8888'), '13888888888 +86 138 8888 8888');
    assert.equal(redact(''), '');
  });

  it('masks all numbers when none is kept', () => {
    assert.equal(createRedactor(null, 'CN')('13888888888 and 13912345678'), '138****8888 and 139****5678');
  });
});
