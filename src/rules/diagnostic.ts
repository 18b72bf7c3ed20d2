// A problem in a user's rule file, and how it is written: apart from the loader (load.ts), whose YAML parser a scan
// need not load to print what the loader found on a thread of its own (load-apart.ts).
import { sanitize } from '../text/sanitize.js';

export interface Diagnostic {
  file: string;
  line: number; // 1-based; 0 when the problem is the file itself
  column: number;
  message: string;
  hint?: string;
}

/** `file:line:column: error: message` and an indented hint, as compilers write them. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line === 0 ? d.file : `${d.file}:${d.line}:${d.column}`;
  // Rule files are user text (a key may hold a terminal escape): sanitized like log text.
  return sanitize(`${where}: error: ${d.message}`) + '\n' + (d.hint === undefined ? '' : `  hint: ${sanitize(d.hint)}\n`);
}
