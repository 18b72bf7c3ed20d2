// valuesFromMessage: who and where an application says in its text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valuesFromMessage } from '../../src/rules/message-values.js';

test('key=value pairs, the first of each kind', () => {
  assert.deepEqual(valuesFromMessage('user registered user_id=58121 phone=13888888888 ip=203.0.113.61'), {
    ip: '203.0.113.61',
    user: '58121',
    phone: '13888888888',
  });
  assert.deepEqual(valuesFromMessage('user registered: username=alice email=alice@example.com ip=2001:db8::10'), {
    ip: '2001:db8::10',
    user: 'alice',
    phone: null,
  });
  assert.deepEqual(valuesFromMessage('account locked: user="admin", client_ip="198.51.100.23"'), { ip: '198.51.100.23', user: 'admin', phone: null });
});

test('an ip= that is not an address is not taken; ruser= is not user=', () => {
  assert.deepEqual(valuesFromMessage('ip=unknown ruser=bob'), { ip: null, user: null, phone: null });
});

test('wording: from ADDR, for user X, for \'X\', for an e-mail address, to PHONE', () => {
  assert.deepEqual(valuesFromMessage('login failed for user admin from 198.51.100.23'), { ip: '198.51.100.23', user: 'admin', phone: null });
  assert.deepEqual(valuesFromMessage("Bad password attempt for 'root' from 203.0.113.50:4122"), { ip: '203.0.113.50', user: 'root', phone: null });
  assert.deepEqual(valuesFromMessage('password reset requested for bob@example.com'), { ip: null, user: 'bob@example.com', phone: null });
  assert.deepEqual(valuesFromMessage('verification code sent to +86 138 8888 8888 (attempt 2)'), { ip: null, user: null, phone: '+86 138 8888 8888' });
  assert.deepEqual(valuesFromMessage('用户手机号13888888888注册成功'), { ip: null, user: null, phone: '13888888888' });
});

test('look-alikes are not taken', () => {
  assert.deepEqual(valuesFromMessage('moved from stage to prod'), { ip: null, user: null, phone: null });
  assert.deepEqual(valuesFromMessage('sent to 3 users'), { ip: null, user: null, phone: null });
  assert.deepEqual(valuesFromMessage('report sent to 2026-11-23'), { ip: null, user: null, phone: null });
});
