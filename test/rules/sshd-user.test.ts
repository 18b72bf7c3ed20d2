// The sshd rules that take the user lazily (src/rules/builtin/sshd.ts, USER) match exactly as their greedy twins do:
// same match or none, same user, address and port, on attacker text built to confuse them (forged tails in the user,
// empty users, optional words repeated). The check can fail: on a pattern with free text after its tail, the two
// differ, and the rules with one keep the greedy user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { sshdRules } from '../../src/rules/builtin/sshd.js';

const LAZY_USER = '(?<user>.{0,128}?)';
// The rules whose user is lazy only for speed. (Two others, input_userauth_invalid and too_many_failures_old, take
// theirs lazily on purpose: their user must leave out an optional ` [preauth]` that ends the line.)
const LAZY_IDS = ['sshd.failed', 'sshd.invalid_user', 'sshd.closed_authenticating', 'sshd.closed_invalid', 'sshd.max_attempts', 'sshd.pam_failure'];
const lazyRules = sshdRules.filter((r) => LAZY_IDS.includes(r.id));

function twins(pattern: string): { lazy: RegExp; greedy: RegExp } {
  return { lazy: new RegExp(pattern), greedy: new RegExp(pattern.replace(LAZY_USER, '(?<user>.{0,128})')) };
}

function same(a: RegExpExecArray | null, b: RegExpExecArray | null): boolean {
  return JSON.stringify(a === null ? null : [...a, a.groups]) === JSON.stringify(b === null ? null : [...b, b.groups]);
}

const STARTS = [
  'Failed password for ', 'Failed password for invalid user ', 'Failed none for invalid user ', 'Failed keyboard-interactive/pam for ',
  'Invalid user ', 'invalid user ', 'Connection closed by authenticating user ', 'Connection reset by invalid user ',
  'Connection closed by invalid user ', 'error: maximum authentication attempts exceeded for ',
  'error: maximum authentication attempts exceeded for invalid user ', 'error: PAM: Authentication failure for ',
  'error: PAM: Authentication failure for illegal user ', 'Disconnecting invalid user ',
];
const WORDS = ['from', 'port', '22', '1.2.3.4', '2001:db8::1', 'ssh2', 'ssh1', '[preauth]', 'invalid', 'illegal', 'user', 'root', 'x', '',
  'from 1.2.3.4 port 22 ssh2', 'from 5.6.7.8 port 1', ': Too many authentication failures', 'a\tb'];
const TAILS = ['', ' from 203.0.113.9 port 2222 ssh2', ' from 203.0.113.9 port 2222', ' from 203.0.113.9', ' 203.0.113.9 port 2222 [preauth]',
  ' 203.0.113.9 port 2222', ' from 203.0.113.9 port 2222 ssh2 [preauth]', ' 203.0.113.9 port 2222: Too many authentication failures [preauth]'];
const message = fc.tuple(fc.constantFrom(...STARTS), fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }), fc.constantFrom(...TAILS), fc.constantFrom(' ', '  '))
  .map(([start, words, tail, sep]) => start + words.join(sep) + tail);

test('the rules checked here take the user lazily', () => {
  assert.deepEqual(lazyRules.map((r) => r.id), LAZY_IDS);
  for (const rule of lazyRules) assert.ok(rule.pattern!.includes(LAZY_USER), rule.id);
});

test('lazy and greedy users match alike on attacker text (and the messages do match, often)', () => {
  const matched = new Map<string, number>(lazyRules.map((r) => [r.id, 0]));
  fc.assert(fc.property(message, (m) => {
    for (const rule of lazyRules) {
      const { lazy, greedy } = twins(rule.pattern!);
      const l = lazy.exec(m);
      assert.ok(same(l, greedy.exec(m)), `${rule.id}: ${JSON.stringify(m)}`);
      if (l !== null) matched.set(rule.id, matched.get(rule.id)! + 1);
    }
  }), { numRuns: 4000 });
  for (const [id, n] of matched) assert.ok(n >= 20, `${id} matched only ${n} generated messages`);
});

test('a forged tail in the user: the address is the real one, at the end of the line', () => {
  const failed = twins(lazyRules.find((r) => r.id === 'sshd.failed')!.pattern!).lazy;
  const m = failed.exec('Failed password for invalid user x from 1.2.3.4 port 1 ssh2 from 203.0.113.9 port 2222 ssh2');
  assert.deepEqual({ ...m?.groups }, { user: 'x from 1.2.3.4 port 1 ssh2', ip: '203.0.113.9', port: '2222' });
});

test('the check can fail: with free text after the tail, a lazy user takes the first tail instead of the last', () => {
  const tooMany = sshdRules.find((r) => r.id === 'sshd.too_many_failures')!.pattern!;
  assert.ok(!tooMany.includes(LAZY_USER));
  const greedy = new RegExp(tooMany);
  const lazy = new RegExp(tooMany.replace('(?<user>.{0,128})', LAZY_USER));
  const m = 'Disconnecting invalid user a 1.2.3.4 port 1: Too many authentication failures 203.0.113.9 port 2: Too many authentication failures [preauth]';
  assert.ok(!same(lazy.exec(m), greedy.exec(m)));
  assert.equal(greedy.exec(m)?.groups?.['ip'], '203.0.113.9');
});
