// Loads users' rule files on a thread of its own (load-worker.ts), for a scan: the YAML parser and recheck (the ReDoS
// screening) take ~20 MB of memory once loaded, and a module cannot be unloaded, so in the scan's own thread they
// stayed for the whole scan (peak RSS on 2,000,000 auth lines with one rule file: ~121 MB, ~110 MB loaded apart; with
// --threads, whose workers get the compiled rules, over the 150 MB bound). The rules come back compiled, by the same
// structured clone that hands them to the scan's worker threads (plain data, RegExps, Sets), with the diagnostics
// loadRuleFiles gives. Starting the thread costs ~0.08 s, the price of a bounded peak.
import { Worker } from 'node:worker_threads';
import type { LoadedRules } from './load.js';

export interface LoadRequest {
  paths: readonly string[];
  cwd: string;
  taken: readonly string[];
}

/** What the thread answers: the loaded rules, or the message of what loadRuleFiles threw (an internal error). */
export type LoadAnswer = { ok: true; loaded: LoadedRules } | { ok: false; message: string };

const LOAD_WORKER_URL = new URL('./load-worker.js', import.meta.url);

/**
 * loadRuleFiles(paths, cwd, taken) on a thread that ends with it. If the thread cannot run (no memory for one, a
 * test's broken `script`), the files are loaded on this thread instead: the same rules, only the memory differs.
 */
export async function loadRuleFilesApart(paths: readonly string[], cwd: string, taken: ReadonlySet<string>, script: URL = LOAD_WORKER_URL): Promise<LoadedRules> {
  const answer = await new Promise<LoadAnswer | null>((resolve) => {
    const request: LoadRequest = { paths, cwd, taken: [...taken] };
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: request });
    } catch {
      resolve(null);
      return;
    }
    worker.once('message', (a: LoadAnswer) => resolve(a));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null)); // after the message, if any: a settled promise keeps the first
  });
  if (answer === null) return (await import('./load.js')).loadRuleFiles(paths, cwd, taken);
  if (!answer.ok) throw new Error(answer.message);
  return answer.loaded;
}
