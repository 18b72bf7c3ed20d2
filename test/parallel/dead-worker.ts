// One file read in 4 KiB blocks by the main thread and a worker that dies while reading (crash-worker.ts): what a
// scan does when its worker fails. Shared by the tests of the main thread as a reader and of the jobs' ports.
import { Bus } from '../../src/bus.js';
import { Counter } from '../../src/counter/counter.js';
import { mergeLanes } from '../../src/merge.js';
import { BlockLane, type BlockSource } from '../../src/parallel/block-lane.js';
import { BlockCutter } from '../../src/parallel/blocks.js';
import { WorkerPool } from '../../src/parallel/pool.js';
import { collectSources } from '../../src/pipeline.js';
import { isProblem, type Source } from '../../src/sources/expand.js';
import { memoryIo } from '../helpers/io.js';

/** Reads `path` so, and returns the counter that saw the scan (its summary holds the problem). */
export async function readWithDeadWorker(path: string): Promise<Counter> {
  const bus = new Bus();
  const counter = new Counter(bus, { top: 5 });
  const { items } = await collectSources([path], memoryIo());
  const file = items[0] as Source;
  const pool = new WorkerPool(1, bus, new URL('./crash-worker.js', import.meta.url), true);
  const cutter = new BlockCutter(file.path!, file.size!, 4096);
  const base = { name: file.name, path: file.path!, mtime: null, now: 0, forced: null, maxLineBytes: 4096, since: null, until: null };
  let id = 1;
  const source: BlockSource = {
    next: () => cutter.next(),
    start: (block, sink, onMain) => pool.read(id++, { ...base, block }, file.size, sink, onMain),
    shares: { workerRoom: () => pool.workerRoom(), mainFree: () => pool.mainFree() },
  };
  const lane = new BlockLane(1, bus, source, { keepEvent: () => true, ahead: 3, format: null, aborted: () => false });
  try {
    await mergeLanes([file], isProblem, () => lane, () => Promise.resolve(lane.begin()), bus, { width: 1 });
  } finally {
    cutter.close();
    await pool.close();
  }
  return counter;
}
