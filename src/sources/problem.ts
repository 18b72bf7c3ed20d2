// Turns an error met while finding or reading a source into the one-line SourceProblem the summary shows.
import { describeSystemError } from '../errors.js';
import type { SourceProblem } from '../types.js';
import { BINARY } from './open.js';

/**
 * BINARY (from open) is a warning: the file was passed over on purpose. Anything else is an error (the input could
 * not be read: exit code 2), e.g. `cannot read /var/log/btmp: permission denied`, `cannot read auth.log.2.gz:
 * truncated gzip data`.
 */
export function problemFromError(name: string, err: unknown): SourceProblem {
  const { code, message } = describeSystemError(err);
  if (code === BINARY) return { source: name, message: `skipped binary file ${name}`, code, level: 'warning' };
  return { source: name, message: `cannot read ${name}: ${message}`, code, level: 'error' };
}
