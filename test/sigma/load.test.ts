// Loading our Sigma fixtures: what loads, what is skipped and why; and the events the loaded rules make on the
// fixture logs (ids, titles, levels mapped to severities, tags), through the same engine scan uses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRuleSet } from '../../src/rules/compose.js';
import { loadSigma } from '../../src/sigma/load.js';
import { collectSources, runPipeline } from '../../src/pipeline.js';
import { Bus } from '../../src/bus.js';
import type { SecurityEvent } from '../../src/types.js';
import { memoryIo } from '../helpers/io.js';
import { ROOT } from '../helpers/paths.js';

const ID = (n: number): string => `0c7a0b8e-5a43-4d8e-9a51-${String(n).padStart(12, '0')}`;

test('fixtures/sigma: six rules load, six are skipped with their reasons', async () => {
  const loaded = await loadSigma(['fixtures/sigma'], ROOT);
  assert.deepEqual(loaded.rules.map((r) => [r.id, r.gate.label, r.level, r.severity]), [
    [ID(4), 'linux', 'high', 'high'],
    [ID(3), 'linux/auditd', 'low', 'low'],
    [ID(1), 'linux/sshd', 'medium', 'medium'],
    [ID(2), 'linux/sudo', 'high', 'high'],
    [ID(5), 'webserver', 'critical', 'critical'],
    [ID(6), 'webserver', 'informational', 'info'],
  ]);
  assert.deepEqual(loaded.skipped.map((s) => [s.file, s.reason, s.invalid]), [
    ['fixtures/sigma/other/aggregation.yml', 'aggregation in the condition (| count() ...) is not supported', false],
    ['fixtures/sigma/other/broken.yml', "condition 'selection and missing': unknown selection 'missing'", true],
    ['fixtures/sigma/other/expand.yml', "unsupported modifier 'expand'", false],
    ['fixtures/sigma/other/process_creation.yml', 'logsource product linux, category process_creation: needs process creation events (Sysmon for Linux, EDR), not log lines', false],
    ['fixtures/sigma/other/windows.yml', 'logsource product windows, service security: only product linux and category webserver are read', false],
    ['fixtures/sigma/other/redos_re.yml', "|re '^(a+)+$': the pattern can take exponential time on some inputs (catastrophic backtracking), e.g. on 'a' + 'a'.repeat(31) + '\\x00'", false],
  ]);
});

test('Sigma matches on the fixture logs are sigma.match events with id, title, level and tags', async () => {
  const io = memoryIo();
  const set = await buildRuleSet({ rules: [], sigma: ['fixtures/sigma'], builtin: false }, io);
  const bus = new Bus();
  const events: SecurityEvent[] = [];
  bus.on('event', (e) => events.push(e));
  const { items } = await collectSources(['fixtures/logs/sigma'], io);
  await runPipeline(items, { engine: set.engine, forcedFormat: null, maxLineBytes: 65536, since: null, until: null, keepEvent: () => true }, bus, io);
  const got = events.map((e) => `${e.file.replace('fixtures/logs/sigma/', '')}:${e.line} ${e.rule} ${e.severity}`);
  // the three files merged by time (src/merge.ts)
  assert.deepEqual(got, [
    `audit.log:1 sigma:${ID(3)} low`, // a0: wget
    `audit.log:2 sigma:${ID(3)} low`, // a0|endswith: /curl
    `access.log:1 sigma:${ID(5)} critical`, // GET /cgi-bin/ by sqlmap, from outside
    `auth.log:1 sigma:${ID(1)} medium`, // sshd keyword, other case
    `access.log:2 sigma:${ID(5)} critical`, // GET /.env answered 200
    `auth.log:3 sigma:${ID(2)} high`, // sudo COMMAND=/bin/bash
    `access.log:6 sigma:${ID(6)} info`, // re|i on the stem
    `auth.log:6 sigma:${ID(4)} high`, // rm -rf /var/log/...
    `access.log:7 sigma:${ID(6)} info`, // base64offset
    `access.log:8 sigma:${ID(6)} info`, // keyword in the user agent
  ]);
  const first = events.find((e) => e.line === 1 && e.file.endsWith('access.log'))!;
  assert.equal(first.type, 'sigma.match');
  assert.equal(first.outcome, 'unknown');
  assert.deepEqual(first.source, { ip: '198.51.100.23', port: null });
  assert.deepEqual(first.sigma, { id: ID(5), title: 'Test Web Exploit From Outside', level: 'critical', tags: ['attack.t1190'] });
  const sudo = events.find((e) => e.line === 3 && e.file.endsWith('auth.log'))!;
  assert.deepEqual(sudo.sigma?.tags, ['attack.privilege-escalation']);
});
