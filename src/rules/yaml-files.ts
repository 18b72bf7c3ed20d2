// The YAML files that --rules / --sigma paths name: a file as given, or every *.yml / *.yaml under a directory
// (recursively, sorted, so that load order and diagnostics are stable).
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describeSystemError } from '../errors.js';

export interface YamlFile {
  /** Absolute path, for reading. */
  path: string;
  /** As the user would write it: relative to cwd when inside it. */
  name: string;
}

const YAML = /\.ya?ml$/i;
// A rule tree deeper than this is a symlink loop or a mistake.
const MAX_DEPTH = 32;

/** Problems are reported as file-level diagnostics (line 0) in `problems`, not thrown. */
export async function listYamlFiles(
  paths: readonly string[],
  cwd: string,
  problems: { file: string; line: number; column: number; message: string }[],
): Promise<YamlFile[]> {
  const out: YamlFile[] = [];
  const name = (abs: string): string => {
    const rel = relative(cwd, abs);
    return rel !== '' && !rel.startsWith('..') ? rel : abs;
  };
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < MAX_DEPTH) await walk(p, depth + 1);
      else if (e.isFile() && YAML.test(e.name)) out.push({ path: p, name: name(p) });
    }
  };
  for (const given of paths) {
    const abs = resolve(cwd, given);
    try {
      const st = await stat(abs);
      if (st.isDirectory()) await walk(abs, 0);
      else out.push({ path: abs, name: given });
    } catch (err) {
      problems.push({ file: given, line: 0, column: 0, message: `cannot read: ${describeSystemError(err).message}` });
    }
  }
  return out;
}
