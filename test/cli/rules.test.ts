// `audit rules list|test|validate` and scan's --rules / --no-builtin / --sigma, in process, against goldens and
// hand-written expectations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import { assertGolden } from '../helpers/golden.js';
import { memoryIo } from '../helpers/io.js';

const VALID = 'fixtures/rules/valid';
const VPND = 'fixtures/logs/rules/vpnd.log';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

/** The time taken varies from run to run: hidden before comparing. */
const noTime = (s: string): string => s.replace(/^Time: \d+ ms$/m, 'Time: N ms');

test('rules list: the built-ins, then yours first when --rules is given', async () => {
  const all = await run('rules', 'list');
  assert.equal(all.code, 0);
  assert.match(all.out, /^ID {2,}TYPE {2,}SEVERITY {2,}SOURCE\n/);
  assert.match(all.out, /^sshd\.failed +auth\.failure +medium +built-in$/m);
  const mine = await run('rules', 'list', '--rules', VALID);
  assert.match(mine.out, /^ID[^\n]*\nsite\.vpnd_failed +auth\.failure +medium +fixtures\/rules\/valid\/vpnd\.yaml\nsite\.vpnd_ok +auth\.success +info +fixtures\/rules\/valid\/vpnd\.yaml\nsshd\.failed /);
  const only = await run('rules', 'list', '--no-builtin', '--rules', VALID);
  assert.equal(only.out, [
    'ID                TYPE          SEVERITY  SOURCE',
    'site.vpnd_failed  auth.failure  medium    fixtures/rules/valid/vpnd.yaml',
    'site.vpnd_ok      auth.success  info      fixtures/rules/valid/vpnd.yaml',
    '',
    '2 rules',
    '',
  ].join('\n'));
});

test('rules list --sigma: what was loaded and what was skipped and why (golden)', async () => {
  const r = await run('rules', 'list', '--no-builtin', '--sigma', 'fixtures/sigma');
  assert.equal(r.code, 0);
  assert.match(r.out, /6 rules; Sigma: 6 loaded, 6 skipped/);
  assertGolden(r.out, 'rules', 'list-sigma.txt');
});

test('rules test: matches per rule with captured values, unmatched lines (golden)', async () => {
  const r = await run('rules', 'test', VALID, VPND);
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  assert.match(r.out, /^ {2}site\.vpnd_failed {2}auth\.failure {2}medium {2}3 matches$/m);
  assert.match(r.out, /^ {4}fixtures\/rules\/\S+|^ {4}fixtures\/logs\/rules\/vpnd\.log:4 {2}ip=2001:db8::42 user=bob$/m);
  assert.match(r.out, /^Lines matched by no rule: 3$/m);
  assertGolden(noTime(r.out), 'rules', 'test-vpnd.txt');
});

test('rules test --json, and --builtin lets the built-ins take the sshd line', async () => {
  const r = await run('rules', 'test', '--json', '--unmatched', '1', VALID, VPND);
  const report = JSON.parse(r.out) as { lines: { total: number }; rules: { id: string; matches: number; samples: { user: string | null; port: number | null }[] }[]; unmatched: { count: number; first: { line: number }[] } };
  assert.equal(report.lines.total, 7);
  assert.deepEqual(report.rules.map((x) => [x.id, x.matches]), [['site.vpnd_failed', 3], ['site.vpnd_ok', 1]]);
  assert.deepEqual(report.rules[0]!.samples.map((s) => [s.user, s.port]), [['alice', 51820], ['alice', 51821], ['root', 40022]]);
  assert.deepEqual([report.unmatched.count, report.unmatched.first.map((u) => u.line)], [3, [1]]);
  const withBuiltin = await run('rules', 'test', '--builtin', '--json', VALID, VPND);
  assert.equal((JSON.parse(withBuiltin.out) as { unmatched: { count: number } }).unmatched.count, 2);
});

test('rules test on Sigma rules (told apart by content)', async () => {
  const r = await run('rules', 'test', '--json', 'fixtures/sigma', 'fixtures/logs/sigma');
  const report = JSON.parse(r.out) as { rules: { id: string; matches: number }[] };
  assert.deepEqual(report.rules.map((x) => x.matches), [1, 2, 1, 1, 2, 3]);
});

test('rules validate: ok on valid files, exit 2 with diagnostics on broken ones', async () => {
  const ok = await run('rules', 'validate', VALID);
  assert.deepEqual([ok.code, ok.out, ok.err], [0, 'ok: 2 rules valid\n', '']);
  const bad = await run('rules', 'validate', 'fixtures/rules/invalid/unknown-key.yaml', 'fixtures/rules/invalid/bad-type.yaml');
  assert.equal(bad.code, 2);
  assert.equal(bad.out, '');
  assert.match(bad.err, /^fixtures\/rules\/invalid\/unknown-key\.yaml:6:3: error: rule 'site\.typo': unknown key 'patern'\n {2}hint: valid keys: /);
  assert.match(bad.err, /^fixtures\/rules\/invalid\/bad-type\.yaml:5:11: error: rule 'site\.bad_type': unknown event type 'auth\.failed'$/m);
  assert.match(bad.err, /^audit: 2 errors in rule files\n$/m);
  const sigma = await run('rules', 'validate', 'fixtures/sigma');
  assert.equal(sigma.code, 2); // broken.yml
  assert.match(sigma.err, /^fixtures\/sigma\/other\/broken\.yml:1:1: error: condition 'selection and missing': unknown selection 'missing'$/m);
  assert.match(sigma.err, /^fixtures\/sigma\/other\/windows\.yml:1:1: note: skipped: logsource product windows/m);
});

test('scan --rules with a broken file: diagnostics, nothing read, exit 2', async () => {
  const r = await run('scan', '--rules', 'fixtures/rules/invalid/redos.yaml', VPND);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assertGolden(r.err, 'rules', 'scan-redos.stderr');
});

test('scan --rules runs your rules first, then the built-ins; --no-builtin only yours', async () => {
  const events = (out: string): string[] =>
    out.trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string; rule: string; line: number }).filter((o) => o.kind === 'event').map((e) => `${e.line} ${e.rule}`);
  const both = await run('scan', '--json', '--rules', VALID, VPND);
  assert.deepEqual(events(both.out), ['2 site.vpnd_failed', '3 site.vpnd_failed', '4 site.vpnd_ok', '5 site.vpnd_failed', '6 sshd.failed']);
  const only = await run('scan', '--json', '--no-builtin', '--rules', VALID, VPND);
  assert.deepEqual(events(only.out), ['2 site.vpnd_failed', '3 site.vpnd_failed', '4 site.vpnd_ok', '5 site.vpnd_failed']);
  const none = await run('scan', '--no-builtin', VPND);
  assert.equal(none.code, 2);
  assert.match(none.err, /^audit: no rules to run\n/);
});

test('scan --sigma: sigma.match events in the JSON and the tables; a warning names the skipped rules', async () => {
  const json = await run('scan', '--json', '--no-builtin', '--sigma', 'fixtures/sigma', 'fixtures/logs/sigma');
  const ev = json.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['kind'] === 'event');
  assert.equal(ev.length, 10);
  // the earliest match of the three merged files: auditd's wget at 10:00:00
  assert.deepEqual([ev[0]!['type'], ev[0]!['severity'], ev[0]!['rule']], ['sigma.match', 'low', 'sigma:0c7a0b8e-5a43-4d8e-9a51-000000000003']);
  assert.equal(json.err, '');
  const text = await run('scan', '--no-color', '--no-builtin', '--sigma', 'fixtures/sigma', 'fixtures/logs/sigma');
  assert.match(text.out, /sigma\.match/);
  assert.equal(text.err, 'audit: warning: 6 Sigma rules skipped (other log sources or unsupported features); audit rules list --sigma fixtures/sigma says why\n');
});
