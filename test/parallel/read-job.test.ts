// The worker's side, run in-process: what a source becomes in batches (keys, outcomes, marked lines, 404s), a failed
// open, and reading that pauses while too many lines wait on the main thread.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { NUMS_PER_EVENT } from '../../src/parallel/event-pack.js';
import type { Batch, JobMessage, ReadJob } from '../../src/parallel/protocol.js';
import { BATCH_LINES, HIGH_WATER, JobControl, runJob } from '../../src/parallel/read-job.js';
import { builtinRules } from '../../src/rules/compose.js';
import { createEngine } from '../../src/rules/engine.js';
import { writePair, type Pair } from './pair.js';

const engine = createEngine({ rules: builtinRules() });
const NOW = Date.parse('2026-11-26T12:00:00Z');

function job(path: string, extra: Partial<ReadJob> = {}): ReadJob {
  return { name: 'x.log', path, mtime: NOW, now: NOW, forced: null, maxLineBytes: 1024, since: null, until: null, block: null, ...extra } as ReadJob;
}

async function run(j: ReadJob): Promise<JobMessage[]> {
  const got: JobMessage[] = [];
  await runJob(7, j, engine, new JobControl(), (m) => got.push(m));
  return got;
}

describe('reading a source in a worker', () => {
  let pair: Pair;
  let small: string;
  before(() => {
    pair = writePair(BATCH_LINES + 10, 10);
    small = join(pair.dir, 'small.log');
    writeFileSync(small, [
      'Nov 24 10:00:05 web1 sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2',
      'no time here',
      '',
      'Nov 24 10:00:03 web1 CRON[2]: (root) CMD (true)',
      'Nov 24 10:00:09 web1 sshd[1]: Accepted password for root from 198.51.100.7 port 2 ssh2',
    ].join('\n') + '\n');
  });
  after(() => rmSync(pair.dir, { recursive: true, force: true }));

  it('posts open, one batch with a key and an outcome per line, marks for lines with events, then end', async () => {
    const got = await run(job(small));
    assert.deepEqual(got.map((m) => m.t), ['open', 'batch', 'end']);
    const b = got[1] as Batch;
    const t = (s: string): number => Date.parse(`2026-11-24T10:00:${s}Z`);
    assert.equal(b.first, 1);
    assert.deepEqual([...b.keys], [t('05'), t('05'), t('05'), t('03'), t('09')]); // no time: the key before it
    assert.deepEqual([...b.outcomes], [0, 1, 2, 0, 0]); // parsed, unparsed, skipped (blank), parsed, parsed
    // line index, time, flags, events: the failed password and the root login
    assert.deepEqual([...b.marks], [0, t('05'), 0, 1, 4, t('09'), 0, 1]);
    assert.equal(b.events.nums.length / NUMS_PER_EVENT, 2);
    // one buffer for all of them: one transfer, and one buffer given back (buffers.ts)
    for (const a of [b.outcomes, b.marks, b.events.nums]) assert.equal(a.buffer, b.keys.buffer);
    assert.deepEqual(b.web, []);
    assert.equal(b.bytes, 233); // the whole file, read before its last batch went
    assert.deepEqual(got[2], { t: 'end', id: 7, bytes: 0, summary: { format: 'syslog', reason: b.reason }, tail: null });
  });

  it('counts lines outside --since/--until as skipped, and runs no rules on them', async () => {
    const got = await run(job(small, { since: Date.parse('2026-11-24T10:00:04Z') }));
    const b = got[1] as Batch;
    assert.deepEqual([...b.outcomes], [0, 1, 2, 2, 0]);
    assert.equal(b.marks.length / 4, 2);
  });

  it('sends the status, address and message of 404s, with the last time when the line has none', async () => {
    const got = await run(job(pair.access));
    const b = got[1] as Batch;
    assert.equal(b.web[0], '203.0.113.200'); // per 404: its address, then its message
    assert.match(b.web[1]!, /GET \/wp-admin\/x0\.php/);
    assert.equal(b.web.length, 8); // lines 1, 3, 7 and 9 answered 404
  });

  it('says a file that cannot be opened as a problem, and ends without a summary', async () => {
    const got = await run(job(join(pair.dir, 'nope.log')));
    assert.deepEqual(got, [
      { t: 'problem', id: 7, problem: { source: 'x.log', message: 'cannot read x.log: no such file or directory', code: 'ENOENT', level: 'error' } },
      { t: 'end', id: 7, bytes: 0, summary: null },
    ]);
  });

  it('pauses past the high-water mark until the main thread hands lines back', async () => {
    const big = writePair(HIGH_WATER + 3 * BATCH_LINES, 1);
    try {
      const control = new JobControl();
      let posted = 0;
      let ended = false;
      const done = runJob(1, job(big.auth, { maxLineBytes: 8192 }), engine, control, (m) => {
        if (m.t === 'batch') posted += m.keys.length;
        if (m.t === 'end') ended = true;
      });
      // reading is I/O: on a loaded machine it can take many event-loop turns to get there
      const until = Date.now() + 20_000;
      while (posted < HIGH_WATER && Date.now() < until) await tick();
      for (let i = 0; i < 50; i++) await tick(); // time to read on, if it did not pause
      assert.equal(ended, false);
      assert.ok(posted >= HIGH_WATER && posted < HIGH_WATER + 2 * BATCH_LINES, String(posted));
      control.consumed(posted);
      await done;
      assert.equal(posted, HIGH_WATER + 3 * BATCH_LINES);
    } finally {
      rmSync(big.dir, { recursive: true, force: true });
    }
  });
});
