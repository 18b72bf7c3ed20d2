// --alerts FILE: every alert appended to a file as one NDJSON line (the --json alert line), written through at once
// so that another program tailing the file sees each alert the moment it is raised, and a crash loses none.
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Bus } from '../bus.js';
import { InputError, describeSystemError } from '../errors.js';
import type { Redact } from '../text/redact.js';
import type { Alert } from '../types.js';
import { alertLine, maskStrings } from './ndjson.js';

export interface AlertsFile {
  /** Alerts written so far. */
  readonly written: number;
  /** A write failed (disk full, file gone); later alerts were not written. */
  readonly failed: boolean;
  close(): void;
}

/**
 * Opens (creates, appends to) the file at once: a path that cannot be written is a usage error before the scan.
 * With `redact` (--redact), the text in each line is masked as it is in --json.
 */
export function attachAlertsFile(bus: Bus, path: string, cwd: string, redact: Redact | null = null): AlertsFile {
  let fd: number;
  try {
    fd = openSync(resolve(cwd, path), 'a', 0o640); // alerts name addresses and accounts: not world-readable
  } catch (err) {
    const { message } = describeSystemError(err);
    throw new InputError(`--alerts: cannot open ${path}: ${message}`);
  }
  const mask = redact === null ? null : maskStrings(redact);
  let written = 0;
  let failed = false;
  const onAlert = (a: Alert): void => {
    if (failed) return;
    try {
      writeSync(fd, alertLine(a, mask)); // synchronous: bus listeners are, and O_APPEND keeps each line whole
      written++;
    } catch {
      failed = true; // disk full or gone: the terminal and --json still carry the alerts
    }
  };
  bus.on('alert', onAlert);
  return {
    get written() {
      return written;
    },
    get failed() {
      return failed;
    },
    close() {
      bus.off('alert', onAlert);
      closeSync(fd);
    },
  };
}
