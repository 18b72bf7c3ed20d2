// Every log format audit knows, in detection order: when two formats recognise as many lines with as few strikes,
// the earlier one wins. Specific formats come before the general ones they overlap with.
import type { LogFormat } from '../types.js';
import { apacheError } from './apache-error.js';
import { auditd } from './auditd.js';
import { journalJson } from './journal-json.js';
import { journalShort } from './journal-short.js';
import { jsonLines } from './json-lines.js';
import { logfmt } from './logfmt.js';
import { nginxError } from './nginx-error.js';
import { pythonLogging } from './python-logging.js';
import { syslog3164 } from './syslog-3164.js';
import { syslog5424 } from './syslog-5424.js';
import { webAccess } from './web-access.js';

export const FORMATS: readonly LogFormat[] = Object.freeze([
  journalJson, // before json: journald objects are JSON too
  syslog5424,
  auditd, // before syslog: audit records forwarded through syslog are syslog lines too
  syslog3164, // before journal: a plain `short` journal is a syslog file; markers and precise stamps tip it to journal
  journalShort,
  webAccess,
  nginxError,
  apacheError,
  pythonLogging,
  logfmt,
  jsonLines,
]);

const BY_NAME: ReadonlyMap<string, LogFormat> = new Map(FORMATS.map((f) => [f.name, f]));

/** The format called `name` (as --input-format takes it), or undefined. */
export function findFormat(name: string): LogFormat | undefined {
  return BY_NAME.get(name);
}

/** The names --input-format accepts, in detection order. */
export function formatNames(): string[] {
  return FORMATS.map((f) => f.name);
}
