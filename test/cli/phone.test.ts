// `audit phone` and `audit phones` end to end, in process: goldens on the phone-abuse scenario, every written form
// of the number on the command line, invalid numbers, thresholds from flags and --config, --redact, stdin, exit codes.
import '../phone/utc.js';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { assertGolden } from '../helpers/golden.js';
import { memoryIo } from '../helpers/io.js';
import { fixture } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const ABUSE = fixture('logs', 'phone-abuse');
/** Golden output must not depend on where the repository is checked out. */
const rel = (s: string): string => s.split(fixture('logs') + '/').join('fixtures/logs/');

async function run(argv: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(stdin === undefined ? {} : { stdin });
  const code = await main(argv, io);
  return { code, out: rel(io.stdout()), err: io.stderr() };
}

type Json = Record<string, unknown>;
const parse = (out: string): Json[] => out.trimEnd().split('\n').map((l) => JSON.parse(l) as Json);

describe('audit phone', () => {
  it('prints the timeline, the possible matches, the summary and a high-risk verdict (golden)', async () => {
    const r = await run(['phone', '13888888888', ABUSE]);
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    assert.match(r.out, /^Verdict: high risk$/m);
    assert.match(r.out, /4 accounts registered with this number within 3 minutes from 4 addresses in one \/24 \(203\.0\.113\.0\/24\)/);
    assertGolden(r.out, 'phone', 'farm.txt');
  });

  it('writes occurrences then one verdict as NDJSON (golden)', async () => {
    const r = await run(['phone', '13888888888', '--json', ABUSE]);
    assert.equal(r.code, 0);
    const lines = parse(r.out);
    const occurrences = lines.filter((l) => l['kind'] === 'occurrence');
    assert.equal(occurrences.length, 37);
    assert.equal(occurrences.filter((o) => o['match'] === 'masked').length, 2);
    assert.deepEqual(Object.keys(occurrences[0]!), [
      'kind', 'match', 'phone', 'text', 'what', 'types', 'time', 'source', 'user', 'device', 'agent', 'message', 'raw', 'file', 'line',
    ]);
    const verdict = lines.at(-1)!;
    assert.equal(verdict['kind'], 'verdict');
    assert.equal(verdict['risk'], 'high');
    assert.deepEqual(
      [verdict['occurrences'], verdict['signups'], verdict['smsCodes'], verdict['failedLogins'], verdict['logins'], verdict['possible']],
      [35, 4, 12, 3, 2, 2],
    );
    assert.deepEqual(verdict['accounts'], ['u70412', 'u70413', 'u70415', 'u70418']);
    assert.deepEqual(verdict['otherNumbers'], ['+8613888880001', '+8613888880002', '+8613888880003']);
    assertGolden(r.out, 'phone', 'farm.ndjson');
  });

  it('gives the same report for every written form of the number', async () => {
    const expected = (await run(['phone', '13888888888', ABUSE])).out;
    for (const form of [
      ['+8613888888888'], ['+86', '138', '8888', '8888'], ['+86 138 8888 8888'], ['0086-138-8888-8888'],
      ['138', '8888', '8888'], ['(138)', '8888-8888'], ['１３８８８８８８８８８'], ['%2B8613888888888'], ['8613888888888'],
    ]) {
      const r = await run(['phone', ...form, ABUSE]);
      assert.equal(r.err, '', form.join(' '));
      assert.equal(r.out, expected, form.join(' '));
    }
  });

  it('reads a number of another country with --region', async () => {
    const r = await run(['phone', '--json', '--region', 'US', '(415) 555-2671', ABUSE]);
    const verdict = parse(r.out).at(-1)!;
    assert.equal(verdict['phone'], '+14155552671');
    assert.equal(verdict['occurrences'], 3);
    assert.equal(verdict['risk'], 'none');
  });

  it('says in one line why a number is invalid, with exit code 2', async () => {
    const cases: [string[], string][] = [
      [['1388888888'], 'audit: phone number "1388888888" is too short: a CN mobile number has 11 digits\n'],
      [['138888888881'], 'audit: phone number "138888888881" is too long: a CN mobile number has 11 digits\n'],
      [['02088888888'], 'audit: phone number "02088888888" is not a mobile number: it is a fixed-line number in CN\n'],
      [['+86', '138', '8888', '888'], 'audit: phone number "+86 138 8888 888" is too short: a CN mobile number has 11 digits\n'],
      [['138-8888-888x'], 'audit: phone number "138-8888-888x" is not a phone number: it contains "x"\n'],
    ];
    for (const [number, stderr] of cases) {
      const r = await run(['phone', ...number, ABUSE]);
      assert.equal(r.code, 2, number.join(' '));
      assert.equal(r.err, stderr);
      assert.equal(r.out, '');
    }
  });

  it('takes the words after the number for paths', async () => {
    const r = await run(['phone', '13888888888', '2026', ABUSE]);
    assert.equal(r.code, 2); // '2026' is not a part of the number: a path that does not exist
    assert.equal(r.err, 'audit: cannot read 2026: no such file or directory\n');
  });

  it('exits 1 with --fail-on when the risk is at or above the level, 0 below', async () => {
    assert.equal((await run(['phone', '--fail-on', 'high', '13888888888', ABUSE])).code, 1);
    assert.equal((await run(['phone', '--fail-on', 'low', '13912345678', ABUSE])).code, 0);
    const bad = await run(['phone', '--fail-on', 'critical', '13888888888', ABUSE]);
    assert.equal(bad.code, 2);
    assert.equal(bad.err, "audit: --fail-on: unknown risk level 'critical'\n  hint: use one of: low, medium, high\n");
  });

  it('takes thresholds from --config, and flags over the file', async () => {
    const dir = tempDir('audit-phone-');
    const config = join(dir, 'audit.json');
    writeFileSync(config, JSON.stringify({ phone: { maxAccounts: 10, maxSignups: 10, maxSms: 20, maxShared: 5, window: '15m' } }));
    const relaxed = parse((await run(['phone', '--json', '--config', config, '13888888888', ABUSE])).out).at(-1)!;
    assert.equal(relaxed['risk'], 'none');
    assert.deepEqual(relaxed['thresholds'], {
      windowSeconds: 900, maxAccounts: 10, maxSignups: 10, maxSms: 20, maxFailures: 5, maxAddresses: 5, maxShared: 5,
    });
    const flagged = parse((await run(['phone', '--json', '--config', config, '--max-sms', '5', '13888888888', ABUSE])).out).at(-1)!;
    assert.deepEqual(flagged['reasons'], [{
      id: 'sms_burst', level: 'high',
      text: '12 SMS codes requested within 10 minutes from 4 addresses in one /24 (203.0.113.0/24); limit 5 in 15 minutes',
    }]);
    writeFileSync(config, '{"phone": {"maxSMS": 3}}');
    const bad = await run(['phone', '--config', config, '13888888888', ABUSE]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^audit: .*audit\.json: unknown key "phone\.maxSMS"\n {2}hint: use one of: window, maxAccounts, /);
  });

  it('reads journalctl -o json from stdin and masks other numbers with --redact', async () => {
    const journal = [
      { __REALTIME_TIMESTAMP: '1795428005230000', SYSLOG_IDENTIFIER: 'shop', PRIORITY: '6', MESSAGE: 'SMS code sent phone=13888888888 ip=203.0.113.21' },
      { __REALTIME_TIMESTAMP: '1795428031207000', SYSLOG_IDENTIFIER: 'shop', PRIORITY: '6', MESSAGE: 'user registered user_id=u70412 phone=+86 138 8888 8888 ip=203.0.113.21 referrer=13912345678' },
      { __REALTIME_TIMESTAMP: '1795428040000000', SYSLOG_IDENTIFIER: 'shop', PRIORITY: '6', MESSAGE: 'SMS code sent phone=13912345678 ip=203.0.113.21' },
    ].map((o) => JSON.stringify(o)).join('\n') + '\n';
    const r = await run(['phone', '--json', '--redact', '13888888888', '-'], journal);
    assert.equal(r.code, 0);
    const lines = parse(r.out);
    assert.deepEqual(lines.map((l) => [l['kind'], l['what'], l['file'], l['line']]), [
      ['occurrence', 'SMS code', '(stdin)', 1], ['occurrence', 'sign-up', '(stdin)', 2], ['verdict', undefined, undefined, undefined],
    ]);
    assert.equal(lines[1]!['message'], 'user registered user_id=u70412 phone=+86 138 8888 8888 ip=203.0.113.21 referrer=139****5678');
    assert.doesNotMatch(r.out, /13912345678/);
    assert.deepEqual(lines[2]!['otherNumbers'], ['139****5678']);
  });

  it('escapes control characters from logs in human output, and masks other numbers in it with --redact', async () => {
    const lines = [
      { time: '2026-11-23T10:00:05Z', event: 'sms_code_sent', phone: '13888888888', ip: '203.0.113.9', user: '\u001b[2Jmallory' },
      { time: '2026-11-23T10:00:09Z', event: 'login_failed', phone: '13888888888', ip: '203.0.113.9', user: '13912345678' },
    ].map((o) => JSON.stringify(o)).join('\n') + '\n';
    const r = await run(['phone', '--redact', '13888888888', '-'], lines);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.out, /\u001b/);
    assert.match(r.out, /\\e\[2Jmallory/);
    assert.match(r.out, /│ 139\*\*\*\*5678 +│/);
    assert.doesNotMatch(r.out, /13912345678/);
  });

  it('shows the latest --limit rows and says how many it left out', async () => {
    const r = await run(['phone', '--limit', '3', '13888888888', ABUSE]);
    const rows = r.out.split('\n').filter((l) => /^│ \d\d:\d\d:\d\d │/.test(l));
    assert.deepEqual(rows.map((l) => l.slice(2, 10)), ['10:09:20', '10:09:21', '10:09:21', '10:02:51', '10:09:45']);
    assert.match(r.out, /^… 32 earlier occurrences not shown \(--limit, or --json for all\)$/m);
  });

  it('wants an input when standard input is a terminal', async () => {
    const io = memoryIo();
    (io.in as { isTTY?: boolean }).isTTY = true;
    assert.equal(await main(['phone', '13888888888'], io), 2);
    assert.equal(io.stderr(), "audit: no input given\n  hint: name files or directories, or pipe logs in and use '-'\n");
  });

  it('reports a number that is nowhere as no risk', async () => {
    const r = await run(['phone', '13700001111', ABUSE]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^ {2}occurrences {4}0 lines; 114 lines read from 4 sources$/m);
    assert.match(r.out, /^Verdict: no risk found$/m);
  });
});

describe('audit phones', () => {
  it('ranks every number by risk, masked (golden)', async () => {
    const r = await run(['phones', ABUSE]);
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.out, /13888888888|13912345678/);
    assertGolden(r.out, 'phone', 'phones.txt');
  });

  it('shows the numbers with --reveal and cuts the table at --top', async () => {
    const r = await run(['phones', '--reveal', '--top', '2', ABUSE]);
    const rows = r.out.split('\n').filter((l) => l.startsWith('│ +'));
    assert.deepEqual(rows.map((l) => l.split('│')[1]!.trim()), ['+8613888888888', '+8613888880001']);
    assert.match(r.out, /^… and 6 more numbers \(--top shows more\)$/m);
  });

  it('writes one line per number and a summary as NDJSON (golden), and exits 1 with --fail-on medium', async () => {
    const r = await run(['phones', '--json', '--fail-on', 'medium', ABUSE]);
    assert.equal(r.code, 1);
    const lines = parse(r.out);
    assert.deepEqual(lines.map((l) => [l['number'], l['risk']]), [
      ['138****8888', 'high'], ['138****0001', 'medium'], ['138****0002', 'medium'], ['138****0003', 'medium'],
      ['139****5678', 'none'], ['+1 415***2671', 'none'], ['150****1234', 'none'], ['186****5678', 'none'], [undefined, undefined],
    ]);
    assert.equal(lines[0]!['e164'], null);
    assert.deepEqual(lines.at(-1), {
      kind: 'summary', numbers: 8, linesRead: 114, approximate: false,
      thresholds: { windowSeconds: 600, maxAccounts: 2, maxSignups: 2, maxSms: 5, maxFailures: 5, maxAddresses: 5, maxShared: 2 },
    });
    assertGolden(r.out, 'phone', 'phones.ndjson');
  });
});

describe('loading', () => {
  // The modules cli.js imports statically (compiled JS beside this test): what every command, `audit scan` too, loads.
  function staticImports(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) staticImports(resolve(dirname(file), spec), seen);
      else seen.add(spec);
    }
    return seen;
  }
  const STATIC_IMPORT = /\bfrom\s{0,5}['"]([^'"]{1,200})['"]|^import\s{1,5}['"]([^'"]{1,200})['"]/gm;

  it('leaves libphonenumber-js to the phone commands: `audit scan` does not pay for it', () => {
    // cli.js imports a command's module only when that command runs: `audit scan` loads cli.js, then scan.js.
    const cli = [...staticImports(fileURLToPath(new URL('../../src/cli.js', import.meta.url)))];
    assert.deepEqual(cli.filter((m) => m.includes('/commands/')), []);
    const loaded = [...staticImports(fileURLToPath(new URL('../../src/commands/scan.js', import.meta.url)))];
    assert.ok(loaded.some((m) => m.endsWith('/pipeline.js')), 'the walk follows the imports');
    assert.deepEqual(loaded.filter((m) => m.includes('libphonenumber') || /phone\/(number|matcher|scan|mask|redact|plan)\.js$/.test(m)), []);
  });
});
