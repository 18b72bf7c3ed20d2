// Loads users' rule files and Sigma rules on a thread of its own (load-worker.ts), for a scan: the YAML parser and
// recheck (the ReDoS screening) take ~20 MB of memory once loaded, and a module cannot be unloaded, so in the scan's
// own thread they stayed for the whole scan (peak RSS on 2,000,000 auth lines with one rule file: ~121 MB, ~110 MB
// loaded apart; with --threads, whose workers get the compiled rules, over the 150 MB bound). Rule files come back
// compiled, by the same structured clone that hands them to the scan's worker threads (plain data, RegExps, Sets),
// with the diagnostics loadRuleFiles gives; Sigma rules come back as the documents the thread loaded and screened,
// and are compiled here (their tests are closures), with the skips loadSigma gives. Starting the thread costs ~0.08
// s, the price of a bounded peak.
import { Worker } from 'node:worker_threads';
import type { LoadedSigma, SigmaSkip } from '../sigma/load.js';
import type { LoadedRules } from './load.js';

export type LoadRequest =
  | { what: 'rules'; paths: readonly string[]; cwd: string; taken: readonly string[] }
  | { what: 'sigma'; paths: readonly string[]; cwd: string };

/** Sigma rules as the thread sends them: what compileSigma(doc, file) makes again, in order. */
export interface SigmaDocs {
  docs: { doc: unknown; file: string }[];
  skipped: SigmaSkip[];
}

/** What the thread answers: what the loader gave, or the message of what it threw (an internal error). */
export type LoadAnswer = { ok: true; loaded: LoadedRules | SigmaDocs } | { ok: false; message: string };

const LOAD_WORKER_URL = new URL('./load-worker.js', import.meta.url);

/**
 * loadRuleFiles(paths, cwd, taken), on a thread that ends with it. If the thread cannot run (no memory for one, a
 * test's broken `script`), the files are loaded on this thread instead: the same rules, only the memory differs.
 */
export async function loadRuleFilesApart(paths: readonly string[], cwd: string, taken: ReadonlySet<string>, script: URL = LOAD_WORKER_URL): Promise<LoadedRules> {
  const loaded = await onThread({ what: 'rules', paths, cwd, taken: [...taken] }, script);
  return loaded === null ? (await import('./load.js')).loadRuleFiles(paths, cwd, taken) : (loaded as LoadedRules);
}

/** loadSigma(paths, cwd), the loading and screening on a thread that ends with it (or here, as above). */
export async function loadSigmaApart(paths: readonly string[], cwd: string, script: URL = LOAD_WORKER_URL): Promise<LoadedSigma> {
  const loaded = await onThread({ what: 'sigma', paths, cwd }, script);
  if (loaded === null) return (await import('../sigma/load.js')).loadSigma(paths, cwd);
  const { docs, skipped } = loaded as SigmaDocs;
  const { compileSigma } = await import('../sigma/compile.js');
  return { rules: docs.map((d) => compileSigma(d.doc, d.file)), skipped };
}

/** The loader's answer from a thread; null when the thread could not run or died without one. */
async function onThread(request: LoadRequest, script: URL): Promise<LoadedRules | SigmaDocs | null> {
  const answer = await new Promise<LoadAnswer | null>((resolve) => {
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
  if (answer === null) return null;
  if (!answer.ok) throw new Error(answer.message);
  return answer.loaded;
}
