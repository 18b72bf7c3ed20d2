// `audit rules list|test|validate`: what rules there are, what they match in sample logs, whether rule files are valid.
import { performance } from 'node:perf_hooks';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { ExitHolder } from '../cli.js';
import { EXIT } from '../errors.js';
import { buildRuleSet, builtinRules, type RuleSet } from '../rules/compose.js';
import { testRules, type RuleRow, type TestReport } from '../rules/tester.js';
import { listYamlFiles } from '../rules/yaml-files.js';
import { toLine } from '../reporters/ndjson.js';
import { clip, sanitize } from '../text/sanitize.js';
import type { Io } from '../types.js';
import { parseCount } from './options.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];
const SIGMA_KEYS = /^(?:detection|logsource):/m;

export function rulesCommand(io: Io, exit: ExitHolder): Command {
  const cmd = new Command('rules').description('list, test and validate detection rules (yours, the built-ins, Sigma)');
  // cli.ts sets exitOverride and output on this command once it is built: pass them on to list/test/validate.
  cmd.hook('preSubcommand', (parent, sub) => {
    sub.copyInheritedSettings(parent);
  });
  cmd.command('list')
    .description('table of every rule: id, type, severity, and where it comes from')
    .option('--rules <path>', 'also rule files (YAML) or directories; repeatable', collect, [])
    .option('--sigma <path>', 'also Sigma rules; shows what was loaded and what was skipped and why; repeatable', collect, [])
    .option('--no-builtin', 'leave out the built-in rules')
    .option('--json', 'one JSON object per rule (and per skipped Sigma rule)')
    .action(async (raw: { rules: string[]; sigma: string[]; builtin: boolean; json?: boolean }) => {
      const set = await buildRuleSet({ rules: raw.rules, sigma: raw.sigma, builtin: raw.builtin }, io);
      writeList(set, raw.json === true, io);
      exit.code = EXIT.ok;
    });
  cmd.command('test')
    .description('run rules over sample logs (like fail2ban-regex): matches per rule with samples, lines no rule matched')
    .argument('<rules>', 'a rule file or directory (ours or Sigma: told apart by content)')
    .argument('<logs...>', 'log files or directories to test on')
    .option('--builtin', 'also run the built-in rules (a line they take first is then not counted for yours)')
    .option('--samples <n>', 'sample matches shown per rule', '3')
    .option('--unmatched <n>', 'lines matched by no rule shown', '10')
    .option('--json', 'the report as one JSON object')
    .action(async (rules: string, logs: string[], raw: { builtin?: boolean; samples: string; unmatched: string; json?: boolean }) => {
      const samples = parseCount('--samples', raw.samples, 0, 1000);
      const unmatched = parseCount('--unmatched', raw.unmatched, 0, 100_000);
      const sigma = await isSigma(rules, io);
      const set = await buildRuleSet({ rules: sigma ? [] : [rules], sigma: sigma ? [rules] : [], builtin: raw.builtin === true }, io);
      const report = await testRules(rowsOf(set), set.engine, logs, { samples, unmatched, clock: () => performance.now() }, io);
      io.out.write(raw.json === true ? toLine(report) : renderTest(report, set));
      exit.code = report.problems.length > 0 ? EXIT.input : EXIT.ok;
    });
  cmd.command('validate')
    .description('check rule files (ours or Sigma) without reading any log; exit 2 on any error')
    .argument('<paths...>', 'rule files or directories')
    .action(async (paths: string[]) => {
      exit.code = await validate(paths, io);
    });
  return cmd;
}

/** Whether a path holds Sigma rules: its first YAML file has top-level `detection:` or `logsource:`. */
async function isSigma(path: string, io: Io): Promise<boolean> {
  const files = await listYamlFiles([path], io.cwd, []);
  if (files.length === 0) return false;
  try {
    return SIGMA_KEYS.test(await readFile(files[0]!.path, 'utf8'));
  } catch {
    return false;
  }
}

function rowsOf(set: RuleSet): RuleRow[] {
  const rows: RuleRow[] = set.rules.map((r) => ({ id: r.id, type: r.type, severity: r.severity, source: set.origins.get(r.id) ?? 'built-in' }));
  for (const s of set.sigma.rules) rows.push({ id: `sigma:${s.id}`, type: 'sigma.match', severity: s.severity, source: `sigma ${s.file}` });
  return rows;
}

/** Columns padded to their widest cell; the last column is not padded. */
function columns(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ') + '\n').join('');
}

function writeList(set: RuleSet, json: boolean, io: Io): void {
  const rows = rowsOf(set);
  if (json) {
    for (const r of rows) io.out.write(toLine({ kind: 'rule', ...r }));
    for (const s of set.sigma.skipped) io.out.write(toLine({ kind: 'skipped', file: s.file, line: s.line, title: s.title, reason: s.reason }));
    return;
  }
  io.out.write(columns([['ID', 'TYPE', 'SEVERITY', 'SOURCE'], ...rows.map((r) => [sanitize(r.id), r.type, r.severity, sanitize(r.source)])]));
  const sigmaFiles = set.sigma.rules.length + set.sigma.skipped.length;
  io.out.write(`\n${rows.length} rules` + (sigmaFiles > 0 ? `; Sigma: ${set.sigma.rules.length} loaded, ${set.sigma.skipped.length} skipped` : '') + '\n');
  if (set.sigma.skipped.length === 0) return;
  io.out.write('\nSkipped Sigma rules:\n');
  for (const s of set.sigma.skipped) {
    io.out.write(`  ${sanitize(s.file)}:${s.line}  ${clip(s.title ?? '(no title)', 60)}\n    ${sanitize(s.reason)}\n`);
  }
}

function renderTest(r: TestReport, set: RuleSet): string {
  const out: string[] = [];
  const formats = r.formats.map((f) => `${sanitize(f.source)} (${f.format ?? 'no format recognised'})`).join(', ');
  out.push(`Lines: ${r.lines.total} read, ${r.lines.parsed} parsed, ${r.lines.unparsed} unparsed, ${r.lines.skipped} skipped, ${r.lines.truncated} truncated`);
  out.push(`Sources: ${formats || 'none'}`);
  for (const p of r.problems) out.push(`Problem: ${sanitize(p)}`);
  out.push('', `Rules (${r.rules.length}):`);
  for (const rule of r.rules) {
    out.push(`  ${sanitize(rule.id)}  ${rule.type}  ${rule.severity}  ${rule.matches} match${rule.matches === 1 ? '' : 'es'}`);
    for (const s of rule.samples) {
      const values = [['ip', s.ip], ['port', s.port], ['user', s.user], ['phone', s.phone]]
        .filter(([, v]) => v !== null).map(([k, v]) => `${k}=${sanitize(String(v))}`).join(' ');
      out.push(`    ${sanitize(s.file)}:${s.line}  ${values || '(no values)'}`, `      ${clip(s.message, 100)}`);
    }
  }
  const shown = r.unmatched.first.length;
  out.push('', `Lines matched by no rule: ${r.unmatched.count}` + (shown < r.unmatched.count ? ` (first ${shown})` : ''));
  for (const u of r.unmatched.first) out.push(`  ${sanitize(u.file)}:${u.line}  ${clip(u.text, 110)}`);
  if (set.sigma.skipped.length > 0) out.push('', `Sigma rules skipped: ${set.sigma.skipped.length} (audit rules list --sigma PATH says why)`);
  out.push('', `Time: ${r.ms} ms`);
  return out.join('\n') + '\n';
}

async function validate(paths: readonly string[], io: Io): Promise<number> {
  // The YAML loaders (and the yaml package, ~40 ms to load) only for this command: every other command starts without.
  const { formatDiagnostic, loadRuleFiles } = await import('../rules/load.js');
  const { loadSigma } = await import('../sigma/load.js');
  let errors = 0;
  let count = 0;
  for (const path of paths) {
    if (await isSigma(path, io)) {
      const loaded = await loadSigma([path], io.cwd);
      count += loaded.rules.length;
      for (const s of loaded.skipped) {
        if (s.invalid) {
          errors++;
          io.err.write(formatDiagnostic({ file: s.file, line: s.line, column: s.column, message: s.reason }));
        } else {
          io.err.write(`${sanitize(s.file)}:${s.line}:${s.column}: note: skipped: ${sanitize(s.reason)}\n`);
        }
      }
      continue;
    }
    const loaded = await loadRuleFiles([path], io.cwd, new Set(builtinRules().map((r) => r.id)));
    count += loaded.rules.length;
    errors += loaded.diagnostics.length;
    for (const d of loaded.diagnostics) io.err.write(formatDiagnostic(d));
  }
  if (errors > 0) {
    io.err.write(`audit: ${errors} error${errors === 1 ? '' : 's'} in rule files\n`);
    return EXIT.usage;
  }
  io.out.write(`ok: ${count} rule${count === 1 ? '' : 's'} valid\n`);
  return EXIT.ok;
}
