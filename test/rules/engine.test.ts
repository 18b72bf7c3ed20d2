// The engine end to end on hand-built records: the event JSON shape, the matching policy (first match wins,
// additive web rules, fallbacks, one event per type), repeats, program restriction and value extraction.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { MAX_REPEAT, createEngine } from '../../src/rules/engine.js';
import { createRecordStage } from '../../src/formats/stage.js';
import type { RuleSpec } from '../../src/rules/spec.js';
import type { LogRecord, SecurityEvent } from '../../src/types.js';
import { rec } from './rec.js';

const builtin = createEngine({ rules: compileRules(BUILTIN_RULES, { builtin: true }) });

function events(record: LogRecord, engine = builtin): SecurityEvent[] {
  const out: SecurityEvent[] = [];
  engine(record, (e) => out.push(e));
  return out;
}

function summary(record: LogRecord, engine = builtin): string[] {
  return events(record, engine).map((e) => `${e.type} ${e.rule}`);
}

function spec(over: Partial<RuleSpec> & Pick<RuleSpec, 'id'>): RuleSpec {
  return { family: 'test', description: 'test rule', type: 'auth.failure', outcome: 'failure', examples: { match: [] }, ...over };
}

describe('event JSON shape', () => {
  test('an sshd failure carries everything the record and the match say', () => {
    const record = rec({
      file: '/var/log/auth.log',
      line: 12,
      time: Date.UTC(2026, 10, 23, 3, 14, 29),
      host: 'web-01',
      program: 'sshd',
      pid: 21905,
      message: 'Failed password for root from 203.0.113.45 port 50130 ssh2',
    });
    assert.deepEqual(events(record), [
      {
        type: 'auth.failure',
        severity: 'medium',
        outcome: 'failure',
        time: '2026-11-23T03:14:29.000Z',
        timeMs: 1795403669000,
        source: { ip: '203.0.113.45', port: 50130 },
        user: 'root',
        host: 'web-01',
        program: 'sshd',
        pid: 21905,
        phone: null,
        rule: 'sshd.failed',
        message: 'Failed password for root from 203.0.113.45 port 50130 ssh2',
        file: '/var/log/auth.log',
        line: 12,
      },
    ]);
  });

  test('a web attack takes the address, user and time from the access-log fields', () => {
    const record = rec({
      format: 'access',
      time: Date.UTC(2026, 9, 10, 20, 55, 36, 250),
      host: null,
      message: 'GET /index.php?page=../../etc/passwd HTTP/1.1 200',
      fields: { ip: '2001:db8::66', user: 'frank', method: 'GET', url: '/index.php?page=../../etc/passwd', status: '200' },
    });
    assert.deepEqual(events(record), [
      {
        type: 'web.traversal', severity: 'high', outcome: 'unknown', time: '2026-10-10T20:55:36.250Z', timeMs: 1791665736250,
        source: { ip: '2001:db8::66', port: null }, user: 'frank', host: null, program: null, pid: null, phone: null,
        rule: 'web.traversal', message: 'GET /index.php?page=../../etc/passwd HTTP/1.1 200', file: 'test.log', line: 1,
      },
      {
        type: 'web.lfi', severity: 'high', outcome: 'unknown', time: '2026-10-10T20:55:36.250Z', timeMs: 1791665736250,
        source: { ip: '2001:db8::66', port: null }, user: 'frank', host: null, program: null, pid: null, phone: null,
        rule: 'web.lfi', message: 'GET /index.php?page=../../etc/passwd HTTP/1.1 200', file: 'test.log', line: 1,
      },
    ]);
  });

  test('an SMS code request in a JSON line carries the phone as written', () => {
    const record = rec({
      format: 'json',
      program: 'shop-api',
      message: 'verification code sent',
      fields: { event: 'sms_code_sent', phone: '+86 138 0013 8000', ip: '203.0.113.10' },
    });
    const [e] = events(record);
    assert.equal(e!.type, 'auth.otp_request');
    assert.equal(e!.phone, '+86 138 0013 8000');
    assert.deepEqual(e!.source, { ip: '203.0.113.10', port: null });
  });

  test('no time, and a time outside the Date range, give time null', () => {
    const m = 'Invalid user admin from 203.0.113.9 port 1';
    assert.equal(events(rec({ program: 'sshd', time: null, message: m }))[0]!.time, null);
    assert.equal(events(rec({ program: 'sshd', time: 9e15, message: m }))[0]!.time, null);
    assert.equal(events(rec({ program: 'sshd', time: NaN, message: m }))[0]!.time, null);
  });
});

describe('matching policy', () => {
  test('a successful root login is one auth.root_login, not also auth.success', () => {
    assert.deepEqual(summary(rec({ program: 'sshd', message: 'Accepted password for root from 198.51.100.3 port 40000 ssh2' })), [
      'auth.root_login sshd.accepted',
    ]);
    const [e] = events(rec({ program: 'sshd', message: 'Accepted password for root from 198.51.100.3 port 40000 ssh2' }));
    assert.equal(e!.severity, 'high');
  });

  test('a PostgreSQL FATAL password failure is auth.failure, not app.fatal', () => {
    const record = rec({ program: 'postgres', level: 'critical', message: 'FATAL:  password authentication failed for user "postgres"' });
    assert.deepEqual(summary(record), ['auth.failure db.postgres_auth_failed']);
  });

  test('level fallbacks apply only when no other rule matched', () => {
    assert.deepEqual(summary(rec({ program: 'app', level: 'critical', message: 'disk full' })), ['app.fatal app.level_critical']);
    assert.deepEqual(summary(rec({ program: 'app', level: 'high', message: 'disk full' })), ['app.error app.level_error']);
    assert.deepEqual(summary(rec({ program: 'app', level: 'medium', message: 'disk full' })), []);
    assert.deepEqual(summary(rec({ program: 'app', level: 'high', message: 'login failed for user bob' })), [
      'auth.failure app.login_failure',
    ]);
  });

  test('an sqli payload sent by sqlmap is two events; each attack type at most once', () => {
    const record = rec({
      format: 'access',
      fields: { ip: '192.0.2.15', url: "/p?id=1' union select 1,2-- -&q=' or 1=1--", agent: 'sqlmap/1.7.2#stable (https://sqlmap.org)', status: '200' },
    });
    assert.deepEqual(summary(record), ['web.sqli web.sqli', 'web.scanner web.scanner']);
  });

  test('Log4Shell in the URL and in the User-Agent is one web.jndi', () => {
    const record = rec({
      format: 'access',
      fields: { ip: '192.0.2.15', url: '/?x=${jndi:ldap://x/a}', agent: '${jndi:ldap://x/b}', status: '200' },
    });
    assert.deepEqual(summary(record), ['web.jndi web.jndi']);
  });

  test('HTTP 401/403 count only when the request carries no attack', () => {
    const plain = rec({ format: 'access', fields: { ip: '192.0.2.1', url: '/admin/', status: '401' } });
    const attack = rec({ format: 'access', fields: { ip: '192.0.2.1', url: '/admin/?q=<script>alert(1)</script>', status: '403' } });
    const scanner = rec({ format: 'access', fields: { ip: '192.0.2.1', url: '/', agent: 'Nikto/2.1.6', status: '403' } });
    assert.deepEqual(summary(plain), ['web.auth_failure web.http_401']);
    assert.deepEqual(summary(attack), ['web.xss web.xss']);
    assert.deepEqual(summary(scanner), ['web.scanner web.scanner']);
  });

  test('a benign request gives nothing', () => {
    const record = rec({
      format: 'access',
      message: 'GET /selection?order=desc HTTP/1.1 200',
      fields: { ip: '192.0.2.1', method: 'GET', url: '/selection?order=desc', status: '200', referer: 'https://example.com/a/../b', agent: 'Mozilla/5.0' },
    });
    assert.deepEqual(summary(record), []);
  });

  test('a request line written as program text is not read as one: built-in program rules skip request records', () => {
    // A client may send any request line; nginx logs it with the 400 it answered.
    const pam = 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7  user=root';
    const forged = rec({ format: 'access', program: null, foreignText: true, message: `${pam} 400`, fields: { ip: '203.0.113.66', request: pam, status: '400', url: pam } });
    assert.deepEqual(summary(forged), []);
    const db = "Access denied for user 'root'@'192.0.2.9' (using password: YES)";
    assert.deepEqual(summary(rec({ format: 'access', program: null, foreignText: true, message: `${db} 400`, fields: { ip: '203.0.113.66', status: '400' } })), []);
    assert.deepEqual(summary(rec({ format: 'python', program: 'werkzeug', foreignText: true, message: '127.0.0.1 - - [26/Nov/2026 10:00:01] "GET /x login failed for user admin HTTP/1.1" 400 -', fields: { ip: '127.0.0.1', status: '400' } })), []);
    // the same text as what a program logged still counts, with or without a format
    assert.deepEqual(summary(rec({ format: 'syslog', program: 'sshd', message: pam })), ['auth.failure pam.auth_failure']);
    assert.deepEqual(summary(rec({ format: null, program: null, message: pam })), ['auth.failure pam.auth_failure']);
    assert.deepEqual(summary(rec({ format: 'python', program: 'app', message: 'login failed for user admin' })), ['auth.failure app.login_failure']);
    // the web rules still read the request's fields
    const attack = rec({ format: 'access', program: null, foreignText: true, message: 'GET /.env HTTP/1.1 404', fields: { ip: '203.0.113.66', method: 'GET', url: '/.env', status: '404' } });
    assert.deepEqual(summary(attack), ['web.probe web.probe']);
  });

  test('the access and python parsers mark request lines, and the rules then leave their text alone', () => {
    const lines = [
      '203.0.113.66 - - [26/Nov/2026:10:00:01 +0000] "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7  user=root" 400 157 "-" "-"',
    ];
    const flask = [
      '127.0.0.1 - - [26/Nov/2026 10:00:01] "GET /x login failed for user admin HTTP/1.1" 400 -',
      '2026-11-26 10:00:02,000 INFO werkzeug: 127.0.0.1 - - [26/Nov/2026 10:00:02] "GET /y login failed for user root HTTP/1.1" 400 -',
      'INFO:     127.0.0.1:52100 - "GET /z login failed for user bob HTTP/1.1" 400 Bad Request',
      '2026-11-26 10:00:03,000 ERROR app: login failed for user carol',
      // werkzeug refusing a request quotes it: a client must not frame 198.51.100.7 with a failed login
      "127.0.0.1 - - [26/Nov/2026 10:00:04] code 400, message Bad request syntax ('GET /x login failed for user admin from 198.51.100.7 HTTP/1.1')",
      "2026-11-26 10:00:05,000 INFO werkzeug: 127.0.0.1 - - [26/Nov/2026 10:00:05] code 400, message Bad request version ('invalid password for root from 198.51.100.8')",
    ];
    const seen = (text: readonly string[]): string[] => {
      const out: string[] = [];
      const stage = createRecordStage({ file: 't.log', ctx: { reference: new Date('2026-11-26T12:00:00Z') }, forced: null, onRecord: (r, o) => {
        out.push(`${r.line} ${o} request=${r.foreignText === true}`);
        builtin(r, (e) => out.push(`${r.line} ${e.rule}`));
      } });
      for (const line of text) stage.line(line, false);
      stage.end();
      return out;
    };
    assert.deepEqual(seen(lines), ['1 parsed request=true']);
    assert.deepEqual(seen(flask), [
      '1 parsed request=true', '2 parsed request=true', '3 parsed request=true', '4 parsed request=false', '4 app.login_failure',
      '5 parsed request=true', '6 parsed request=true',
    ]);
  });

  test("a user's rule reads access records' messages (the request line) as before", () => {
    const mine = compileRules([spec({ id: 't.admin', type: 'web.probe', outcome: 'unknown', pattern: '^GET /admin\\b' })]);
    const engine = createEngine({ rules: [...mine, ...compileRules(BUILTIN_RULES, { builtin: true })] });
    const record = rec({ format: 'access', program: null, foreignText: true, message: 'GET /admin HTTP/1.1 200', fields: { ip: '203.0.113.66', url: '/admin', status: '200' } });
    assert.deepEqual(summary(record, engine), ['web.probe t.admin']);
  });

  test('the first matching rule wins; later rules of the same or other types do not add to it', () => {
    const engine = createEngine({
      rules: compileRules([
        spec({ id: 't.one', pattern: 'alpha' }),
        spec({ id: 't.two', type: 'auth.invalid_user', pattern: 'alpha beta' }),
        spec({ id: 't.three', type: 'web.scanner', outcome: 'unknown', pattern: 'beta', additive: true }),
      ]),
    });
    assert.deepEqual(summary(rec({ message: 'alpha beta' }), engine), ['auth.failure t.one', 'web.scanner t.three']);
  });
});

describe('message repeated N times', () => {
  test('the inner message is matched and the event counted N times', () => {
    const record = rec({ program: 'sshd', message: 'message repeated 3 times: [ Failed password for root from 203.0.113.45 port 50130 ssh2]' });
    const out = events(record);
    assert.equal(out.length, 3);
    for (const e of out) {
      assert.equal(e.rule, 'sshd.failed');
      assert.equal(e.source.ip, '203.0.113.45');
      assert.equal(e.message, 'message repeated 3 times: [ Failed password for root from 203.0.113.45 port 50130 ssh2]');
    }
    assert.notEqual(out[0], out[1]); // separate objects: a consumer may keep or change one
  });

  test(`a forged count is capped at ${MAX_REPEAT}`, () => {
    const record = rec({ program: 'sshd', message: 'message repeated 999999999 times: [ Invalid user x from 192.0.2.9 port 1]' });
    assert.equal(events(record).length, 100);
  });

  test('a repeated message that no rule takes gives nothing', () => {
    assert.deepEqual(summary(rec({ program: 'sshd', message: 'message repeated 2 times: [ Received disconnect from 192.0.2.9 port 1:11: Bye Bye [preauth]]' })), []);
  });

  test("dovecot's attempt count multiplies the event", () => {
    const record = rec({
      program: 'dovecot',
      message: 'imap-login: Disconnected (auth failed, 4 attempts in 20 secs): user=<bob>, method=PLAIN, rip=203.0.113.9, lip=10.0.0.5, TLS',
    });
    assert.equal(events(record).length, 4);
  });
});

describe('program restriction', () => {
  const accepted = 'Accepted password for root from 203.0.113.9 port 22 ssh2';

  test('sshd rules take sshd, sshd-session and sshd-auth records', () => {
    for (const program of ['sshd', 'sshd-session', 'sshd-auth']) {
      assert.deepEqual(summary(rec({ program, message: accepted })), ['auth.root_login sshd.accepted'], program);
    }
  });

  test('sshd text inside a web request, an app message or an unparsed line is not an sshd event', () => {
    const inRequest = rec({
      format: 'access',
      message: `GET /search?q=sshd[1]:+${accepted} HTTP/1.1 200`,
      fields: { ip: '198.51.100.1', url: `/search?q=sshd[1]:+${encodeURIComponent(accepted)}`, status: '200' },
    });
    const inApp = rec({ format: 'json', program: 'chat', message: `user pasted: sshd[1]: ${accepted}` });
    const unparsed = rec({ format: null, program: null, host: null, message: `Nov 23 10:00:00 web-01 sshd[1]: ${accepted}` });
    const inUser = rec({ program: 'sshd', message: `Invalid user sshd[1]: ${accepted} from 198.51.100.1 port 5` });
    assert.deepEqual(summary(inRequest), []);
    assert.deepEqual(summary(inApp), []);
    assert.deepEqual(summary(unparsed), []);
    assert.deepEqual(summary(inUser), ['auth.invalid_user sshd.invalid_user']);
    assert.equal(events(inUser)[0]!.source.ip, '198.51.100.1');
  });

  test('a prefix program (postfix/*) takes every postfix daemon', () => {
    const m = 'warning: unknown[203.0.113.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6';
    assert.deepEqual(summary(rec({ program: 'postfix/submission/smtpd', message: m })), ['auth.failure mail.postfix_sasl_failed']);
    assert.deepEqual(summary(rec({ program: 'postfixx', message: m })), ['auth.failure app.login_failure']);
  });

  test('null in programs takes records without a program (a server writing its own file)', () => {
    const m = "2026-11-23T10:00:00.123456Z 8 [Note] Access denied for user 'root'@'203.0.113.9' (using password: YES)";
    assert.deepEqual(summary(rec({ program: null, format: null, message: m })), ['auth.failure db.mysql_access_denied']);
    assert.deepEqual(summary(rec({ program: 'mariadbd', message: m })), ['auth.failure db.mysql_access_denied']);
    assert.deepEqual(summary(rec({ program: 'cron', message: m })), []);
  });
});

describe('values', () => {
  test('IPv4-mapped IPv6 addresses and ADDR:PORT are split and unmapped', () => {
    const vsftpd = rec({ program: 'vsftpd', message: '[bob] FAIL LOGIN: Client "::ffff:203.0.113.9"' });
    assert.deepEqual(events(vsftpd)[0]!.source, { ip: '203.0.113.9', port: null });
    const dropbear = rec({ program: 'dropbear', message: "Bad password attempt for 'root' from [2001:db8::50]:4123" });
    assert.deepEqual(events(dropbear)[0]!.source, { ip: '2001:db8::50', port: 4123 });
  });

  test('a host name stands in for the address when the log gives only that', () => {
    const record = rec({ program: 'sshd', message: 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=p5.example.info  user=root' });
    assert.equal(events(record)[0]!.source.ip, 'p5.example.info');
  });

  test('empty and placeholder values are null', () => {
    const record = rec({ program: 'sshd', message: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=  user=-' });
    const [e] = events(record);
    assert.equal(e!.source.ip, null);
    assert.equal(e!.user, null);
  });

  test('application text gives its user, address and phone (fromMessage)', () => {
    const login = rec({ program: 'flask', message: 'login failed for user admin from 198.51.100.23' });
    assert.equal(events(login)[0]!.user, 'admin');
    assert.equal(events(login)[0]!.source.ip, '198.51.100.23');
    const sms = rec({ program: 'flask', message: 'SMS verification code sent to +8613800138000 for alice' });
    assert.equal(events(sms)[0]!.phone, '+8613800138000');
    const kv = rec({ program: 'app', message: 'user registered user_id=58121 phone=13888888888 ip=203.0.113.61' });
    assert.deepEqual([events(kv)[0]!.user, events(kv)[0]!.phone, events(kv)[0]!.source.ip], ['58121', '13888888888', '203.0.113.61']);
  });

  test('fields win over the message', () => {
    const record = rec({ format: 'logfmt', program: 'app', message: 'login failed for user admin from 198.51.100.23', fields: { user: 'bob', ip: '192.0.2.1' } });
    assert.deepEqual([events(record)[0]!.user, events(record)[0]!.source.ip], ['bob', '192.0.2.1']);
  });

  test('take reads other fields (MongoDB JSON)', () => {
    const record = rec({
      format: 'json',
      message: 'Authentication failed',
      fields: { c: 'ACCESS', 'attr.principalName': 'admin', 'attr.remote': '203.0.113.9:51234' },
    });
    const [e] = events(record);
    assert.equal(e!.rule, 'db.mongodb_auth_failed_json');
    assert.deepEqual([e!.user, e!.source.ip, e!.source.port], ['admin', '203.0.113.9', 51234]);
  });
});

describe('conditions', () => {
  const engine = createEngine({
    rules: compileRules([
      spec({ id: 't.list', where: { res: ['failed', 'no'] } }),
      spec({ id: 't.absent', type: 'auth.success', outcome: 'success', where: { url: false }, pattern: '^ok$' }),
      spec({ id: 't.present', type: 'web.probe', outcome: 'unknown', where: { url: true }, pattern: '^ok$' }),
      spec({ id: 't.format', type: 'app.error', outcome: 'unknown', formats: ['json'], pattern: '^boom$' }),
      spec({ id: 't.nocase', type: 'app.fatal', outcome: 'unknown', literal: 'PANIC', pattern: 'panic!', flags: 'i' }),
    ]),
  });

  test('where: a list of values, presence and absence', () => {
    assert.deepEqual(summary(rec({ fields: { res: 'no' } }), engine), ['auth.failure t.list']);
    assert.deepEqual(summary(rec({ fields: { res: 'success' } }), engine), []);
    assert.deepEqual(summary(rec({ message: 'ok' }), engine), ['auth.success t.absent']);
    assert.deepEqual(summary(rec({ message: 'ok', fields: { url: '/' } }), engine), ['web.probe t.present']);
  });

  test('formats', () => {
    assert.deepEqual(summary(rec({ format: 'json', message: 'boom' }), engine), ['app.error t.format']);
    assert.deepEqual(summary(rec({ format: 'logfmt', message: 'boom' }), engine), []);
    assert.deepEqual(summary(rec({ format: null, message: 'boom' }), engine), []);
  });

  test('formats with null: unparsed records too, still not the other formats', () => {
    const unparsed = createEngine({
      rules: compileRules([spec({ id: 't.unparsed', type: 'app.fatal', outcome: 'unknown', formats: ['syslog', null], pattern: 'panic' })]),
    });
    assert.deepEqual(summary(rec({ format: null, program: null, message: 'panic' }), unparsed), ['app.fatal t.unparsed']);
    assert.deepEqual(summary(rec({ format: 'syslog', message: 'panic' }), unparsed), ['app.fatal t.unparsed']);
    assert.deepEqual(summary(rec({ format: 'json', program: null, message: 'panic' }), unparsed), []);
  });

  test('a rule of a literal alone', () => {
    const only = createEngine({ rules: compileRules([spec({ id: 't.literal', literal: ['needle', 'pin'] })]) });
    assert.deepEqual(summary(rec({ message: 'a needle in a haystack' }), only), ['auth.failure t.literal']);
    assert.deepEqual(summary(rec({ message: 'a Needle' }), only), []);
  });

  test('literals ignore case when the pattern does', () => {
    assert.deepEqual(summary(rec({ message: 'kernel Panic! now' }), engine), ['app.fatal t.nocase']);
  });

  test('with and without a literal of the gate: the same rules in the same order, fallbacks included', () => {
    const mixed = createEngine({
      rules: compileRules([
        spec({ id: 't.gated', literal: 'Failed ', pattern: '^Failed (?<user>\\w+)' }),
        spec({ id: 't.open', type: 'app.error', outcome: 'unknown', pattern: 'oops' }),
        spec({ id: 't.add', type: 'web.probe', outcome: 'unknown', additive: true, field: 'url', pattern: '/\\.env' }),
        spec({ id: 't.nocase2', type: 'app.fatal', outcome: 'unknown', literal: 'PANIC', pattern: 'panic', flags: 'i' }),
        spec({ id: 't.fb', type: 'auth.success', outcome: 'success', fallback: true, pattern: 'ok' }),
        spec({ id: 't.fbgated', type: 'auth.invalid_user', fallback: true, literal: 'Nope', pattern: 'Nope' }),
      ]),
    });
    assert.deepEqual(summary(rec({ message: 'Failed bob oops', fields: { url: '/.env' } }), mixed), ['auth.failure t.gated', 'web.probe t.add']);
    assert.deepEqual(summary(rec({ message: 'oops', fields: { url: '/.env' } }), mixed), ['app.error t.open', 'web.probe t.add']);
    assert.deepEqual(summary(rec({ message: 'a Panic here' }), mixed), ['app.fatal t.nocase2']);
    assert.deepEqual(summary(rec({ message: 'ok' }), mixed), ['auth.success t.fb']);
    assert.deepEqual(summary(rec({ message: 'Nope' }), mixed), ['auth.invalid_user t.fbgated']);
    assert.deepEqual(summary(rec({ message: 'nothing' }), mixed), []);
  });

  test('a field named like an Object member is just absent', () => {
    const proto = createEngine({ rules: compileRules([spec({ id: 't.proto', field: 'constructor', pattern: 'x' })]) });
    assert.deepEqual(summary(rec({ message: 'x' }), proto), []);
  });

  test('inherited names are absent to gates and decoded single-field rules too; own fields of that name count', () => {
    const proto = createEngine({
      rules: compileRules([
        spec({ id: 't.decoded', type: 'web.sqli', field: 'toString', decode: 'web', pattern: 'native|function', additive: true }),
        spec({ id: 't.gated', type: 'auth.failure', where: { constructor: true }, pattern: 'x' }),
      ]),
    });
    assert.deepEqual(summary(rec({ message: 'x' }), proto), []);
    assert.deepEqual(summary(rec({ message: 'x', fields: { constructor: 'c', toString: 'A%20Function' } }), proto), [
      'web.sqli t.decoded',
      'auth.failure t.gated',
    ]);
  });
});
