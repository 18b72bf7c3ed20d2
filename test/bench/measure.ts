// Runs one command and measures its wall time and peak resident memory: under GNU time (`-f %M`, the kernel's
// ru_maxrss of the waited child) when /usr/bin/time works, else by polling VmHWM in /proc (approximate).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Command {
  tool: string; // short name for tables: wc, grep, audit
  file: string;
  args: readonly string[];
  /** Exit codes that mean success (grep says 1 for "no match", audit 1 for "found"). */
  ok: readonly number[];
  /** Run before each measurement, not timed (audit scan --db: a new store every run). */
  before?: () => void;
}

export interface Measurement {
  seconds: number;
  /** Peak resident set size in bytes; null when it could not be measured. */
  peakRss: number | null;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type RssMethod = 'gnu-time' | 'proc-poll';

const GNU_TIME = '/usr/bin/time';
const KEEP_OUTPUT = 64 * 1024;

/** How peak RSS will be measured here: GNU time if it runs with -f and -o, else /proc polling. */
export function rssMethod(): RssMethod {
  if (!existsSync(GNU_TIME)) return 'proc-poll';
  const out = join(tmpdir(), `audit-bench-probe-${process.pid}`);
  const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
  const ok = r.status === 0 && existsSync(out) && /^\d+\s*$/.test(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  return ok ? 'gnu-time' : 'proc-poll';
}

export function measure(cmd: Command, method: RssMethod, cwd: string): Promise<Measurement> {
  cmd.before?.();
  return method === 'gnu-time' ? underGnuTime(cmd, cwd) : underPolling(cmd, cwd);
}

async function underGnuTime(cmd: Command, cwd: string): Promise<Measurement> {
  const out = join(tmpdir(), `audit-bench-rss-${process.pid}`);
  rmSync(out, { force: true });
  const r = await run(GNU_TIME, ['-f', '%M', '-o', out, cmd.file, ...cmd.args], cwd, null);
  // GNU time prefixes "Command exited with non-zero status N" when the command fails: the number is the last line.
  const lines = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : [];
  rmSync(out, { force: true });
  const kib = Number(lines[lines.length - 1]);
  return { ...r, peakRss: Number.isFinite(kib) && kib > 0 ? kib * 1024 : null };
}

/** VmHWM is the process's own high-water mark; polling every 10 ms can miss the last rise before exit. */
async function underPolling(cmd: Command, cwd: string): Promise<Measurement> {
  let peak: number | null = null;
  const r = await run(cmd.file, cmd.args, cwd, (pid) => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak ?? 0, Number(m[1]) * 1024);
    } catch {
      // the process has just exited
    }
  });
  return { ...r, peakRss: peak };
}

function run(file: string, args: readonly string[], cwd: string, poll: ((pid: number) => void) | null): Promise<Omit<Measurement, 'peakRss'>> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // Keep the first 64 KiB of each stream (counts, summaries, error messages); drain the rest.
    const keep = (into: Buffer[]): ((c: Buffer) => void) => {
      let kept = 0;
      return (c) => {
        if (kept < KEEP_OUTPUT) into.push(c);
        kept += c.length;
      };
    };
    child.stdout.on('data', keep(out));
    child.stderr.on('data', keep(err));
    const timer = poll === null || child.pid === undefined ? null : setInterval(() => poll(child.pid!), 10);
    child.on('error', (e) => {
      if (timer) clearInterval(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (timer) clearInterval(timer);
      resolve({
        seconds,
        exitCode: code ?? (signal === null ? -1 : 128),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}
