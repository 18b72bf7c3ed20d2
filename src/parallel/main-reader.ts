// The main thread as one more reader: of a file's blocks (block-lane.ts gives it one when every worker has its fill),
// or of one whole file at a time among several (run.ts). The same runJob as a worker thread, with the same rules,
// whose messages go straight to the pool. What is read here is not posted between threads (its batches wait
// in their job's port as a worker's do, pool.ts), and needs no worker of its own (start-up, JIT warm-up, heap).
import type { Engine } from '../rules/engine.js';
import { BufferPool } from './buffers.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { batchesTo, JobControl, runJob } from './read-job.js';

export class MainReader {
  /** Built on the first block (the scan's own engine may never be built: scan.ts builds it on first read). */
  private engine: Engine | null = null;
  private readonly jobs = new Map<number, JobControl>();
  private readonly buffers = new BufferPool();
  /** Blocks are read one after another, as in a worker: the next one starts once this one ended. */
  private queue: Promise<void> = Promise.resolve();

  /** `makeEngine`: the engine of the workers' rules, for this thread (pool.ts). */
  constructor(private readonly makeEngine: () => Engine, private readonly deliver: (msg: FromWorker) => void) {}

  /** A message the pool would post to a worker. */
  take(msg: ToWorker): void {
    switch (msg.t) {
      case 'read': {
        const { id, job } = msg;
        const control = new JobControl(job.block === null);
        this.jobs.set(id, control);
        const run = (): Promise<void> => {
          this.engine ??= this.makeEngine();
          return runJob(id, job, this.engine, control, batchesTo(id, msg.port, this.deliver), this.buffers).finally(() => this.jobs.delete(id));
        };
        this.queue = this.queue.then(run);
        break;
      }
      case 'consumed':
        this.jobs.get(msg.id)?.consumed(msg.lines);
        break;
      case 'abort':
        for (const control of this.jobs.values()) control.abort();
        break;
      case 'buffer':
        this.buffers.give(msg.buffer);
        break;
    }
  }
}
