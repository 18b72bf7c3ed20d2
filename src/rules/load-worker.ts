// The thread load-apart.ts starts: loads the rule files, posts what loadRuleFiles gave, and ends (with it the YAML
// parser and recheck it loaded).
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadAnswer, LoadRequest } from './load-apart.js';
import { loadRuleFiles } from './load.js';

const port = parentPort;
if (port === null) throw new Error('src/rules/load-worker.js runs only as a worker thread');
const { paths, cwd, taken } = workerData as LoadRequest;
let answer: LoadAnswer;
try {
  answer = { ok: true, loaded: await loadRuleFiles(paths, cwd, new Set(taken)) };
} catch (err) {
  answer = { ok: false, message: err instanceof Error ? err.message : String(err) };
}
port.postMessage(answer);
