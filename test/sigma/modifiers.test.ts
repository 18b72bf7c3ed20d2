// Every Sigma field modifier on hand-built records: contains, startswith, endswith, all, re (i), cidr, base64,
// base64offset, windash, cased, exists, gt/gte/lt/lte, null values, lists (or), unknown modifiers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FieldView, recordKind } from '../../src/sigma/fields.js';
import { SigmaUnsupported, base64Offsets, compileItem, windash, type RegexUse, type SigmaValue } from '../../src/sigma/modifiers.js';
import type { LogRecord } from '../../src/types.js';
import { rec } from '../rules/rec.js';

function web(url: string, extra: Record<string, string> = {}): LogRecord {
  return rec({ format: 'access', message: `GET ${url} HTTP/1.1 200`, fields: { method: 'GET', url, status: '200', ip: '203.0.113.9', agent: 'Mozilla/5.0', ...extra } });
}

function item(key: string, values: SigmaValue | SigmaValue[], r: LogRecord, regexes: RegexUse[] = []): boolean {
  return compileItem(key, Array.isArray(values) ? values : [values], regexes).test(new FieldView(r, recordKind(r)));
}

test('plain values: whole value, ignoring case; a list is any of', () => {
  assert.equal(item('cs-method', 'get', web('/')), true);
  assert.equal(item('cs-method', 'POST', web('/')), false);
  assert.equal(item('cs-method', ['POST', 'GET'], web('/')), true);
  assert.equal(item('sc-status', 200, web('/')), true); // numbers compare as text
  assert.equal(item('sc-status', 404, web('/')), false);
});

test('contains, startswith, endswith', () => {
  assert.equal(item('cs-uri-query|contains', '/ETC/passwd', web('/x?f=../../etc/passwd')), true);
  assert.equal(item('cs-uri-query|startswith', '/x', web('/x?f=1')), true);
  assert.equal(item('cs-uri-query|startswith', 'x', web('/x?f=1')), false);
  assert.equal(item('cs-uri-stem|endswith', '.PHP', web('/a/b.php?x=1')), true);
  assert.equal(item('cs-uri-stem|endswith', '=1', web('/a/b.php?x=1')), false);
});

test('all: every value must hold', () => {
  assert.equal(item('cs-uri-query|contains|all', ['/upload.action', 'filename=../'], web('/upload.action?filename=../../x')), true);
  assert.equal(item('cs-uri-query|contains|all', ['/upload.action', 'filename=../'], web('/upload.action?filename=x')), false);
});

test('re: case-sensitive; re|i ignores case; the pattern is handed to the ReDoS screening', () => {
  const regexes: RegexUse[] = [];
  assert.equal(item('cs-uri-stem|re', '^/admin/[a-z]+\\.php$', web('/admin/login.php'), regexes), true);
  assert.equal(item('cs-uri-stem|re', '^/admin/[a-z]+\\.php$', web('/ADMIN/login.php')), false);
  assert.equal(item('cs-uri-stem|re|i', '^/admin/[a-z]+\\.php$', web('/ADMIN/Login.PHP'), regexes), true);
  assert.deepEqual(regexes, [{ source: '^/admin/[a-z]+\\.php$', flags: '' }, { source: '^/admin/[a-z]+\\.php$', flags: 'i' }]);
  assert.throws(() => item('cs-uri-stem|re', '(', web('/')), SigmaUnsupported);
});

test('cidr: IPv4 and IPv6 ranges; a non-address never matches', () => {
  assert.equal(item('c-ip|cidr', '203.0.113.0/24', web('/')), true);
  assert.equal(item('c-ip|cidr', '198.51.100.0/24', web('/')), false);
  assert.equal(item('c-ip|cidr', '2001:db8::/32', web('/', { ip: '2001:db8:1::5' })), true);
  assert.equal(item('c-ip|cidr', '2001:db8::/32', web('/', { ip: '2001:db9::5' })), false);
  assert.equal(item('c-ip|cidr', '10.0.0.0/8', web('/', { ip: 'crawler.example' })), false);
  assert.throws(() => item('c-ip|cidr', '10.0.0.0/33', web('/')), SigmaUnsupported);
});

test('base64 and base64offset: the encoded forms, compared case-sensitively', () => {
  // base64('/bin/sh') = L2Jpbi9zaA==
  assert.equal(item('cs-uri-query|base64', '/bin/sh', web('L2Jpbi9zaA==')), true);
  assert.equal(item('cs-uri-query|base64|contains', '/bin/sh', web('/x?c=L2Jpbi9zaA==')), true);
  assert.equal(item('cs-uri-query|base64|contains', '/bin/sh', web('/x?c=l2jpbi9zaa==')), false);
  // 'exec /bin/sh -i' encodes to ZXhlYyAvYmluL3NoIC1p: '/bin/sh' sits at offset 2 of a 3-byte group
  assert.equal(item('cs-uri-query|base64offset|contains', '/bin/sh', web('/run?cmd=ZXhlYyAvYmluL3NoIC1p')), true);
  assert.deepEqual(base64Offsets(Buffer.from('/bin/sh')), ['L2Jpbi9za', '9iaW4vc2', 'vYmluL3No']);
});

test('windash: a leading dash may be any dash or a slash', () => {
  assert.deepEqual(windash('net user -add'), ['net user -add', 'net user /add', 'net user \u2013add', 'net user \u2014add', 'net user \u2015add']);
  assert.equal(item('message|windash|contains', ' -add', rec({ message: 'net user /add x' })), true);
});

test('cased: exact case', () => {
  assert.equal(item('message|cased|contains', 'Root', rec({ message: 'login as root' })), false);
  assert.equal(item('message|cased|contains', 'root', rec({ message: 'login as root' })), true);
});

test('exists, null, gt/gte/lt/lte', () => {
  assert.equal(item('cs-referer|exists', true, web('/')), false);
  assert.equal(item('cs-referer|exists', true, web('/', { referer: 'https://a.example/' })), true);
  assert.equal(item('cs-referer', null, web('/')), true);
  assert.equal(item('cs-referer', null, web('/', { referer: 'x' })), false);
  assert.equal(item('sc-status|gte', 200, web('/')), true);
  assert.equal(item('sc-status|gt', 200, web('/')), false);
  assert.equal(item('sc-status|lt', 300, web('/')), true);
  assert.equal(item('sc-status|lte', 199, web('/')), false);
});

test('keywords (field "") search the syslog message; unknown modifiers are refused', () => {
  assert.equal(item('|contains', 'corrupted mac', rec({ program: 'sshd', message: 'Corrupted MAC on input.' })), true);
  assert.equal(item('|contains|all', ['mac', 'input'], rec({ message: 'Corrupted MAC on input.' })), true);
  assert.throws(() => item('cs-uri|expand', '%x%', web('/')), /unsupported modifier 'expand'/);
});
