// The entry point of a worker thread of a parallel scan: builds the rules engine from the rules the main thread
// compiled, then reads the sources the main thread hands it (several at once, each paused on its own) and
// answers with batches (read-job.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { combineEngines, createEngine, type Engine } from '../rules/engine.js';
import { BufferPool } from './buffers.js';
import { batchesTo, JobControl, runJob } from './read-job.js';
import type { FromWorker, SigmaSource, ToWorker, WorkerData } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('src/parallel/worker.js runs only as a worker thread');

// The engine buildRuleSet builds (src/rules/compose.ts) for the same rules, in the same order: the rules, then the
// Sigma rules compiled again from their documents (their modules are loaded only then).
const { rules, sigma } = workerData as WorkerData;
// Its events are packed and cloned for the main thread (event-pack.ts): interning their values here would only hold
// memory (~3 MiB of recent values on 8,000,000 auth lines).
const own = (): Engine => createEngine({ rules, internValues: false });
const engine = sigma.length === 0 ? own() : await withSigma(own(), sigma);
const jobs = new Map<number, JobControl>();
const buffers = new BufferPool();
const note = (msg: FromWorker): void => port.postMessage(msg);
// Blocks of a file are read one after another (the next one is queued while this one is read): two at once would
// only share the thread and keep both half-delivered.
let blocks: Promise<void> = Promise.resolve();

port.on('message', (msg: ToWorker) => {
  switch (msg.t) {
    case 'read': {
      const { id, job } = msg;
      const control = new JobControl(job.block === null);
      jobs.set(id, control);
      const run = (): Promise<void> => runJob(id, job, engine, control, batchesTo(id, msg.port, note), buffers).finally(() => jobs.delete(id));
      if (job.block === null) void run();
      else blocks = blocks.then(run);
      break;
    }
    case 'consumed':
      jobs.get(msg.id)?.consumed(msg.lines);
      break;
    case 'abort':
      for (const control of jobs.values()) control.abort();
      break;
    case 'buffer':
      buffers.give(msg.buffer);
      break;
  }
});

async function withSigma(main: Engine, sources: readonly SigmaSource[]): Promise<Engine> {
  const [{ compileSigma }, { createSigmaEngine }] = await Promise.all([import('../sigma/compile.js'), import('../sigma/engine.js')]);
  return combineEngines(main, createSigmaEngine(sources.map((s) => compileSigma(s.doc, s.file))));
}
