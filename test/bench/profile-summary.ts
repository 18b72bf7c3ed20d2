// Summarises a V8 .cpuprofile (from `node --cpu-prof bin/audit.js scan --quiet FILE`): the functions with the most
// self time, as a table or markdown rows for BENCHMARKS.md. Usage:
//   node dist/test/bench/profile-summary.js FILE.cpuprofile [--top 15] [--md]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface SelfTime {
  name: string;
  location: string; // file:line (1-based), relative to `root`; '' for V8's own entries such as (garbage collector)
  micros: number;
  share: number; // of all sampled time except (idle)
}

/** Self time per function: each sample owns the interval until the next one (as Chrome DevTools counts). */
export function selfTimes(p: CpuProfile, root: string): SelfTime[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, ProfileNode>();
  for (const n of p.nodes) for (const c of n.children ?? []) parents.set(c, n);
  const sums = new Map<string, { name: string; location: string; micros: number }>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]!);
    if (node === undefined) continue;
    const next = i + 1 < p.timeDeltas.length ? p.timeDeltas[i + 1]! : 0;
    const micros = Math.max(0, next);
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName !== '' ? functionName : url === '' ? `(native, in ${parents.get(node.id)?.callFrame.functionName || '?'})` : '(anonymous)';
    if (name === '(idle)') continue;
    const location = url === '' ? '' : `${where(url, root)}:${lineNumber + 1}`;
    const key = `${name}\0${location}`;
    const entry = sums.get(key) ?? { name, location, micros: 0 };
    entry.micros += micros;
    sums.set(key, entry);
    total += micros;
  }
  return [...sums.values()]
    .map((e) => ({ ...e, share: total === 0 ? 0 : e.micros / total }))
    .sort((a, b) => b.micros - a.micros);
}

function where(url: string, root: string): string {
  if (!url.startsWith('file://')) return url;
  const rel = relative(root, fileURLToPath(url));
  return rel.startsWith('..') ? fileURLToPath(url) : rel;
}

/** A `|` in a cell would end it in markdown (regex sources are full of them). */
const PIPE = /\|/g;
/** V8 names a regex by its whole source, which can run to a thousand characters. */
const NAME_WIDTH = 60;

function shortName(name: string): string {
  return name.length <= NAME_WIDTH ? name : name.slice(0, NAME_WIDTH - 1) + '…';
}

export function renderSelfTimes(rows: readonly SelfTime[], markdown: boolean): string {
  const cells = rows.map((r, i) => [String(i + 1), (r.micros / 1000).toFixed(0), `${(r.share * 100).toFixed(1)}%`, shortName(r.name), r.location]);
  if (markdown) {
    const head = '| # | self ms | self % | function | where |\n| ---: | ---: | ---: | --- | --- |\n';
    return head + cells.map((c) => `| ${c.slice(0, 3).join(' | ')} | \`${c[3]!.replace(PIPE, '\\|')}\` | ${c[4] === '' ? '' : `\`${c[4]}\``} |`).join('\n') + '\n';
  }
  const widths = [3, 8, 7, Math.max(8, ...cells.map((c) => c[3]!.length))];
  return cells.map((c) => [c[0]!.padStart(widths[0]!), c[1]!.padStart(widths[1]!), c[2]!.padStart(widths[2]!), c[3]!.padEnd(widths[3]!), c[4]].join('  ').trimEnd()).join('\n') + '\n';
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { top: { type: 'string' }, md: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1) {
    process.stderr.write('usage: node dist/test/bench/profile-summary.js FILE.cpuprofile [--top 15] [--md]\n');
    return 2;
  }
  const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile;
  const top = Number(values.top ?? 15);
  const rows = selfTimes(profile, process.cwd());
  const total = (profile.endTime - profile.startTime) / 1e6;
  process.stdout.write(`profile of ${total.toFixed(2)} s; top ${top} functions by self time (idle excluded)\n\n`);
  process.stdout.write(renderSelfTimes(rows.slice(0, top), values.md === true));
  return 0;
}

// Run only as a script, so that tests can import selfTimes.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
