// A scan on worker threads writes exactly what a single-threaded scan writes: the same events, alerts and summary,
// byte for byte and in the same order, on the fixture tree and on a generated pair of interleaved files.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { memoryIo } from '../helpers/io.js';
import { ROOT } from '../helpers/paths.js';
import { MAX_LINE_BYTES, writePair, type Pair } from './pair.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function scan(threads: number, args: readonly string[]): Promise<Run> {
  const io = memoryIo();
  const code = await main(['scan', '--threads', String(threads), ...args], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** Scans single-threaded, then with two workers (one if the machine has one CPU); both must agree exactly. */
async function sameEveryWay(args: readonly string[]): Promise<Run> {
  const one = await scan(1, args);
  assert.deepEqual(await scan(2, args), one, `--threads 2 ${args.join(' ')}`);
  return one;
}

interface JsonSummary {
  kind: 'summary';
  sources: { name: string; format: string | null; lines: number; parsed: number; unparsed: number; skipped: number; truncated: number }[];
  alerts: { id: string }[];
}

function summaryOf(ndjson: string): JsonSummary {
  return JSON.parse(ndjson.trimEnd().split('\n').at(-1)!) as JsonSummary;
}

describe('the same output with worker threads as without', () => {
  it('on the whole fixture tree, as NDJSON (gzip, a binary file, many formats)', async () => {
    const run = await sameEveryWay(['--json', 'fixtures/logs']);
    assert.equal(run.stderr, 'audit: warning: skipped binary file fixtures/logs/tree/wtmp\n');
    assert.ok(run.stdout.split('\n').length > 400);
  });

  it('on the fixture tree as tables, with --verbose', async () => {
    const run = await sameEveryWay(['-v', 'fixtures/logs']);
    assert.match(run.stderr, /^audit: fixtures\/logs\/syslog\/auth\.log: syslog: recognised/m);
  });

  it('with --min-severity, --since and a small --max-line-bytes', async () => {
    await sameEveryWay(['--json', '--min-severity', 'high', 'fixtures/logs']);
    await sameEveryWay(['--json', '--since', '2026-01-01', '--until', '2026-11-23T10:05:00Z', 'fixtures/logs/syslog', 'fixtures/logs/nginx']);
    await sameEveryWay(['--json', '--max-line-bytes', '256', 'fixtures/logs/attacks', 'fixtures/logs/example']);
  });

  it('with --input-format, and with a missing input among the files', async () => {
    await sameEveryWay(['--json', '--input-format', 'syslog', 'fixtures/logs/syslog', 'fixtures/logs/tree']);
    const run = await sameEveryWay(['--json', 'fixtures/logs/multi-host', 'fixtures/logs/nope.log', 'fixtures/logs/example']);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'audit: cannot read fixtures/logs/nope.log: no such file or directory\n');
  });
});

describe('a generated pair of interleaved files', () => {
  let pair: Pair;
  let names: string[];
  before(() => {
    pair = writePair(30_000, 24_000);
    names = [relative(ROOT, pair.auth), relative(ROOT, pair.access)];
  });
  after(() => rmSync(pair.dir, { recursive: true, force: true }));

  it('gives the same NDJSON, every line accounted for as written', async () => {
    const run = await sameEveryWay(['--json', '--max-line-bytes', String(MAX_LINE_BYTES), ...names]);
    const s = summaryOf(run.stdout);
    const { auth, access } = pair.counts;
    assert.deepEqual(s.sources.map((x) => [x.format, x.lines, x.unparsed, x.skipped, x.truncated]), [
      ['syslog', 30_000, 3000, 3000, 7],
      ['access', 24_000, 237, 0, 0],
    ]);
    // the same numbers, as counted by the generator
    assert.deepEqual([auth.unparsed, auth.skipped, auth.truncated, access.unparsed], [3000, 3000, 7, 237]);
    assert.ok(s.alerts.some((a) => a.id === 'web_scan'), 'the 404 bursts raise web_scan (records the workers send)');
  });

  it('gives the same tables, and the same with the inputs named the other way round', async () => {
    await sameEveryWay(['--max-line-bytes', String(MAX_LINE_BYTES), ...names]);
    await sameEveryWay(['--json', '--max-line-bytes', String(MAX_LINE_BYTES), names[1]!, names[0]!]);
  });
});
