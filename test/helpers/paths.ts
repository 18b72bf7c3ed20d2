// Paths for tests: fixtures resolve from the repository root, wherever the compiled tests run from.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function isRepoRoot(dir: string): boolean {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return false;
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'audit';
  } catch {
    return false;
  }
}

function findRoot(): string {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = resolve(start);
    for (;;) {
      if (isRepoRoot(dir)) return dir;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error('cannot find the repository root (package.json named "audit")');
}

export const ROOT = findRoot();
export const fixture = (...parts: string[]): string => join(ROOT, 'fixtures', ...parts);
