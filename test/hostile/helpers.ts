// Helpers for the hostile-input suite: scratch files, the CLI in process, and the CLI as a real child process
// (same compiled code as the test, so it works from dist/ and from a private build folder).
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { main } from '../../src/cli.js';
import { memoryIo } from '../helpers/io.js';

/** The compiled cli.js beside this compiled test. */
export const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const RUNNER = `const m = await import(${JSON.stringify('file://' + CLI)}); process.exitCode = await m.main(process.argv.slice(1));`;
export const CHILD_ENV = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };

export function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `audit-hostile-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function put(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export interface Run { code: number; out: string; err: string }

/** `audit <argv>` in process (colour off, UTC, fixed clock). */
export async function run(argv: string[], stdin?: string | Buffer): Promise<Run> {
  const io = memoryIo(stdin === undefined ? {} : { stdin });
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

/** NDJSON lines parsed; throws (fails the test) if any line is not JSON. */
export function ndjson(out: string): Record<string, unknown>[] {
  return out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

export interface SummaryJson {
  totals: { lines: number; parsed: number; unparsed: number; skipped: number; truncated: number; events: number };
  sources: { name: string; lines: number; truncated: number; events: number; format: string | null }[];
  problems: { source: string; code: string; level: string }[];
  topSources: { key: string }[];
  topUsers: { key: string }[];
}
export function summaryOf(out: string): SummaryJson {
  const last = ndjson(out).at(-1)!;
  if (last['kind'] !== 'summary') throw new Error('no summary line');
  return last as unknown as SummaryJson;
}
export function eventsOf(out: string): Record<string, unknown>[] {
  return ndjson(out).filter((o) => o['kind'] === 'event');
}

/** The real program in a child process, synchronously. `time` wraps it with /usr/bin/time -f %M (peak RSS in kB). */
export function spawnCli(args: string[], opts: { time?: boolean; input?: string; cwd?: string; uid?: number; gid?: number } = {}): SpawnSyncReturns<string> & { rssKb: number | null } {
  const node = [process.execPath, '--input-type=module', '-e', RUNNER, '--', ...args];
  const argv = opts.time === true ? ['/usr/bin/time', '-f', 'RSS_KB=%M', ...node] : node;
  const r = spawnSync(argv[0]!, argv.slice(1), {
    encoding: 'utf8', env: CHILD_ENV, input: opts.input, cwd: opts.cwd, maxBuffer: 256 * 1024 * 1024, uid: opts.uid, gid: opts.gid,
  });
  const m = /RSS_KB=(\d+)/.exec(r.stderr ?? '');
  return Object.assign(r, { rssKb: m ? Number(m[1]) : null });
}

/** The real program, asynchronously, with its stdio piped (for EPIPE and signals). */
export function spawnCliAsync(args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--input-type=module', '-e', RUNNER, '--', ...args], { env: CHILD_ENV, stdio: [stdin, 'pipe', 'pipe'] });
}

/** The shell command line that runs the real program (for pipelines such as `| head -1`). */
export function shellCommand(args: string[]): string {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return [process.execPath, '--input-type=module', '-e', RUNNER, ...args].map(q).join(' ');
}

/** No control character (except newline) and no bidi/invisible character reaches human output. */
// eslint-disable-next-line no-control-regex
export const UNSAFE_OUTPUT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

export const SSHD = (user: string, ip = '203.0.113.45'): string => `Nov 23 03:14:22 web-01 sshd[21901]: Invalid user ${user} from ${ip} port 50122`;

