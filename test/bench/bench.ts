// `npm run bench`: generates the corpora, then runs wc -l, grep -cE and audit scan --quiet on each file, one after
// another in this process tree, and prints throughput, peak RSS, the ratio of audit to grep and the targets met.
import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../helpers/paths.js';
import { BenchUsageError, USAGE, parseBenchArgs, type BenchOptions } from './args.js';
import { prepareCorpus, type Corpus } from './generate.js';
import { describeMachine, machineLine } from './machine.js';
import { measure, rssMethod, type Command, type RssMethod } from './measure.js';
import { flagsOf } from './shebang.js';
import { aggregate, checkTargets, renderMarkdown, renderTable, renderTargets, renderThreadCpu, threadCpuText, type Sample } from './report.js';

const GREP_PATTERN = 'Failed password|Invalid user|authentication failure';
// Node's floor (floor.ts), compiled next to this file.
const FLOOR = fileURLToPath(new URL('./floor.js', import.meta.url));
const THREADED: readonly Corpus['kind'][] = ['auth', 'nginx', 'pair', 'auditd'];
// A sketch of the least a scan of auth.log can do in Node (sketch.ts), for the kinds written as auth.log.
const SKETCH = fileURLToPath(new URL('./sketch.js', import.meta.url));
const SKETCHED: readonly Corpus['kind'][] = ['auth', 'pair', 'distinct', 'flood'];

/**
 * The three commands of issue 6, in the order they run. Two files at once (the 'pair' corpus) are also scanned with
 * --threads auto (the target for two files is with both cores in use), and so are the auth.log and the
 * access log (one file read in blocks on the workers; one thread stays the default).
 */
function commandsFor(corpus: Corpus, bin: string, opts: BenchOptions): Command[] {
  const paths = corpus.paths;
  const flags = flagsOf(bin); // as the build's own shebang runs it
  const audit = (tool: string, extra: string[], quiet = true): Command =>
    ({ tool, file: process.execPath, args: [...flags, bin, 'scan', ...(quiet ? ['--quiet'] : []), ...extra, ...paths], ok: [0, 1], cpuByThread: true });
  const sigma = opts.sigma;
  return [
    { tool: 'wc', file: 'wc', args: ['-l', ...paths], ok: [0] },
    { tool: 'grep', file: 'grep', args: ['-cE', GREP_PATTERN, ...paths], ok: [0, 1] },
    { tool: 'node', file: process.execPath, args: [FLOOR, GREP_PATTERN, ...paths], ok: [0] },
    { tool: 'node-reader', file: process.execPath, args: [FLOOR, '--audit-reader', GREP_PATTERN, ...paths], ok: [0] },
    ...(SKETCHED.includes(corpus.kind) ? [{ tool: 'sketch', file: process.execPath, args: [SKETCH, ...paths], ok: [0] }] : []),
    audit('audit', []),
    ...(THREADED.includes(corpus.kind) ? [audit('audit-threads', ['--threads', 'auto'])] : []),
    ...(sigma.length === 0 ? [] : sigmaCommands(corpus, audit, sigma)),
    ...(opts.outputs ? outputCommands(corpus, audit) : []),
  ];
}

/**
 * With --outputs: the --json stream (every event as a line) and the event store, which cost a scan far more than its
 * tables: issue 7 allows --db at most 2x the scan. The store is made new for every run, beside the corpus.
 */
function outputCommands(corpus: Corpus, audit: (tool: string, extra: string[], quiet?: boolean) => Command): Command[] {
  return [audit('audit-json', ['--json'], false), { ...audit('audit-db', ['--db', storeOf(corpus)]), before: () => removeStore(corpus) }];
}

/** With --sigma: audit with those Sigma rules too, on one thread and (where audit is) with --threads auto. */
function sigmaCommands(corpus: Corpus, audit: (tool: string, extra: string[]) => Command, sigma: readonly string[]): Command[] {
  const rules = sigma.flatMap((p) => ['--sigma', resolve(p)]);
  return [audit('audit-sigma', rules), ...(THREADED.includes(corpus.kind) ? [audit('audit-sigma-threads', [...rules, '--threads', 'auto'])] : [])];
}

/** Where --outputs keeps the event store of a corpus while it is measured (removed at the end). */
function storeOf(corpus: Corpus): string {
  return `${corpus.paths[0]}.bench.db`;
}

function removeStore(corpus: Corpus): void {
  for (const end of ['', '-wal', '-shm']) rmSync(storeOf(corpus) + end, { force: true });
}

function shown(c: Command): string {
  if (c.tool === 'wc') return 'wc -l';
  if (c.tool === 'grep') return 'grep -cE';
  if (c.tool === 'node') return 'node split2 + regex';
  if (c.tool === 'node-reader') return "audit's reader + regex";
  if (c.tool === 'sketch') return 'sketch: sshd scanner';
  if (c.tool === 'audit-sigma') return 'audit scan --quiet --sigma';
  if (c.tool === 'audit-sigma-threads') return 'audit scan --quiet --sigma --threads auto';
  if (c.tool === 'audit-json') return 'audit scan --json';
  if (c.tool === 'audit-db') return 'audit scan --quiet --db';
  return c.tool === 'audit-threads' ? 'audit scan --quiet --threads auto' : 'audit scan --quiet';
}

function say(s: string): void {
  process.stderr.write(s + '\n');
}

async function prepareAll(opts: BenchOptions): Promise<Corpus[]> {
  const dir = opts.dir ?? join(ROOT, 'test', 'bench', 'out');
  const corpora: Corpus[] = [];
  for (const kind of opts.kinds) {
    const c = await prepareCorpus({ kind, lines: opts.lines, distinct: opts.distinct, flood: opts.flood, seed: opts.seed }, dir, opts.keep);
    const how = c.generated ? `generated in ${c.seconds.toFixed(1)} s` : 'reused (--keep)';
    const rel = relative(process.cwd(), c.path);
    say(`corpus ${rel.startsWith('..') ? c.path : rel}: ${c.lines.toLocaleString('en-US')} lines, ${(c.bytes / 1e6).toFixed(1)} MB, ${how}`);
    corpora.push(c);
  }
  return corpora;
}

/** Every run goes through all corpora and all three commands, so that a ratio compares neighbours in time. */
async function runAll(corpora: readonly Corpus[], opts: BenchOptions, bin: string, method: RssMethod): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const c of corpora) await measure(commandsFor(c, bin, opts)[0]!, method, ROOT); // warm the page cache
  for (let run = 1; run <= opts.runs; run++) {
    for (const corpus of corpora) {
      for (const cmd of commandsFor(corpus, bin, opts)) {
        const m = await measure(cmd, method, ROOT);
        if (!cmd.ok.includes(m.exitCode)) {
          throw new Error(`${shown(cmd)} on ${corpus.path} exited with ${m.exitCode}: ${m.stderr.trim().split('\n').slice(-3).join(' / ')}`);
        }
        const matched = cmd.tool === 'grep' || cmd.tool === 'node' ? `  (${m.stdout.trim().replace(/\n/g, ', ')} lines match)` : '';
        const cpu = m.threadCpu === null ? '' : `  (CPU s by thread: ${threadCpuText(m.threadCpu)})`;
        say(`run ${run}/${opts.runs}  ${corpus.kind.padEnd(8)} ${shown(cmd).padEnd(18)} ${m.seconds.toFixed(3)} s${matched}${cpu}`);
        samples.push({ corpus, tool: cmd.tool, command: shown(cmd), run, m });
      }
    }
  }
  return samples;
}

export async function bench(argv: readonly string[]): Promise<number> {
  const opts = parseBenchArgs(argv);
  if (opts.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const bin = resolve(opts.bin ?? join(ROOT, 'bin', 'audit.js'));
  if (opts.bin === null && !existsSync(join(ROOT, 'dist', 'src', 'cli.js'))) {
    say('bench: dist/src/cli.js is missing: run `npm run build` first (npm run bench does)');
    return 2;
  }
  if (!existsSync(bin)) {
    say(`bench: --bin: no such file: ${bin}`);
    return 2;
  }
  const method = rssMethod();
  const machine = describeMachine(new Date());
  const corpora = await prepareAll(opts);
  const samples = await runAll(corpora, opts, bin, method);
  const rows = aggregate(samples);
  for (const c of corpora) removeStore(c);
  const out = process.stdout;
  out.write(`\n${machineLine(machine)}\npeak RSS by ${method === 'gnu-time' ? 'GNU time (%M)' : 'polling /proc/PID/status VmHWM every 10 ms (approximate)'}; median of ${opts.runs} run(s); MB = 10^6 bytes\n\n`);
  out.write(renderTable(rows));
  const cpu = renderThreadCpu(samples);
  if (cpu !== '') out.write(`\n${cpu}`);
  out.write(`\ntargets (issue 6${opts.outputs ? '; --db: issue 7' : ''}):\n` + renderTargets(checkTargets(rows), false));
  if (opts.md) {
    out.write(`\n<!-- npm run bench -- ${argv.join(' ')} -->\n${machineLine(machine)}\n\n${renderMarkdown(rows)}\n${renderTargets(checkTargets(rows), true)}`);
    if (cpu !== '') out.write(`\n${cpu.replace(/^  /gm, '- ')}`);
  }
  return 0;
}

try {
  process.exitCode = await bench(process.argv.slice(2));
} catch (err) {
  const usage = err instanceof BenchUsageError || String((err as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
  say(`bench: ${err instanceof Error ? err.message : String(err)}`);
  if (usage) say('run with --help for the flags');
  process.exitCode = usage ? 2 : 1;
}
