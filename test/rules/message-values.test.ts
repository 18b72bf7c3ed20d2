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

test('the same values as the version that read every key=value pair (random messages)', async () => {
  const { default: fc } = await import('fast-check');
  const { isIP } = await import('node:net');
  // valuesFromMessage before it looked only for the known keys: every pair matched, its key lowercased and looked up
  const ipKeys = new Set(['ip', 'client_ip', 'clientip', 'remote_addr', 'remote_ip', 'src_ip', 'source_ip', 'rip', 'addr', 'client']);
  const userKeys = new Set(['user', 'username', 'user_name', 'user_id', 'userid', 'uid', 'login', 'account', 'email']);
  const phoneKeys = new Set(['phone', 'mobile', 'tel', 'msisdn', 'phone_number', 'phonenumber', '手机号', '手机']);
  const pairs = /(?<=^|[\s,;{(])([A-Za-z_]{1,20}|手机号?)\s{0,2}[=:：](?=\s{0,2}"?([^\s,;"'}\])]{1,128}))/g;
  const fromAddress = /\bfrom (?:ip |address |host )?\[?([0-9A-Fa-f][0-9A-Fa-f.:]{1,44})\]?/;
  const forUser = /\bfor (?:(?:user|account) ['"<]?([^\s'",;<>]{1,64})|'([^'\n]{1,64})'|([^\s'",;<>@]{1,64}@[\w.-]{1,64}))/i;
  const phoneText = /(?:\bto |手机号?[=:：]?\s?)(\+?\d[\d ()-]{4,30}\d)/;
  const reference = (message: string): { ip: string | null; user: string | null; phone: string | null } => {
    const out: { ip: string | null; user: string | null; phone: string | null } = { ip: null, user: null, phone: null };
    if (message.includes('=') || message.includes(':')) {
      pairs.lastIndex = 0;
      for (let m = pairs.exec(message); m !== null; m = pairs.exec(message)) {
        const key = m[1]!.toLowerCase();
        const value = m[2]!;
        if (out.ip === null && ipKeys.has(key) && isIP(value) !== 0) out.ip = value;
        else if (out.user === null && userKeys.has(key)) out.user = value;
        else if (out.phone === null && phoneKeys.has(key)) out.phone = value;
      }
    }
    if (out.ip === null && message.includes('from ')) {
      const ip = fromAddress.exec(message)?.[1]?.replace(/[.:]+$/, '');
      if (ip !== undefined && isIP(ip) !== 0) out.ip = ip;
      else if (ip !== undefined) out.ip = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(ip)?.[1] ?? null;
    }
    if (out.user === null && message.includes('for ')) {
      const m = forUser.exec(message);
      out.user = m?.[1] ?? m?.[2] ?? m?.[3] ?? null;
    }
    if (out.phone === null) {
      const phone = phoneText.exec(message)?.[1];
      const digits = phone === undefined ? 0 : phone.replace(/\D/g, '').length;
      const plausible = phone !== undefined && (phone.startsWith('+') || digits >= 10 || !phone.includes('-'));
      if (plausible && digits >= 7 && digits <= 15) out.phone = phone;
    }
    return out;
  };
  const key = fc.oneof(
    fc.constantFrom(...ipKeys, ...userKeys, ...phoneKeys, 'IP', 'User', 'USERNAME', 'x', 'myip', 'ipx', 'user1', 'registered', 'db_user', 'a'.repeat(21) + 'ip', 'ſrc_ip'),
    fc.stringMatching(/^[A-Za-z_]{1,22}$/),
  );
  const value = fc.constantFrom('203.0.113.9', '::1', 'alice', '"bob"', '13888888888', 'username=carol', 'ip=198.51.100.7', '', '1');
  const sep = fc.constantFrom(' ', ',', ';', '{', '(', '_', '-', ' , ', '', ' from ', ' for user ', ' to ');
  const pair = fc.tuple(sep, key, fc.constantFrom('=', ':', '：', ' = ', '=  ', '   ='), value).map((p) => p.join(''));
  fc.assert(fc.property(fc.array(pair, { maxLength: 12 }), (ps) => {
    const message = ps.join('');
    assert.deepEqual(valuesFromMessage(message), reference(message), JSON.stringify(message));
  }), { numRuns: 20_000 });
});
