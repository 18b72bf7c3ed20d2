// Loads Sigma rules from files and directories: YAML documents -> SigmaRules, each `|re` screened for ReDoS. A
// rule that cannot run here (other log source, unsupported modifier, broken) is skipped with its reason, never
// fatal: a SigmaHQ checkout mixes every platform. `invalid` skips are errors for `audit rules validate`.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseAllDocuments } from 'yaml';
import { checkPatterns, describeVerdict } from '../rules/redos.js';
import { listYamlFiles } from '../rules/yaml-files.js';
import { compileSigma, type SigmaRule } from './compile.js';
import { SigmaUnsupported } from './modifiers.js';

export interface SigmaSkip {
  file: string;
  line: number;
  column: number;
  title: string | null;
  reason: string;
  /** The rule is broken (or cannot be read), as opposed to written for a log source or feature we do not read. */
  invalid: boolean;
}

export interface LoadedSigma {
  rules: SigmaRule[];
  skipped: SigmaSkip[];
}

/** Loads every Sigma rule under `paths`. Duplicate ids keep the first rule. */
export async function loadSigma(paths: readonly string[], cwd: string): Promise<LoadedSigma> {
  const problems: { file: string; line: number; column: number; message: string }[] = [];
  const files = await listYamlFiles(paths, cwd, problems);
  const skipped: SigmaSkip[] = problems.map((p) => ({ ...p, title: null, reason: p.message, invalid: true }));
  let candidates: { rule: SigmaRule; line: number }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file.path, 'utf8');
    } catch (err) {
      skipped.push({ file: file.name, line: 0, column: 0, title: null, reason: `cannot read: ${(err as Error).message}`, invalid: true });
      continue;
    }
    candidates.push(...parseSigmaFile(file.name, text, skipped));
  }
  candidates = await screen(candidates, skipped);
  const seen = new Map<string, string>();
  const rules: SigmaRule[] = [];
  for (const { rule, line } of candidates) {
    const first = seen.get(rule.id);
    if (first !== undefined) {
      skipped.push({ file: rule.file, line, column: 1, title: rule.title, reason: `duplicate id ${rule.id} (first in ${first})`, invalid: true });
      continue;
    }
    seen.set(rule.id, rule.file);
    rules.push(rule);
  }
  return { rules, skipped };
}

function parseSigmaFile(name: string, text: string, skipped: SigmaSkip[]): { rule: SigmaRule; line: number }[] {
  const lc = new LineCounter();
  const out: { rule: SigmaRule; line: number }[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lc, prettyErrors: false })) {
    const start = lc.linePos(doc.range[0]);
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const p = lc.linePos(e.pos[0]);
      skipped.push({ file: name, line: p.line, column: p.col, title: null, reason: `YAML: ${e.message.split('\n')[0]}`, invalid: true });
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue; // an empty document (a trailing ---)
    const title = (value as { title?: unknown }).title;
    try {
      out.push({ rule: compileSigma(value, name), line: start.line });
    } catch (err) {
      if (!(err instanceof SigmaUnsupported)) throw err;
      skipped.push({
        file: name, line: start.line, column: start.col, title: typeof title === 'string' ? title : null,
        reason: err.message.replace(/^invalid: /, ''), invalid: err.message.startsWith('invalid') || err.message.startsWith('condition'),
      });
    }
  }
  return out;
}

/** Drops the rules with a `|re` pattern that recheck cannot prove linear. */
async function screen(list: { rule: SigmaRule; line: number }[], skipped: SigmaSkip[]): Promise<{ rule: SigmaRule; line: number }[]> {
  const uses = list.flatMap((c, i) => c.rule.regexes.map((r) => ({ ...r, i })));
  const verdicts = await checkPatterns(uses);
  const refused = new Map<number, string>();
  verdicts.forEach((v, k) => {
    if (v.status !== 'safe' && !refused.has(uses[k]!.i)) refused.set(uses[k]!.i, `|re '${uses[k]!.source}': ${describeVerdict(v)}`);
  });
  return list.filter((c, i) => {
    const why = refused.get(i);
    if (why === undefined) return true;
    skipped.push({ file: c.rule.file, line: c.line, column: 1, title: c.rule.title, reason: why, invalid: false });
    return false;
  });
}
