// The flags of `npm run bench`, parsed once into a frozen BenchOptions; bad values are reported with what would be
// right.
import { parseArgs } from 'node:util';
import { CORPUS_KINDS, FLOOD_ADDRESSES, type CorpusKind } from './generate.js';

export interface BenchOptions {
  lines: number;
  kinds: readonly CorpusKind[];
  /** Attacker addresses of the distinct corpus (defaults to --lines). */
  distinct: number;
  /** Attacking addresses of the flood corpus. */
  flood: number;
  dir: string | null;
  keep: boolean;
  runs: number;
  md: boolean;
  seed: number;
  /** The audit entry point to run (default bin/audit.js): lets two builds be compared. */
  bin: string | null;
  /** Sigma rule paths: audit is also run with them (--sigma), as in `audit scan --sigma`. */
  sigma: readonly string[];
  /** Also `audit scan --json` (its output read and dropped by the bench) and `audit scan --quiet --db NEW`. */
  outputs: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]

Generates deterministic corpora, then runs wc -l, grep -cE, Node's floor (createReadStream | split2 and the same
regex on every line: test/bench/floor.ts), the same loop on audit's own reader, on auth.log corpora a sketch of the
least such a scan can do in Node (test/bench/sketch.ts), and audit scan --quiet on each, one after another, and
prints wall time, lines/s, MB/s and peak RSS for each, and audit's time as a multiple of grep's; on Linux also the
CPU seconds of each of audit's threads (main thread first).

  --lines N        lines per corpus (default 1000000)
  --only KINDS     auth, nginx, journal, distinct, pair, auditd, flood (comma-separated or repeated; default
                   auth,nginx,journal); pair = two auth.log files of --lines each, scanned together, also with
                   --threads auto; auditd = an audit.log (ENRICHED, with the execve rule); flood = sshd failures
                   from --flood addresses at once, ~4,000 a second (memory under a distributed brute force)
  --distinct N     distinct attacker addresses in the 'distinct' corpus (default: --lines); it has ~3.6 lines each
  --flood N        attacking addresses in the 'flood' corpus (default 10000)
  --dir DIR        where corpora are written (default test/bench/out/ in the repository, gitignored)
  --keep           reuse corpora already in DIR with the same kind, size, seed and generator version
  --runs K         run every command K times, report the median (default 1)
  --seed S         generator seed (default 1)
  --bin PATH       the audit entry point to run (default bin/audit.js), to compare another build
  --sigma PATH     also run audit scan --sigma PATH on each corpus (and with --threads auto where audit is), to
                   measure a set of Sigma rules (repeatable: every PATH goes to the same scan)
  --outputs        also run audit scan --json (the bench reads the output and drops it) and audit scan --quiet
                   --db NEW.db (a new event store each run, in DIR) on each corpus; --db is judged against
                   issue 7's limit: at most 2x audit scan --quiet in the same run
  --md             also print the markdown table for BENCHMARKS.md
  -h, --help       this text`;

export class BenchUsageError extends Error {}

/** Digit group separators people type in sizes: 2_000_000, 2,000,000. */
const GROUPING = /[_,]/g;

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      lines: { type: 'string' }, only: { type: 'string', multiple: true }, distinct: { type: 'string' }, flood: { type: 'string' },
      dir: { type: 'string' }, keep: { type: 'boolean' }, runs: { type: 'string' }, md: { type: 'boolean' },
      seed: { type: 'string' }, bin: { type: 'string' }, sigma: { type: 'string', multiple: true }, outputs: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const lines = count('--lines', values.lines, 1_000_000);
  return Object.freeze({
    lines,
    kinds: kinds(values.only),
    distinct: count('--distinct', values.distinct, lines),
    flood: count('--flood', values.flood, FLOOD_ADDRESSES),
    dir: values.dir ?? null,
    keep: values.keep === true,
    runs: count('--runs', values.runs, 1, 100),
    md: values.md === true,
    seed: count('--seed', values.seed, 1, 2 ** 32 - 1),
    bin: values.bin ?? null,
    sigma: Object.freeze([...(values.sigma ?? [])]),
    outputs: values.outputs === true,
    help: values.help === true,
  });
}

function count(flag: string, value: string | undefined, fallback: number, max = 1_000_000_000): number {
  if (value === undefined) return fallback;
  const digits = value.replace(GROUPING, '');
  const n = /^\d+$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new BenchUsageError(`${flag}: '${value}' is not a whole number from 1 to ${max}`);
  return n;
}

function kinds(only: string[] | undefined): readonly CorpusKind[] {
  if (only === undefined) return ['auth', 'nginx', 'journal'];
  const out: CorpusKind[] = [];
  for (const name of only.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
    const kind = CORPUS_KINDS.find((k) => k === name);
    if (kind === undefined) throw new BenchUsageError(`--only: unknown corpus '${name}' (use ${CORPUS_KINDS.join(', ')})`);
    if (!out.includes(kind)) out.push(kind);
  }
  if (out.length === 0) throw new BenchUsageError('--only: name at least one corpus');
  return out;
}
