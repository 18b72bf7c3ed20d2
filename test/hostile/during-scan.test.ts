// A file that grows, shrinks or is deleted while it is being scanned: no crash, every line read accounted for.
// Deterministic: the file is changed from a bus listener at the first record, while later reads are still to come.
import assert from 'node:assert/strict';
import { appendFileSync, truncateSync, unlinkSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Bus } from '../../src/bus.js';
import { main } from '../../src/cli.js';
import { Counter } from '../../src/counter/counter.js';
import { MERGE_WIDTH } from '../../src/merge.js';
import { collectSources, runPipeline } from '../../src/pipeline.js';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { createEngine } from '../../src/rules/engine.js';
import type { Summary } from '../../src/types.js';
import { memoryIo } from '../helpers/io.js';
import { SSHD, put, scratch, summaryOf } from './helpers.js';

const dir = scratch('during');
const engine = createEngine({ rules: compileRules(BUILTIN_RULES) });
/** 20,000 lines of ~90 bytes: ~1.8 MB, several 256 KiB reads, so the first record comes long before the end. */
const LINES = 20_000;
const body = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => SSHD(`${tag}${i}`)).join('\n') + '\n';

/** Scans `paths` in process; `change` runs once, at the first record of the first file. */
async function scanWhile(paths: string[], change: () => void, mergeWidth?: number): Promise<Summary> {
  const io = memoryIo();
  const bus = new Bus();
  const counter = new Counter(bus, { top: 5 });
  let changed = false;
  bus.on('record', () => {
    if (!changed) { changed = true; change(); }
  });
  const { items } = await collectSources(paths, io);
  await runPipeline(items, { engine, forcedFormat: null, maxLineBytes: 64 * 1024, since: null, until: null, keepEvent: () => true, mergeWidth }, bus, io);
  assert.equal(changed, true, 'the change ran during the scan');
  return counter.summary();
}

function assertAccounted(s: Summary): void {
  const t = s.totals;
  assert.equal(t.lines, t.parsed + t.unparsed + t.skipped + t.truncated, JSON.stringify(t));
}

describe('a file changed during the scan', () => {
  it('grows: the appended lines are read too', async () => {
    const path = put(dir, 'grows.log', body('a', LINES));
    const s = await scanWhile([path], () => appendFileSync(path, body('grown', 1000)));
    assertAccounted(s);
    assert.equal(s.totals.lines, 21_000);
    assert.equal(s.totals.events, 21_000);
    assert.deepEqual(s.problems, []);
  });

  it('shrinks to nothing: the scan ends early, no crash, no problem, every line read accounted for', async () => {
    const path = put(dir, 'shrinks.log', body('b', LINES));
    const s = await scanWhile([path], () => truncateSync(path, 0));
    assertAccounted(s);
    // what was read before the truncation (at least the first 256 KiB read, ~2,900 lines), and no more than 1 MiB
    assert.ok(s.totals.lines > 2000 && s.totals.lines < 12_000, `${s.totals.lines} lines`);
    assert.deepEqual(s.problems, []);
  });

  it('shrinks in the middle of a line: the cut line is the last one, still counted', async () => {
    const path = put(dir, 'cut.log', body('c', LINES));
    const s = await scanWhile([path], () => truncateSync(path, 1_000_003));
    assertAccounted(s);
    // 1,000,003 bytes: the lines before it plus one cut line without a newline (~11,000 lines in all)
    assert.ok(s.totals.lines > 10_000 && s.totals.lines < 12_500, `${s.totals.lines} lines`);
    assert.deepEqual(s.problems, []);
  });

  it('deleted while open: the open file is read to its end (POSIX keeps it until closed)', async () => {
    const path = put(dir, 'deleted.log', body('d', LINES));
    const s = await scanWhile([path], () => unlinkSync(path));
    assertAccounted(s);
    assert.equal(s.totals.lines, LINES);
    assert.deepEqual(s.problems, []);
  });

  it('deleted before it is opened: one error problem (ENOENT), the other file is still counted', async () => {
    const first = put(dir, 'first.log', body('e', LINES));
    const second = put(dir, 'second.log', body('f', 10));
    // one file at a time: the second is opened only after the first ends (merged, it would be open already)
    const s = await scanWhile([first, second], () => unlinkSync(second), 1);
    assertAccounted(s);
    assert.equal(s.totals.lines, LINES);
    assert.deepEqual(s.problems.map((p) => [p.code, p.level]), [['ENOENT', 'error']]);
  });
});

describe('the scan command, with a file deleted between listing and opening', () => {
  it('one stderr line, exit 2, the summary still written', async () => {
    // MERGE_WIDTH files are read at once; the one after them is opened when one of them ends
    const first = Array.from({ length: MERGE_WIDTH }, (_, i) => put(dir, `cli-first-${i}.log`, body(`g${i}-`, 2000)));
    const last = put(dir, 'cli-last.log', body('h', 10));
    // stdout gets its first NDJSON batch (64 KiB of events) while the first files are being read
    const io = memoryIo();
    let removed = false;
    io.out.on('data', () => {
      if (!removed) { removed = true; unlinkSync(last); }
    });
    const code = await main(['scan', '--json', '--quiet', ...first, last], io);
    assert.equal(removed, true);
    assert.equal(code, 2);
    const err = io.stderr();
    assert.match(err, /^audit: cannot read .*cli-last\.log: no such file or directory\n$/);
    const s = summaryOf(io.stdout());
    assert.equal(s.totals.lines, MERGE_WIDTH * 2000);
    assert.equal(s.totals.lines, s.totals.parsed + s.totals.unparsed + s.totals.skipped + s.totals.truncated);
  });
});
