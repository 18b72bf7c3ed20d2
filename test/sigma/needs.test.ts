// What a Sigma rule needs of a record (src/sigma/needs.ts), and the engine that skips the rules whose texts a record
// lacks: the needs worked out from each construct, and the same events as running every rule's tests on every record,
// on rules that use every construct and records made of their texts in other cases, cut short, or among other text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSigma, type SigmaRule } from '../../src/sigma/compile.js';
import { createSigmaEngine } from '../../src/sigma/engine.js';
import { NOTHING, allOf, anyOf, type Need } from '../../src/sigma/needs.js';
import { longestLiteral, parseGlob } from '../../src/sigma/wildcard.js';
import type { LogRecord, SecurityEvent } from '../../src/types.js';
import { Prng } from '../bench/prng.js';
import { rec } from '../rules/rec.js';

let n = 0;
function rule(detection: Record<string, unknown>, logsource: Record<string, string> = { category: 'webserver' }): SigmaRule {
  n++;
  return compileSigma({ title: `rule ${n}`, id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, logsource, detection, level: 'high' }, `r${n}.yml`);
}

/** A need as `field:text` strings, one list per clause. */
function shown(need: Need): string[][] {
  return need.map((c) => c.map((t) => `${t.field}:${t.text}`));
}

describe('needs', () => {
  it('the longest fixed text of a glob, between stars and question marks, escapes read', () => {
    assert.equal(longestLiteral(parseGlob('*/vpns/*smb.conf')), 'smb.conf');
    assert.equal(longestLiteral(parseGlob('ab?cdef?g')), 'cdef');
    assert.equal(longestLiteral(parseGlob('\\*lit\\*eral*x')), '*lit*eral');
    assert.equal(longestLiteral(parseGlob('*?*')), '');
  });

  it('from values: lowercased; any of a list, every value with |all; nothing from re, cidr, numbers compared, null, exists, cased', () => {
    assert.deepEqual(shown(rule({ s: { 'cs-uri-query|contains': ['/ETC/passwd', 'win.ini'] }, condition: 's' }).need), [['cs-uri-query:/etc/passwd', 'cs-uri-query:win.ini']]);
    assert.deepEqual(shown(rule({ s: { 'cs-uri-query|contains|all': ['/upload.action', 'filename=../'] }, condition: 's' }).need), [['cs-uri-query:/upload.action'], ['cs-uri-query:filename=../']]);
    assert.deepEqual(shown(rule({ s: { 'sc-status': 404 }, condition: 's' }).need), [['sc-status:404']]);
    for (const s of [{ 'cs-uri-query|re': 'etc/passwd' }, { 'c-ip|cidr': '10.0.0.0/8' }, { 'sc-bytes|gt': 100 }, { 'cs-referer': null },
      { 'cs-referer|exists': true }, { 'cs-uri-query|contains|cased': 'Passwd' }, { 'cs-uri-query|base64offset|contains': 'passwd' },
      { 'cs-uri-query|contains': ['passwd', '*'] }]) {
      assert.deepEqual(rule({ s, condition: 's' }).need, NOTHING, JSON.stringify(s));
    }
  });

  it('keywords are the field "", windash gives every dash', () => {
    assert.deepEqual(shown(rule({ k: ['UNION SELECT', 'sleep('], condition: 'k' }).need), [[':union select', ':sleep(']]);
    assert.deepEqual(shown(rule({ s: { 'cs-uri-query|windash|contains': ' -enc' }, condition: 's' }).need)[0]!.length, 5);
  });

  it('conditions: and keeps every clause, or one clause of each part, not says nothing', () => {
    const r = rule({ m: { 'cs-method': 'GET' }, k: ['={{', '=${'], f: { 'sc-status': 404 }, condition: 'm and k and not f' });
    assert.deepEqual(shown(r.need), [['cs-method:get'], [':={{', ':=${']]);
    const o = rule({ a: { 'cs-method': 'GET', 'cs-uri-query|contains': '/admin/config' }, b: { 'cs-user-agent|contains': 'nikto' }, condition: 'a or b' });
    assert.deepEqual(shown(o.need), [['cs-uri-query:/admin/config', 'cs-user-agent:nikto']]);
    assert.deepEqual(rule({ a: { 'cs-method': 'GET' }, b: { 'cs-uri-query|re': 'x' }, condition: '1 of them' }).need, NOTHING);
    assert.deepEqual(rule({ a: { 'cs-method': 'GET' }, condition: 'not a' }).need, NOTHING);
    assert.deepEqual(anyOf([NOTHING, [[{ field: 'x', text: 'y' }]]]), NOTHING);
    assert.deepEqual(allOf([NOTHING, NOTHING]), NOTHING);
  });
});

// ---- the engine with needs against every rule's tests on every record

const WEB_RULES = (): SigmaRule[] => [
  rule({ s: { 'cs-uri-query|contains': ['/../vpns/', '/etc/passwd'] }, condition: 's' }),
  rule({ s: { 'cs-uri-query|contains|all': ['/upload.action', 'filename=../'] }, m: { 'cs-method': 'POST' }, condition: 's and m' }),
  rule({ m: { 'cs-method': 'GET' }, k: ['={{', '=${', 'T(org.apache'], f: { 'sc-status': 404 }, condition: 'm and k and not f' }),
  rule({ a: { 'cs-user-agent|startswith': ['sqlmap/', 'Nikto'] }, b: { 'cs-user-agent|endswith': '(zgrab)' }, condition: '1 of them' }),
  rule({ s: { 'cs-uri-query': '*/wp-*.php?*' }, t: { 'sc-status': [200, 301] }, condition: 's and t' }),
  rule({ s: { 'cs-uri-query|contains': 'a?min/' }, condition: 's' }),
  rule({ k: ['UNION SELECT', 'İnjected', 'ΣΑΣ'], condition: 'k' }),
  rule({ s: [{ 'cs-referer|contains': 'evil.example' }, { 'cs-uri-stem|endswith': '.env' }], condition: 's' }),
  rule({ s: { 'cs-uri-query|re|i': 'cmd=' }, condition: 's' }),
  rule({ s: { 'cs-uri-query|contains|cased': 'CMD=' }, n: { 'c-ip|cidr': '10.0.0.0/8' }, condition: 's and not n' }),
  rule({ s: { 'cs-uri-query|windash|contains': ' -enc ' }, condition: 's' }),
  rule({ s: { 'cs-uri-query|base64offset|contains': '/bin/sh' }, condition: 's' }),
  rule({ s: { 'cs-uri-query|contains': '\\*star\\*' }, condition: 's' }),
  rule({ s: { 'cs-referer': null, 'cs-uri-query|contains': 'login' }, condition: 's' }),
  rule({ a: { 'cs-method': 'GET' }, b: { 'cs-uri-query|contains': 'x' }, condition: 'not a and b' }),
];

const SYSLOG_RULES = (): SigmaRule[] => [
  rule({ k: ['Failed password for root', 'error: kex'], condition: 'k' }, { product: 'linux', service: 'sshd' }),
  rule({ s: { '|all': ['COMMAND=', '/bin/bash'] }, condition: 's' }, { product: 'linux', service: 'sudo' }),
  rule({ k: ['disconnect'], f: { 'message|contains': 'preauth' }, condition: 'k and not f' }, { product: 'linux' }),
];

/** Texts the records are made of: the rules' own values, other cases, cut short, and look-alikes. */
const PIECES = [
  '/../vpns/', '/etc/passwd', '/ETC/PASSWD', '/etc/passw', '/upload.action', 'filename=../', 'filename=..', '={{', '=${', '=$', 'T(org.apache',
  't(ORG.apache', 'sqlmap/1.7', 'SQLMAP/', 'Nikto/2.5', ' (zgrab)', '/wp-login.php?x=1', '/wp-login.php', 'admin/', 'aXmin/', 'amin/', 'UNION SELECT',
  'union select', 'UNION  SELECT', 'i̇njected', 'İnjected', 'ΣΑΣ', 'σας', 'σασ', 'evil.example', '.env', 'cmd=', 'CMD=', 'Cmd=', ' -enc ', ' /enc ',
  ' –enc ', 'L2Jpbi9za', 'vYmluL3No', 'L2Jpbi9zaA', '*star*', 'xstarx', 'login', 'x', 'Failed password for root', 'failed PASSWORD for ROOT',
  'error: kex', 'COMMAND=', '/bin/bash', 'disconnect', 'preauth', 'K', 'ß', '', '?', '*',
];

function pieces(rng: Prng, max: number): string {
  let s = '';
  for (let k = rng.int(max + 1); k > 0; k--) s += rng.chance(0.3) ? String.fromCharCode(32 + rng.int(95)) : rng.pick(PIECES);
  return s;
}

function webRecord(rng: Prng, i: number): LogRecord {
  const url = '/' + pieces(rng, 4);
  const fields: Record<string, string> = {
    method: rng.pick(['GET', 'POST', 'get', 'HEAD']), url, status: rng.pick(['200', '301', '404', '500']), ip: rng.pick(['10.1.2.3', '203.0.113.9']),
  };
  if (rng.chance(0.7)) fields.agent = pieces(rng, 3);
  if (rng.chance(0.5)) fields.referer = pieces(rng, 2);
  const message = `${fields.method} ${url} HTTP/1.1 ${fields.status}`;
  return rec({ format: 'access', line: i, message, raw: `${fields.ip} - - [x] "${message}" ${fields.agent ?? '-'}`, fields, program: null, host: null });
}

function syslogRecord(rng: Prng, i: number): LogRecord {
  return rec({ line: i, program: rng.pick(['sshd', 'sudo', 'cron']), message: pieces(rng, 4) });
}

/** The same rules with no needs: every record runs every rule's tests, as before needs. */
function withoutNeeds(rules: readonly SigmaRule[]): SigmaRule[] {
  return rules.map((r) => ({ ...r, need: NOTHING }));
}

function events(rules: readonly SigmaRule[], records: readonly LogRecord[]): SecurityEvent[] {
  const engine = createSigmaEngine(rules);
  const out: SecurityEvent[] = [];
  for (const r of records) engine(r, (e) => out.push(e));
  return out;
}

describe('the Sigma engine with needs', () => {
  it('finds exactly the events of every rule run on every record (20,000 web and 10,000 syslog records)', () => {
    const rng = new Prng(20261127);
    const rules = [...WEB_RULES(), ...SYSLOG_RULES()];
    const records = [...Array.from({ length: 20_000 }, (_, i) => webRecord(rng, i)), ...Array.from({ length: 10_000 }, (_, i) => syslogRecord(rng, i))];
    const want = events(withoutNeeds(rules), records);
    assert.deepEqual(events(rules, records), want);
    // the comparison is worth something: most rules match somewhere, and most records match nothing
    const matched = new Set(want.map((e) => e.rule));
    assert.ok(matched.size >= rules.length - 2, `${matched.size} of ${rules.length} rules matched`);
    assert.ok(want.length > 500 && want.length < records.length, String(want.length));
  });

  it('runs a rule\'s tests only on records that hold its texts', () => {
    const [r] = WEB_RULES();
    let calls = 0;
    const counted: SigmaRule = { ...r!, match: (view) => { calls++; return r!.match(view); } };
    const rng = new Prng(7);
    const records = Array.from({ length: 1000 }, (_, i) => webRecord(rng, i));
    const holding = records.filter((x) => /\/\.\.\/vpns\/|\/etc\/passwd/i.test(x.fields.url!)).length;
    const found = events([counted], records).length;
    assert.equal(calls, holding);
    assert.ok(found > 0 && found <= holding && holding < records.length / 2, `${found} ${holding}`);
  });
});
