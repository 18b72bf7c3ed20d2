// A worker entry point that dies on the first source it is given: for the test of a worker crash during a scan.
import { parentPort } from 'node:worker_threads';
import type { ToWorker } from '../../src/parallel/protocol.js';

parentPort?.on('message', (msg: ToWorker) => {
  if (msg.t === 'read') throw new Error(`boom while reading ${msg.job.name}\nsecond line of the message`);
});
