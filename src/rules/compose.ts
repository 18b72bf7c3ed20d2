// The one place that decides which rules a command runs: users' rule files first (so a site can take a line before
// a built-in does), then the built-ins (unless --no-builtin), then Sigma rules (always additive). scan, phone and
// watch call buildRuleSet; `audit rules` uses it to list and test. Diagnostics go to stderr before any line is read.
import { RuleError, UsageError } from '../errors.js';
import type { LoadedSigma } from '../sigma/load.js';
import type { Io } from '../types.js';
import { BUILTIN_RULES } from './builtin/index.js';
import { compileRules, type CompiledRule } from './compile.js';
import { combineEngines, createEngine, type Engine } from './engine.js';

export interface RuleSetOptions {
  /** --rules paths (files or directories). */
  rules: readonly string[];
  /** --sigma paths. */
  sigma: readonly string[];
  /** false with --no-builtin. */
  builtin: boolean;
  /** Say on stderr how many Sigma rules were skipped (scan does, unless --quiet or --json). */
  warnSkipped?: boolean;
  /** The engine's events come with their addresses and accounts interned (engine.ts); default true. */
  internValues?: boolean;
}

export interface RuleSet {
  /** Built when first read. */
  readonly engine: Engine;
  /** User rules then built-ins, in the order the engine tries them. */
  rules: readonly CompiledRule[];
  /** Rule id -> the file a user rule came from; built-ins are absent. */
  origins: ReadonlyMap<string, string>;
  sigma: LoadedSigma;
}

let builtinCache: CompiledRule[] | null = null;
/** The built-in rules, compiled once per process. */
export function builtinRules(): CompiledRule[] {
  return (builtinCache ??= compileRules(BUILTIN_RULES, { builtin: true }));
}

export async function buildRuleSet(opts: RuleSetOptions, io: Io): Promise<RuleSet> {
  const base = opts.builtin ? builtinRules() : [];
  // Rule files and Sigma bring yaml and recheck (~0.2 s and ~35 MB to load): loaded only when asked for, on a thread
  // of their own (load-apart.ts), so that they do not stay in this one.
  const loaded = opts.rules.length === 0 ? null : await (await import('./load-apart.js')).loadRuleFilesApart(opts.rules, io.cwd, new Set(base.map((r) => r.id)));
  if (loaded !== null && loaded.diagnostics.length > 0) {
    const { formatDiagnostic } = await import('./diagnostic.js');
    for (const d of loaded.diagnostics) io.err.write(formatDiagnostic(d));
    const n = loaded.diagnostics.length;
    throw new RuleError(`${n} error${n === 1 ? '' : 's'} in rule files; nothing was read`, { hint: 'fix the rules above (audit rules validate PATH checks them alone)' });
  }
  const sigma: LoadedSigma = opts.sigma.length === 0 ? { rules: [], skipped: [] } : await (await import('./load-apart.js')).loadSigmaApart(opts.sigma, io.cwd);
  const rules = [...(loaded?.rules ?? []), ...base];
  if (rules.length === 0 && sigma.rules.length === 0) {
    throw new UsageError('no rules to run', { hint: '--no-builtin runs only the rules of --rules and --sigma; name at least one rule file' });
  }
  if (opts.warnSkipped === true && sigma.skipped.length > 0) {
    const n = sigma.skipped.length;
    io.err.write(`audit: warning: ${n} Sigma rule${n === 1 ? '' : 's'} skipped (other log sources or unsupported features); audit rules list --sigma ${opts.sigma.join(' ')} says why\n`);
  }
  const sigmaEngine = sigma.rules.length === 0 ? null : (await import('../sigma/engine.js')).createSigmaEngine(sigma.rules);
  let engine: Engine | null = null;
  return {
    // Built on first use (~50 ms): a scan whose lines are all read by worker threads never needs it on this one.
    get engine(): Engine {
      if (engine === null) {
        const main = createEngine({ rules, internValues: opts.internValues ?? true });
        engine = sigmaEngine === null ? main : combineEngines(main, sigmaEngine);
      }
      return engine;
    },
    rules, origins: loaded?.origins ?? new Map(), sigma,
  };
}
