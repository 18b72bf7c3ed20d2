// A user's rules and Sigma rules on worker threads: each reader (worker threads, and the main thread when it reads
// too) runs the scan's rules, a user's rule files first, then the Sigma rules (a worker compiles them again from their
// documents), so a parallel scan with --rules, --no-builtin or --sigma puts on the bus what a single-threaded one
// does; and the main thread itself runs no rule when the workers read every line.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { WorkerPool } from '../../src/parallel/pool.js';
import { collectSources, runPipeline, type PipelineOptions } from '../../src/pipeline.js';
import type { CompiledRule } from '../../src/rules/compile.js';
import { compileRules } from '../../src/rules/compile.js';
import { builtinRules } from '../../src/rules/compose.js';
import { combineEngines, createEngine } from '../../src/rules/engine.js';
import { compileSigma, type SigmaRule } from '../../src/sigma/compile.js';
import { createSigmaEngine } from '../../src/sigma/engine.js';
import type { RuleSpec } from '../../src/rules/spec.js';
import { memoryIo } from '../helpers/io.js';
import { ROOT } from '../helpers/paths.js';
import { MAX_LINE_BYTES, writePair, type Pair } from './pair.js';
import { busTraffic } from './traffic.js';

/** A site's rules: one for its own daemon, one that takes sshd's root failures before the built-in rule does. */
const SITE: RuleSpec[] = [
  {
    id: 'site.vpnd_failed', family: 'site', description: 'vpnd refused a login', type: 'auth.failure', outcome: 'failure',
    programs: ['vpnd'], literal: 'login failed',
    pattern: '^login failed for (?<user>\\S{1,64}) from (?<ip>[0-9A-Fa-f:.]{2,45}) port (?<port>\\d{1,5})',
    examples: { match: ['login failed for alice from 203.0.113.7 port 51820'] },
  },
  {
    id: 'site.sshd_root', family: 'site', description: 'a password tried for root over ssh', type: 'auth.root_login',
    severity: 'critical', outcome: 'failure', programs: ['sshd'], literal: 'Failed password for root ',
    pattern: '^Failed password for root from (?<ip>\\S{1,64}) port (?<port>\\d{1,5})',
    examples: { match: ['Failed password for root from 203.0.113.9 port 4022 ssh2'] },
  },
];

/** Sigma rules that match the generated files: a web rule on the 404 probes, a keyword rule on sshd's root failures. */
const SIGMA: SigmaRule[] = [
  compileSigma({
    title: 'wp-admin probe', id: '0c7a0b8e-0000-4000-8000-000000000001', level: 'high', tags: ['attack.t1595'], logsource: { category: 'webserver' },
    detection: { sel: { 'cs-uri-query|contains': '/wp-admin/', 'cs-user-agent|contains': 'zgrab' }, condition: 'sel' },
  }, 'wp.yml'),
  compileSigma({
    title: 'root password', id: '0c7a0b8e-0000-4000-8000-000000000002', level: 'low', logsource: { product: 'linux', service: 'sshd' },
    detection: { keywords: ['failed password for root'], filter: { 'message|endswith': 'port 40000 ssh2' }, condition: 'keywords and not filter' },
  }, 'root.yml'),
];

describe('user rules and Sigma rules on worker threads', () => {
  let pair: Pair;
  let vpnd: string;
  const site = compileRules(SITE);
  before(() => {
    pair = writePair(30_000, 12_000);
    vpnd = join(pair.dir, 'vpnd.log');
    const lines: string[] = [];
    for (let i = 0; i < 9000; i++) {
      const t = `Nov 24 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
      lines.push(i % 3 === 0 ? `${t} gw1 vpnd[77]: login failed for u${i % 11} from 198.51.100.${i % 40} port ${40000 + i}` : `${t} gw1 vpnd[77]: tunnel ${i} up`);
    }
    writeFileSync(vpnd, lines.join('\n') + '\n');
  });
  after(() => rmSync(pair.dir, { recursive: true, force: true }));

  /** The bus traffic of a scan of the three files; `parallel` null: one thread, running `rules` on this one. */
  async function traffic(rules: readonly CompiledRule[], parallel: PipelineOptions['parallel'], sigma: readonly SigmaRule[] = []): Promise<string[]> {
    const io = memoryIo();
    const { bus, text } = busTraffic();
    const { items } = await collectSources([pair.auth, vpnd, pair.access], io);
    const engine = sigma.length === 0 ? createEngine({ rules }) : combineEngines(createEngine({ rules }), createSigmaEngine(sigma));
    const opts: PipelineOptions = {
      // With workers and no main-thread reading, this thread must not run the rules at all.
      get engine() {
        if (parallel != null && parallel.mainReads !== true) throw new Error('the main thread ran the rules');
        return engine;
      },
      forcedFormat: null, maxLineBytes: MAX_LINE_BYTES, since: null, until: null, keepEvent: () => true, parallel,
    };
    await runPipeline(items, opts, bus, io);
    return text();
  }

  for (const [name, rules] of [['--rules', [...site, ...builtinRules()]], ['--no-builtin --rules', site]] as const) {
    it(`${name}: the same events, alerts and summary on two workers, and with the main thread reading`, async () => {
      const one = await traffic(rules, null);
      const byRule = (t: string[]): Map<string, number> => {
        const m = new Map<string, number>();
        for (const line of t) if (line.startsWith('{"type"')) m.set(JSON.parse(line).rule, (m.get(JSON.parse(line).rule) ?? 0) + 1);
        return m;
      };
      const counts = byRule(one);
      assert.equal(counts.get('site.vpnd_failed'), 3000);
      assert.equal(counts.get('site.sshd_root'), 6000, 'the site rule takes every root failure before sshd.failed');
      assert.equal(counts.has('sshd.failed'), false);
      assert.equal(counts.has('sshd.invalid_user'), rules.length > site.length);
      assert.deepEqual(await traffic(rules, { workers: 2, minBytes: 0, rules }), one);
      assert.deepEqual(await traffic(rules, { workers: 2, minBytes: 0, mainReads: true, rules }), one);
      // a file cut into blocks, read by a worker and the main thread
      assert.deepEqual(await traffic(rules, { workers: 2, minBytes: 0, blockBytes: 64 * 1024, mainReads: true, rules }), one);
    });
  }

  it('Sigma rules: the same events, with their sigma key, on two workers, with the main thread reading, in blocks', async () => {
    const rules = [...site, ...builtinRules()];
    const one = await traffic(rules, null, SIGMA);
    const sigmaEvents = one.filter((line) => line.includes('"type":"sigma.match"'));
    assert.ok(sigmaEvents.length > 1000, String(sigmaEvents.length));
    assert.ok(sigmaEvents.some((e) => e.includes('"sigma":{"id":"0c7a0b8e-0000-4000-8000-000000000001","title":"wp-admin probe","level":"high","tags":["attack.t1595"]}')));
    assert.ok(sigmaEvents.some((e) => e.includes('"rule":"sigma:0c7a0b8e-0000-4000-8000-000000000002"')));
    assert.deepEqual(await traffic(rules, { workers: 2, minBytes: 0, rules, sigma: SIGMA }, SIGMA), one);
    assert.deepEqual(await traffic(rules, { workers: 2, minBytes: 0, mainReads: true, rules, sigma: SIGMA }, SIGMA), one);
    assert.deepEqual(await traffic(rules, { workers: 2, minBytes: 0, blockBytes: 64 * 1024, mainReads: true, rules, sigma: SIGMA }, SIGMA), one);
  });

  it('audit scan --rules, --no-builtin and --sigma: the same output with --threads 2', async () => {
    const dir = pair.dir;
    writeFileSync(join(dir, 'site.json'), JSON.stringify(SITE)); // YAML is a superset of JSON
    const files = [pair.auth, vpnd, pair.access].map((f) => relative(ROOT, f));
    const rulesFile = relative(ROOT, join(dir, 'site.json'));
    // How many reads went to the pool (worker threads or the main thread as one of its readers).
    let reads = 0;
    const read = WorkerPool.prototype.read;
    WorkerPool.prototype.read = function (this: WorkerPool, ...args: Parameters<WorkerPool['read']>): void {
      reads++;
      read.apply(this, args);
    };
    const run = async (threads: string, args: readonly string[]): Promise<[number, string, string]> => {
      const io = memoryIo();
      const code = await main(['scan', '--json', '--threads', threads, '--max-line-bytes', String(MAX_LINE_BYTES), ...args, ...files], io);
      return [code, io.stdout(), io.stderr()];
    };
    try {
      for (const extra of [[], ['--no-builtin']]) {
        const args = ['--rules', rulesFile, ...extra];
        const one = await run('1', args);
        assert.match(one[1], /"rule":"site\.vpnd_failed"/);
        reads = 0;
        assert.deepEqual(await run('2', args), one, extra.join(' '));
        assert.equal(reads, 3, 'each file read by the pool');
      }
      const withSigma = ['--rules', rulesFile, '--sigma', 'fixtures/sigma/linux', '--sigma', 'fixtures/sigma/web'];
      const one = await run('1', withSigma);
      reads = 0;
      assert.deepEqual(await run('2', withSigma), one);
      assert.equal(reads, 3, 'with Sigma rules too');
    } finally {
      WorkerPool.prototype.read = read;
    }
  });
});
