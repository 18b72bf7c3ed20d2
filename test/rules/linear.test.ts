// Guards against catastrophic backtracking in the built-in rules (log lines are attacker-controlled): a structural
// check of every pattern (no unbounded repetition, no repeated group that itself repeats), and long hostile lines
// through the whole engine, which must simply finish.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { createEngine } from '../../src/rules/engine.js';
import { rec } from './rec.js';

interface Quantifier {
  max: number; // Infinity when unbounded
  length: number; // characters, including a trailing lazy '?'
}

/** The quantifier at src[i], if any. */
function quantifierAt(src: string, i: number): Quantifier | null {
  const c = src[i];
  let q: Quantifier | null = null;
  if (c === '*' || c === '+') q = { max: Infinity, length: 1 };
  else if (c === '?') q = { max: 1, length: 1 };
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
    if (m !== null) q = { max: m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]), length: m[0].length };
  }
  if (q !== null && src[i + q.length] === '?') q.length++;
  return q;
}

/** Problems in a regex source: unbounded repetition, and repeated groups that contain repetition. */
function lint(src: string): string[] {
  const problems: string[] = [];
  const groups: boolean[] = []; // per open group: does it contain a quantifier?
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      inClass = c !== ']';
      if (inClass) continue; // a quantifier-like character inside a class is a literal
    } else if (c === '[') {
      inClass = true;
      continue; // the class's own quantifier comes after its ']'
    } else if (c === '(') {
      groups.push(false);
    } else if (c === ')') {
      const inner = groups.pop() ?? false;
      const q = quantifierAt(src, i + 1);
      if (q !== null) {
        if (inner && q.max > 1) problems.push(`a repeated group that repeats inside, before offset ${i + 1}`);
        if (groups.length > 0) groups[groups.length - 1] = true;
        if (q.max === Infinity) problems.push(`unbounded repetition at offset ${i + 1}`);
        i += q.length;
      } else if (inner && groups.length > 0) {
        groups[groups.length - 1] = true;
      }
      continue;
    }
    const q = quantifierAt(src, i + 1);
    if (q !== null && c !== '(' && c !== '|') {
      if (q.max === Infinity) problems.push(`unbounded repetition at offset ${i + 1}`);
      if (groups.length > 0 && q.max > 1) groups[groups.length - 1] = true;
      i += q.length;
    }
  }
  return problems;
}

describe('the linter itself', () => {
  test('finds what it must', () => {
    assert.deepEqual(lint('(a+)+'), ['unbounded repetition at offset 2', 'a repeated group that repeats inside, before offset 4', 'unbounded repetition at offset 4']);
    assert.deepEqual(lint('(?:a{1,5}b){1,9}'), ['a repeated group that repeats inside, before offset 11']);
    assert.deepEqual(lint('.*x'), ['unbounded repetition at offset 1']);
  });
  test('passes what is fine', () => {
    assert.deepEqual(lint('^a{1,5}(?:b{0,3}c)?d\\+[*+]{1,2}'), []);
  });
});

describe('every built-in pattern is bounded and unnested', () => {
  for (const rule of compileRules(BUILTIN_RULES)) {
    if (rule.regex === null) continue;
    test(rule.id, () => assert.deepEqual(lint(rule.regex!.source), []));
  }
});

describe('hostile lines finish', () => {
  const engine = createEngine({ rules: compileRules(BUILTIN_RULES) });
  const n = 20_000;
  const hostile = [
    'a'.repeat(n * 2),
    ' '.repeat(n * 2),
    'Failed password for ' + 'x from 1.2.3.4 port 1 '.repeat(n / 10),
    'Invalid user ' + ' '.repeat(n) + 'x',
    'pam_unix(sshd:auth): authentication failure;' + ' rhost='.repeat(n / 4),
    "' or".repeat(n / 2),
    '%25'.repeat(n),
    '${'.repeat(n),
    '../'.repeat(n),
    '<'.repeat(n),
    '\\x'.repeat(n),
    '&#'.repeat(n),
    '/*'.repeat(n),
    'message repeated 3 times: [ ' + '['.repeat(n) + ']',
    'user=' + 'a='.repeat(n),
    'to +1' + ' 1'.repeat(n),
    '注册'.repeat(n),
    // the forged repeats that recheck found against earlier forms of the rules (issue 8)
    'x authenticator failed for ('.repeat(n / 10) + 'x authenticator failed for [1.2.3.4]',
    '] general protection fault, '.repeat(n / 10) + 'B',
    'Disconnected (auth failed, 1 attempts in 1 secs)' + ': user=<'.repeat(n / 4),
    '/sms/send' + '?tel=sss'.repeat(n / 4) + '&',
    '`&&' + '\t'.repeat(n) + '||"or<',
    '{{'.repeat(n) + '}{{constructor',
    'e' + ':curl\ts'.repeat(n / 4) + 'f',
    "add 'x' " + 'to shadow group '.repeat(n / 10),
  ];
  const programs = [null, 'sshd', 'sudo', 'su', 'dovecot', 'postfix/smtpd', 'kernel', 'mysqld', 'login', 'dropbear'];
  test('through every program, as the message and as every field', () => {
    let count = 0;
    for (const text of hostile) {
      for (const program of programs) {
        const fields = { url: text, agent: text, referer: text, status: '401', event: text, audit_type: 'USER_LOGIN', c: 'ACCESS' };
        engine(rec({ program, message: text, level: 'high', fields }), () => count++);
      }
    }
    assert.ok(count >= 0);
  });
});
