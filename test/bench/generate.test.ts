// Tests for the benchmark corpora: shape of every line, mix of content, determinism, sizes and --keep.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { auditd } from '../../src/formats/auditd.js';
import { corpusFileName, prepareCorpus, writeCorpus, type CorpusSpec, type FileKind } from './generate.js';

const dir = mkdtempSync(join(tmpdir(), 'audit-bench-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function lines(spec: CorpusSpec<FileKind>, name: string): Promise<string[]> {
  const path = join(dir, name);
  const n = await writeCorpus(spec, path);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.endsWith('\n'));
  const out = text.slice(0, -1).split('\n');
  assert.equal(out.length, n);
  return out;
}

const spec = (kind: FileKind, n: number, distinct = n): CorpusSpec<FileKind> => ({ kind, lines: n, distinct, seed: 1 });
const SYSLOG = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d\d:\d\d:\d\d web-01 [A-Za-z-]+(\[\d+\])?: ./;
const GREP = /Failed password|Invalid user|authentication failure/;

test('auth: exact line count, RFC 3164 shape, most lines benign, IPv4 and IPv6 attackers', async () => {
  const all = await lines(spec('auth', 20_000), 'auth.log');
  assert.equal(all.length, 20_000);
  for (const l of all) assert.match(l, SYSLOG);
  const matching = all.filter((l) => GREP.test(l)).length;
  assert.ok(matching > 0.1 * all.length && matching < 0.3 * all.length, `grep would match ${matching}`);
  const benign = all.filter((l) => / (CRON|sudo|su|systemd-logind|systemd|polkitd|pkexec)(\[\d+\])?: /.test(l) || /Accepted |session (opened|closed)|Disconnected from user|disconnected by user/.test(l)).length;
  assert.ok(benign > 0.5 * all.length, `benign ${benign}`);
  assert.ok(all.some((l) => / from [0-9a-f]+:[0-9a-f:]+ port \d+/.test(l)), 'an IPv6 source');
  assert.ok(all.some((l) => l.includes('Invalid user ') && l.includes(' from ')));
  assert.ok(all.some((l) => l.includes('Failed password for root from ')));
  assert.ok(all.some((l) => l.includes('Accepted publickey for ')));
  assert.ok(all.some((l) => l.includes('COMMAND=')));
});

test('auth: the same seed writes the same bytes; another seed different ones', async () => {
  const a = await lines(spec('auth', 3000), 'a1.log');
  const b = await lines(spec('auth', 3000), 'a2.log');
  const c = await lines({ ...spec('auth', 3000), seed: 2 }, 'a3.log');
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('distinct: every attack uses a new address and the file ends after N of them', async () => {
  const all = await lines(spec('distinct', 0, 3000), 'distinct.log');
  const legit = new Set(['10.20.0.15', '10.20.0.37', '10.20.1.4', '192.168.10.23', '198.51.100.7', '203.0.113.45', '2001:db8:4:1::25', 'fd00:20::15']);
  const seen = new Set<string>();
  for (const l of all) {
    for (const token of l.split(/[\s=[\]]+/)) if (isIP(token) !== 0 && !legit.has(token)) seen.add(token);
  }
  assert.equal(seen.size, 3000);
  assert.ok(all.length > 9000 && all.length < 13_500, `${all.length} lines: about 3.6 per address`);
});

test('flood: sshd failures only, from at most N addresses that all keep failing, ~4,000 a second', async () => {
  const all = await lines({ ...spec('flood', 40_000), flood: 500 }, 'flood.log');
  assert.equal(all.length, 40_000);
  const addresses = new Map<string, number>();
  for (const l of all) {
    assert.match(l, SYSLOG);
    assert.match(l, GREP);
    const ip = /(?: from |rhost=)(\S+)/.exec(l)![1]!;
    assert.notEqual(isIP(ip), 0, l);
    addresses.set(ip, (addresses.get(ip) ?? 0) + 1);
  }
  assert.equal(addresses.size, 500);
  assert.ok(Math.min(...addresses.values()) > 40, 'every address fails again and again');
  const seconds = (t: string): number => Date.parse(`2025 ${t.slice(0, 15)} UTC`) / 1000;
  const span = seconds(all.at(-1)!) - seconds(all[0]!);
  assert.ok(span >= 8 && span <= 12, `${span} s for 40,000 attempts`);
  assert.match(corpusFileName({ ...spec('flood', 40_000), flood: 500 }), /^auth-flood-40000-500\.log$/);
});

const COMBINED = /^\S+ - \S+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "[^"]*" \d{3} \d+ "[^"]*" "[^"]*"$/;

test('nginx: combined format on every line and about 2% attacks', async () => {
  const all = await lines(spec('nginx', 20_000), 'access.log');
  for (const l of all) assert.match(l, COMBINED);
  const attack = /UNION|%27|'|<script|%3C|\.\.|php:\/\/|file:\/\/|\/etc\/passwd|jndi|cmd=|;wget|\|id|\/\.env|\/\.git|wp-login|xmlrpc|phpmyadmin|sqlmap|Nikto|Nmap|Nuclei|masscan|gobuster|WPScan|zgrab|Wfuzz|DirBuster|Fuzz Faster|\\x16|"-" 400|\.bak|\.zip|\.sql|actuator|server-status|\.aws|\.svn|\.DS_Store|HNAP1|boaform|owa\/|solr|sftp|web\.config|\.htpasswd|administrator|config\.yml|eval-stdin|think|setup\.cgi|ping/;
  const n = all.filter((l) => attack.test(l)).length;
  assert.ok(n > 0.014 * all.length && n < 0.026 * all.length, `${n} attack lines`);
  assert.ok(all.filter((l) => l.includes('" 200 ')).length > 0.7 * all.length);
});

test('journal: every line is a JSON object with journalctl fields, time never goes back', async () => {
  const all = await lines(spec('journal', 5000), 'journal.json');
  let last = 0n;
  const idents = new Set<string>();
  for (const l of all) {
    const o = JSON.parse(l) as Record<string, unknown>;
    for (const k of ['__CURSOR', '__REALTIME_TIMESTAMP', '__MONOTONIC_TIMESTAMP', '_BOOT_ID', '_TRANSPORT', 'PRIORITY', 'SYSLOG_IDENTIFIER', 'MESSAGE', '_HOSTNAME', '_MACHINE_ID']) {
      assert.ok(k in o, `${k} missing in ${l.slice(0, 200)}`);
    }
    assert.ok(Object.keys(o)[0] === '__CURSOR');
    const t = BigInt(o['__REALTIME_TIMESTAMP'] as string);
    assert.ok(t > last);
    last = t;
    idents.add(o['SYSLOG_IDENTIFIER'] as string);
  }
  for (const id of ['sshd', 'CRON', 'systemd', 'kernel', 'api', 'worker', 'sudo']) assert.ok(idents.has(id), id);
});

test('auditd: audit.log records the auditd parser reads, one event id per command, brute force and an intrusion', async () => {
  const all = await lines(spec('auditd', 20_000), 'audit.log');
  const parse = auditd.createParser({ reference: new Date('2025-03-02T00:00:00Z') });
  let last = 0;
  const bySerial = new Map<string, string[]>();
  for (const l of all) {
    const m = /^type=([A-Z_]+) msg=audit\((\d+)\.(\d{3}):(\d+)\): \S/.exec(l);
    assert.ok(m !== null, l.slice(0, 120));
    const p = parse(l);
    assert.ok(p !== null && p !== 'skip' && p.fields.audit_type === m[1], l.slice(0, 120));
    const t = Number(m[2]) * 1000 + Number(m[3]);
    assert.ok(t >= last, 'time never goes back');
    last = t;
    bySerial.set(m[4]!, [...(bySerial.get(m[4]!) ?? []), m[1]!]);
  }
  const commands = [...bySerial.values()].filter((types) => types[0] === 'SYSCALL');
  assert.ok(commands.length > 0.05 * all.length);
  const full = ['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PATH', 'PROCTITLE'];
  // the last may be cut by the end of the corpus
  for (const types of commands.slice(0, -1)) assert.deepEqual(types, full);
  assert.deepEqual(commands.at(-1), full.slice(0, commands.at(-1)!.length));
  const failed = all.filter((l) => l.startsWith('type=USER_AUTH') && l.includes('res=failed'));
  assert.ok(failed.length > 0.05 * all.length && new Set(failed.map((l) => /addr=(\S+)/.exec(l)![1])).size > 100);
  assert.ok(all.some((l) => l.startsWith('type=EXECVE') && l.includes('a0="wget"')), 'an intrusion');
  assert.ok(all.some((l) => /\u001d(?:UID|ARCH)=/.test(l)), 'ENRICHED names');
});

test('prepareCorpus: names by kind and size, reuses with keep, regenerates when the size differs', async () => {
  assert.equal(corpusFileName(spec('auth', 1_000_000)), 'auth-1000000.log');
  assert.equal(corpusFileName(spec('nginx', 5)), 'nginx-access-5.log');
  assert.equal(corpusFileName(spec('journal', 5)), 'journal-5.json');
  assert.equal(corpusFileName(spec('auditd', 5)), 'audit-5.log');
  assert.equal(corpusFileName({ ...spec('distinct', 5, 77), seed: 9 }), 'auth-distinct-77-s9.log');
  const first = await prepareCorpus(spec('nginx', 500), dir, true);
  assert.equal(first.generated, true);
  assert.equal(first.lines, 500);
  const again = await prepareCorpus(spec('nginx', 500), dir, true);
  assert.equal(again.generated, false);
  assert.equal(again.bytes, first.bytes);
  const forced = await prepareCorpus(spec('nginx', 500), dir, false);
  assert.equal(forced.generated, true);
  const other = await prepareCorpus(spec('nginx', 600), dir, true);
  assert.equal(other.generated, true);
  assert.equal(other.lines, 600);
});

test('prepareCorpus: a pair is two auth.log files of --lines each, seeds s and s+1, named and counted together', async () => {
  const p = await prepareCorpus({ kind: 'pair', lines: 300, distinct: 300, seed: 4 }, dir, true);
  assert.deepEqual(p.paths, [join(dir, 'auth-300-s4.log'), join(dir, 'auth-300-s5.log')]);
  assert.equal(p.path, `${p.paths[0]} + ${p.paths[1]}`);
  assert.equal(p.lines, 600);
  const [a, b] = p.paths.map((f) => readFileSync(f, 'utf8'));
  assert.equal(p.bytes, Buffer.byteLength(a!) + Buffer.byteLength(b!));
  assert.notEqual(a, b);
  assert.equal(p.label, '2 x auth.log (RFC 3164)');
});
