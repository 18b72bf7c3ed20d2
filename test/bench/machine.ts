// What a benchmark ran on: cores, CPU model, memory, kernel, Node, grep, locale and date, for BENCHMARKS.md.
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
  return `${m.nproc} CPUs (${m.cpu}), ${m.memoryGb} GB RAM, ${m.kernel}, Node ${m.node}, ${m.grep}, locale ${m.locale}, load ${m.load.toFixed(2)} at start, ${m.date}`;
}
