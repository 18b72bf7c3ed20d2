import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createKeyInterner } from '../../src/rules/key-interner.js';

test('key interner: every answer equals the value asked, before and after the table starts afresh', () => {
  const intern = createKeyInterner(3);
  const asked = ['203.0.113.9', '203.0.113.9', '198.51.100.7', '', 'root', '203.0.113.9', 'admin', 'x'.repeat(40), 'root', ''];
  assert.deepEqual(asked.map((s) => intern(s)), asked);
  const value = fc.constantFrom('a', 'b', 'ab', 'ba', '10.0.0.1', '10.0.0.10', '__proto__', 'constructor', '123', '');
  fc.assert(fc.property(fc.array(value, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (values, max) => {
    const own = createKeyInterner(max);
    for (const v of values) assert.equal(own(v), v);
  }));
});

test('key interner: a value cut from a longer line comes back as an equal string of its own', () => {
  const intern = createKeyInterner();
  const line = 'sshd[1]: Failed password for invalid user administrator-of-the-realm from 203.0.113.9';
  const user = line.slice(line.indexOf('administrator'), line.indexOf(' from'));
  const got = intern(user);
  assert.equal(got, 'administrator-of-the-realm');
  assert.equal(intern('administrator-of-the-realm'), 'administrator-of-the-realm');
});
