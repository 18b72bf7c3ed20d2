// Runs one command and measures its wall time and peak resident memory: under GNU time (`-f %M`, the kernel's
// ru_maxrss of the waited child) when /usr/bin/time works, else by polling VmHWM in /proc (approximate). On Linux it
// can also follow the CPU time of each thread of the command (ThreadCpu): where a scan with threads spends it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
  /** Follow the CPU time of each of its threads (Measurement.threadCpu). */
  cpuByThread?: boolean;
}

export interface Measurement {
  seconds: number;
  /** Peak resident set size in bytes; null when it could not be measured. */
  peakRss: number | null;
  exitCode: number;
  stdout: string;
  stderr: string;
  /**
   * With Command.cpuByThread: CPU seconds (user + system) of each thread of the command's process, its main thread
   * first, then the others from most to least (worker threads, V8's compiler and collector threads, libuv's pool);
   * threads under 10 ms are left out. Read from /proc every 50 ms, so the last moments before exit are missing. Null
   * when not asked, or where /proc has no threads to read.
   */
  threadCpu: number[] | null;
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
  // the command is GNU time's child
  const cpu = cmd.cpuByThread === true ? new ThreadCpu(true) : null;
  const r = await run(GNU_TIME, ['-f', '%M', '-o', out, cmd.file, ...cmd.args], cwd, cpu === null ? null : (pid) => cpu.sample(pid), CPU_POLL_MS);
  // GNU time prefixes "Command exited with non-zero status N" when the command fails: the number is the last line.
  const lines = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : [];
  rmSync(out, { force: true });
  const kib = Number(lines[lines.length - 1]);
  return { ...r, peakRss: Number.isFinite(kib) && kib > 0 ? kib * 1024 : null, threadCpu: cpu?.result() ?? null };
}

/** VmHWM is the process's own high-water mark; polling every 10 ms can miss the last rise before exit. */
async function underPolling(cmd: Command, cwd: string): Promise<Measurement> {
  let peak: number | null = null;
  const cpu = cmd.cpuByThread === true ? new ThreadCpu(false) : null;
  let polls = 0;
  const r = await run(cmd.file, cmd.args, cwd, (pid) => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak ?? 0, Number(m[1]) * 1024);
    } catch {
      // the process has just exited
    }
    if (cpu !== null && ++polls % (CPU_POLL_MS / 10) === 0) cpu.sample(pid);
  }, 10);
  return { ...r, peakRss: peak, threadCpu: cpu?.result() ?? null };
}

const CPU_POLL_MS = 50;

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux, asked once). */
let ticks: number | null = null;
function clockTicks(): number {
  if (ticks === null) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(r.stdout?.trim());
    ticks = r.status === 0 && Number.isInteger(n) && n > 0 ? n : 100;
  }
  return ticks;
}

/** The fields of /proc/PID[/task/TID]/stat after the command name (which may hold spaces): state is [0]. */
function statFields(path: string): string[] | null {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A child of `parent` (GNU time has one), found by its parent pid in /proc; null while there is none. */
function childOf(parent: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const f = statFields(`/proc/${e}/stat`);
    if (f !== null && Number(f[1]) === parent) return Number(e);
  }
  return null;
}

/** The CPU time of each thread of one process, as last read from /proc/PID/task (utime + stime). */
class ThreadCpu {
  private pid: number | null = null;
  private readonly seconds = new Map<number, number>();

  /** `viaParent`: the pids sampled are the parent's (GNU time), the command is its child. */
  constructor(private readonly viaParent: boolean) {}

  sample(pid: number): void {
    this.pid ??= this.viaParent ? childOf(pid) : pid;
    if (this.pid === null) return;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${this.pid}/task`);
    } catch {
      return; // it has exited
    }
    const hz = clockTicks();
    for (const tid of tids) {
      const f = statFields(`/proc/${this.pid}/task/${tid}/stat`);
      if (f !== null) this.seconds.set(Number(tid), (Number(f[11]) + Number(f[12])) / hz);
    }
  }

  /** The main thread's seconds, then the others' from most to least (those of 10 ms or more); null if none was read. */
  result(): number[] | null {
    if (this.pid === null || this.seconds.size === 0) return null;
    const others = [...this.seconds].filter(([tid, s]) => tid !== this.pid && s >= 0.01).map(([, s]) => s).sort((a, b) => b - a);
    return [this.seconds.get(this.pid) ?? 0, ...others];
  }
}

function run(
  file: string, args: readonly string[], cwd: string, poll: ((pid: number) => void) | null, every: number,
): Promise<Omit<Measurement, 'peakRss' | 'threadCpu'>> {
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
    const timer = poll === null || child.pid === undefined ? null : setInterval(() => poll(child.pid!), every);
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
