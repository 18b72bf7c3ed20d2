// A quick measurement, not a test: lines/s of readLines (and of openPath + readLines) on a generated 1,000,000-line
// auth.log, against a plain createReadStream | split2 loop, at several read sizes. Run after compiling:
//   node <outDir>/test/sources/lines-bench.js [lines] [dir]
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import split2 from 'split2';
import { readLines } from '../../src/sources/lines.js';
import { openPath } from '../../src/sources/open.js';

const LINES = Number(process.argv[2] ?? 1_000_000);
const DIR = process.argv[3] ?? tmpdir();
const RUNS = 5;

/** Deterministic xorshift32: the same file on every machine. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

async function generate(path: string, n: number): Promise<void> {
  const next = rng(0x5eed);
  const out = createWriteStream(path);
  const users = ['root', 'admin', 'deploy', 'oracle', 'test', 'ubuntu', 'git', 'postgres'];
  let batch = '';
  for (let i = 0; i < n; i++) {
    const r = next();
    const day = 1 + Math.floor((i / n) * 28);
    const t = `Nov ${String(day).padStart(2, ' ')} ${String(r % 24).padStart(2, '0')}:${String((r >>> 5) % 60).padStart(2, '0')}:${String((r >>> 11) % 60).padStart(2, '0')}`;
    const ip = `${(r >>> 3) % 223 + 1}.${(r >>> 9) % 256}.${(r >>> 17) % 256}.${(r >>> 24) % 254 + 1}`;
    const user = users[r % users.length]!;
    const pid = 1000 + (r % 60000);
    switch (r % 5) {
      case 0: batch += `${t} web-01 sshd[${pid}]: Failed password for ${user} from ${ip} port ${r % 65535} ssh2\n`; break;
      case 1: batch += `${t} web-01 sshd[${pid}]: Invalid user ${user} from ${ip} port ${r % 65535}\n`; break;
      case 2: batch += `${t} web-01 CRON[${pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)\n`; break;
      case 3: batch += `${t} web-01 sshd[${pid}]: Connection closed by ${ip} port ${r % 65535} [preauth]\n`; break;
      default: batch += `${t} web-01 systemd[1]: Started session-${r % 9999}.scope - Session ${r % 9999} of User ${user}.\n`;
    }
    if (batch.length > 1 << 16) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
}

async function plainSplit2(path: string, hwm: number): Promise<number> {
  let n = 0;
  for await (const _line of createReadStream(path, { highWaterMark: hwm }).pipe(split2())) n++;
  return n;
}

async function plainSplit2Data(path: string, hwm: number): Promise<number> {
  let n = 0;
  const lines = createReadStream(path, { highWaterMark: hwm }).pipe(split2());
  lines.on('data', () => { n++; });
  await once(lines, 'end');
  return n;
}

async function guarded(path: string, hwm: number): Promise<number> {
  let n = 0;
  await readLines(createReadStream(path, { highWaterMark: hwm }), { maxLineBytes: 1024 * 1024 }, () => { n++; });
  return n;
}

async function opened(path: string): Promise<number> {
  let n = 0;
  await readLines(await openPath(path, path, () => {}), { maxLineBytes: 1024 * 1024 }, () => { n++; });
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const path = join(DIR, `audit-lines-bench-${LINES}.log`);
  if (!existsSync(path)) await generate(path, LINES);
  const mb = statSync(path).size / 1e6;
  const cases: [string, () => Promise<number>][] = [
    ['createReadStream(64 KiB) | split2, for await', () => plainSplit2(path, 64 * 1024)],
    ['createReadStream(64 KiB) | split2, on data', () => plainSplit2Data(path, 64 * 1024)],
    ['createReadStream(128 KiB) | split2, on data', () => plainSplit2Data(path, 128 * 1024)],
    ['readLines(createReadStream 64 KiB)', () => guarded(path, 64 * 1024)],
    ['readLines(createReadStream 256 KiB)', () => guarded(path, 256 * 1024)],
    ['readLines(createReadStream 1 MiB)', () => guarded(path, 1024 * 1024)],
    ['readLines(openPath) (sniff + read size of open.ts)', () => opened(path)],
  ];
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, fn] of cases) { // interleaved: a noisy shared machine hurts every case alike
      const t0 = process.hrtime.bigint();
      const n = await fn();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (n !== LINES) throw new Error(`${name}: ${n} lines, expected ${LINES}`);
      times.get(name)!.push(ms);
    }
  }
  const base = median(times.get(cases[0]![0])!);
  process.stdout.write(`${LINES} lines, ${mb.toFixed(1)} MB, median of ${RUNS} runs, node ${process.version}\n`);
  for (const [name] of cases) {
    const ms = median(times.get(name)!);
    process.stdout.write(`${name.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms ${(LINES / ms / 1000).toFixed(2).padStart(6)} M lines/s  ratio ${(base / ms).toFixed(2)}\n`);
  }
  process.stdout.write(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
}

await main();
