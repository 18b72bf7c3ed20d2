// Field mapping: W3C web server names from access-log records, auditd keys (type = the record type), syslog.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keywordText, recordKind, sigmaField } from '../../src/sigma/fields.js';
import { rec } from '../rules/rec.js';

const access = rec({
  format: 'access',
  raw: '198.51.100.7 - bob [23/Nov/2026:10:00:01 +0000] "POST /api/v1/login?next=%2F HTTP/2.0" 401 53 "https://shop.example/" "curl/8.4.0"',
  message: 'POST /api/v1/login?next=%2F HTTP/2.0 401',
  fields: { ip: '198.51.100.7', user: 'bob', method: 'POST', url: '/api/v1/login?next=%2F', protocol: 'HTTP/2.0', status: '401', bytes: '53', referer: 'https://shop.example/', agent: 'curl/8.4.0', vhost: 'shop.example' },
});

test('web server fields from an access-log record', () => {
  assert.equal(recordKind(access), 'web');
  const expected: Record<string, string> = {
    'cs-method': 'POST',
    'cs-uri-query': '/api/v1/login?next=%2F', // SigmaHQ's rules use it for the whole target
    'cs-uri': '/api/v1/login?next=%2F',
    'cs-uri-stem': '/api/v1/login',
    'cs-user-agent': 'curl/8.4.0',
    'cs-referer': 'https://shop.example/',
    'sc-status': '401',
    'c-ip': '198.51.100.7',
    'cs-host': 'shop.example',
    'cs-version': 'HTTP/2.0',
    'cs-username': 'bob',
  };
  for (const [name, value] of Object.entries(expected)) assert.equal(sigmaField(access, 'web', name), value, name);
  assert.equal(sigmaField(access, 'web', 'cs-cookie'), undefined);
  assert.equal(keywordText(access, 'web'), access.raw);
});

test('auditd: type is the record type, other keys as the record has them', () => {
  const r = rec({ format: 'auditd', program: 'wget', message: 'argc=2 a0="wget"', fields: { audit_type: 'EXECVE', argc: '2', a0: 'wget', a1: 'http://x/' } });
  assert.equal(recordKind(r), 'auditd');
  assert.equal(sigmaField(r, 'auditd', 'type'), 'EXECVE');
  assert.equal(sigmaField(r, 'auditd', 'a1'), 'http://x/');
  assert.equal(sigmaField(r, 'auditd', 'a2'), undefined);
});

test('syslog: keywords read the message; host, program, pid by name', () => {
  const r = rec({ program: 'sshd', pid: 4120, message: 'Corrupted MAC on input.', raw: 'Nov 23 10:00:01 web-01 sshd[4120]: Corrupted MAC on input.' });
  assert.equal(recordKind(r), 'syslog');
  assert.equal(keywordText(r, 'syslog'), 'Corrupted MAC on input.');
  assert.equal(sigmaField(r, 'syslog', 'host'), 'web-01');
  assert.equal(sigmaField(r, 'syslog', 'program'), 'sshd');
  assert.equal(sigmaField(r, 'syslog', 'pid'), '4120');
  assert.equal(sigmaField(r, 'syslog', 'cs-method'), undefined);
});
