// Property: for any input bytes, `audit scan --json` throws nothing, writes only valid JSON lines, and accounts for
// every line read (lines = parsed + unparsed + skipped + truncated), whatever the format detection decides.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ndjson, run, summaryOf } from './helpers.js';

// Real-looking lines of several formats, to be mixed with noise so that parsers get deep into their paths.
const SEEDS = [
  'Nov 23 03:14:22 web-01 sshd[21901]: Invalid user admin from 203.0.113.45 port 50122',
  'Nov 23 03:14:25 web-01 sshd[21903]: Accepted password for root from 2001:db8::7 port 40022 ssh2',
  '<34>1 2026-11-23T10:00:00Z web-01 sudo 1 - - alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh',
  '{"__REALTIME_TIMESTAMP":"1764000000000000","PRIORITY":"2","SYSLOG_IDENTIFIER":"app","MESSAGE":"panic"}',
  '203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] "GET /../../etc/passwd HTTP/1.1" 404 5 "-" "sqlmap/1.7"',
  'type=USER_LOGIN msg=audit(1764000000.000:1): pid=1 uid=0 acct="root" addr=203.0.113.5 res=failed',
  'time=2026-11-23T10:00:00Z level=error msg="login failed" user=bob ip=203.0.113.6',
  '2026-11-23 10:00:00,123 CRITICAL app.auth: database gone',
  '[Sun Nov 23 10:00:00.000000 2026] [core:error] [pid 1] [client 203.0.113.7:1] AH00126: Invalid URI',
  '-- Boot 1234 --',
  'message repeated 3 times: [ Invalid user x from 203.0.113.5 port 22]',
];

const noise = fc.oneof(
  fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('\r', '\u0000', '\u001b[2J', '\u202e', '"', '{', '[', ']', '}', '\\', ' ', ':', '\ufffd'),
);
const line = fc.oneof(
  fc.constantFrom(...SEEDS),
  fc.tuple(fc.constantFrom(...SEEDS), fc.nat(), noise).map(([s, at, n]) => s.slice(0, at % (s.length + 1)) + n + s.slice(at % (s.length + 1))),
  noise,
);
const input = fc.oneof(
  fc.array(line, { maxLength: 12 }).chain((ls) => fc.constantFrom('\n', '\r\n').map((eol) => Buffer.from(ls.join(eol), 'utf8'))),
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  // gzip's magic number and then anything: what a truncated or corrupt .gz piped in looks like
  fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.concat([Buffer.from([0x1f, 0x8b]), b])),
);

describe('pipeline properties', () => {
  it('any bytes: no exception, valid NDJSON, every line accounted for', async () => {
    await fc.assert(fc.asyncProperty(input, async (bytes) => {
      const r = await run(['scan', '--json', '-'], bytes);
      ndjson(r.out); // every line parses
      const summary = summaryOf(r.out);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
        // gzip's magic number: stdin is decompressed, and random bytes after it are a corrupt or truncated gzip, an
        // input that cannot be read (exit 2, README), reported as a problem and in one line on stderr
        assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `exit ${r.code}: ${r.err}`);
        if (r.code === 2) {
          assert.match(r.err, /^audit: cannot read \(stdin\): [^\n]+\n$/);
          assert.ok(summary.problems.some((p) => p.level === 'error'), JSON.stringify(summary.problems));
        }
      } else {
        assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err}`);
      }
      const t = summary.totals;
      assert.equal(t.lines, t.parsed + t.unparsed + t.skipped + t.truncated);
    }), { numRuns: 150 });
  });

  it('any bytes: the human output has no control character but newline', async () => {
    await fc.assert(fc.asyncProperty(input, async (bytes) => {
      const r = await run(['scan', '--no-color', '-'], bytes);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(r.out + r.err, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }), { numRuns: 100 });
  });
});
