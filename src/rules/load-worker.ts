// The thread load-apart.ts starts: loads the rule files or Sigma rules, posts what the loader gave (Sigma rules as
// their documents), and ends, and with it the YAML parser and recheck it loaded.
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadAnswer, LoadRequest } from './load-apart.js';

const port = parentPort;
if (port === null) throw new Error('src/rules/load-worker.js runs only as a worker thread');
const request = workerData as LoadRequest;
let answer: LoadAnswer;
try {
  if (request.what === 'rules') {
    const { loadRuleFiles } = await import('./load.js');
    answer = { ok: true, loaded: await loadRuleFiles(request.paths, request.cwd, new Set(request.taken)) };
  } else {
    const { loadSigma } = await import('../sigma/load.js');
    const { rules, skipped } = await loadSigma(request.paths, request.cwd);
    answer = { ok: true, loaded: { docs: rules.map((r) => ({ doc: r.doc, file: r.file })), skipped } };
  }
} catch (err) {
  answer = { ok: false, message: err instanceof Error ? err.message : String(err) };
}
port.postMessage(answer);
// recheck's native agent is a child process of this thread: stopped and waited for before the thread ends
await (await import('./redos.js')).stopRecheckAgent();
