// What a benchmark ran on: cores, CPU model, memory, kernel, Node, grep, locale, NODE_EXTRA_CA_CERTS and date, for
// BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGb: number;
  kernel: string;
  node: string;
  grep: string;
  locale: string;
  /**
   * NODE_EXTRA_CA_CERTS is set: every node process (audit, the Node floor) then reads and parses that CA bundle before
   * any script runs (~50 ms on the benchmark host, 82% of `node -e 0`'s instructions), so start-up costs differ
   * from a machine without it.
   */
  extraCaCerts: boolean;
  /** 1-minute load average when the benchmark started: these machines are shared, and it says how quiet it was. */
  load: number;
  date: string; // ISO 8601, UTC
}

const MILLIS = /\.\d+Z$/;

export function describeMachine(now: Date): Machine {
  return {
    nproc: availableParallelism(),
    cpu: cpuModel(),
    memoryGb: Math.round(totalmem() / 1e9),
    kernel: `Linux ${release()}`,
    node: process.version,
    grep: firstLine(spawnSync('grep', ['--version'], { encoding: 'utf8' }).stdout) ?? 'unknown',
    locale: process.env['LC_ALL'] || process.env['LC_CTYPE'] || process.env['LANG'] || 'C',
    extraCaCerts: (process.env['NODE_EXTRA_CA_CERTS'] ?? '') !== '',
    load: loadavg()[0] ?? 0,
    date: now.toISOString().replace(MILLIS, 'Z'),
  };
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? m[1]!.trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

function firstLine(s: string | undefined): string | null {
  return s ? s.split('\n')[0]!.trim() : null;
}

export function machineLine(m: Machine): string {
  const ca = m.extraCaCerts ? ', NODE_EXTRA_CA_CERTS set (each node start parses that CA bundle)' : '';
  return `${m.nproc} CPUs (${m.cpu}), ${m.memoryGb} GB RAM, ${m.kernel}, Node ${m.node}, ${m.grep}, locale ${m.locale}${ca}, load ${m.load.toFixed(2)} at start, ${m.date}`;
}
