// The bench runs `audit` through process.execPath (so that no PATH lookup or `env` start is timed) but with the Node
// flags of the entry point's own `#!/usr/bin/env -S node ...` line: each build is measured as a user runs it, and a
// flag added to bin/audit.js is measured without a second copy here to keep in step.
import { readFileSync } from 'node:fs';

/** The Node flags on the first line of `text` when it is a `#!... node FLAGS` line; [] otherwise. */
export function shebangFlags(text: string): string[] {
  const end = text.indexOf('\n');
  const first = (end < 0 ? text : text.slice(0, end)).trim();
  if (!first.startsWith('#!')) return [];
  const words = first.slice(2).trim().split(/\s+/);
  const node = words.findIndex((w) => w === 'node' || w.endsWith('/node'));
  return node < 0 ? [] : words.slice(node + 1).filter((w) => w.startsWith('--'));
}

/** shebangFlags of the file at `path`. */
export function flagsOf(path: string): string[] {
  return shebangFlags(readFileSync(path, 'utf8'));
}
