// A measurement, not a test: CPU per line of each stage of a scan (parse, rules, counter, detectors) on lines held in
// memory, in one process, so that a stage's cost can be compared between two builds on a noisy machine. Each round
// runs the four levels one after another; the medians over rounds are printed, and each stage is its level minus
// the one before. Run after compiling:
//   node --max-semi-space-size=8 dist/test/bench/stages.js FILE [lines=300000] [rounds=5]
import { openSync, readSync, closeSync } from 'node:fs';
import { Bus } from '../../src/bus.js';
import { Counter } from '../../src/counter/counter.js';
import { defaultConfig } from '../../src/detectors/config.js';
import { createDetectors } from '../../src/detectors/detectors.js';
import { createRecordStage } from '../../src/formats/stage.js';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { createEngine } from '../../src/rules/engine.js';
import type { LineOutcome, LogRecord } from '../../src/types.js';
import { median } from './report.js';

const LEVELS = ['parse', '+ rules', '+ counter', '+ detectors'] as const;

/** The first `n` lines of the file, as a scan would see them (UTF-8, without their newline). */
function readLinesOf(path: string, n: number): string[] {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(Math.min(n * 1024, 512 * 1024 * 1024));
  const got = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const lines: string[] = [];
  let start = 0;
  for (let nl = buf.indexOf(10, 0); nl >= 0 && nl < got && lines.length < n; nl = buf.indexOf(10, start)) {
    lines.push(buf.toString('utf8', start, nl));
    start = nl + 1;
  }
  return lines;
}

/** CPU ms of one pass over the lines at a level: 0 parse only, 1 + rules, 2 + counter (events on the bus), 3 + detectors. */
function pass(lines: readonly string[], level: number, engine: ReturnType<typeof createEngine>): number {
  const bus = new Bus();
  if (level >= 2) new Counter(bus, { top: 10 });
  if (level >= 3) {
    const detectors = createDetectors(defaultConfig(), (a) => bus.emit('alert', a));
    bus.on('event', (e) => detectors.event(e));
    bus.on('record', (r, o) => detectors.record(r, o));
  }
  const ignore = (): void => {};
  const onRecord = level === 0
    ? ignore
    : level === 1
      ? (r: LogRecord): void => engine(r, ignore)
      : (r: LogRecord, o: LineOutcome): void => {
        bus.emit('record', r, o);
        if (o !== 'skipped') engine(r, (e) => bus.emit('event', e));
      };
  bus.emit('sourceStart', { name: 'bench', size: null });
  const t0 = process.cpuUsage();
  const stage = createRecordStage({ file: 'bench', ctx: { reference: new Date('2026-11-26T00:00:00Z') }, forced: null, onRecord });
  for (const line of lines) stage.line(line, false);
  stage.end();
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000;
}

function main(argv: readonly string[]): number {
  const [path, linesArg, roundsArg] = argv;
  if (path === undefined) {
    process.stderr.write('usage: node dist/test/bench/stages.js FILE [lines=300000] [rounds=5]\n');
    return 2;
  }
  const lines = readLinesOf(path, Number(linesArg ?? 300_000));
  const rounds = Number(roundsArg ?? 5);
  const engine = createEngine({ rules: compileRules(BUILTIN_RULES, { builtin: true }) });
  const ms: number[][] = LEVELS.map(() => []);
  for (let r = 0; r < rounds; r++) for (let level = 0; level < LEVELS.length; level++) ms[level]!.push(pass(lines, level, engine));
  process.stdout.write(`${lines.length.toLocaleString('en-US')} lines of ${path}, median of ${rounds} rounds, CPU\n`);
  let before = 0;
  for (let level = 0; level < LEVELS.length; level++) {
    const total = median(ms[level]!);
    const stage = total - before;
    process.stdout.write(`${LEVELS[level]!.padEnd(12)} ${total.toFixed(0).padStart(6)} ms in all ${stage.toFixed(0).padStart(6)} ms this stage ${(stage * 1000 / lines.length).toFixed(2).padStart(6)} µs/line\n`);
    before = total;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
