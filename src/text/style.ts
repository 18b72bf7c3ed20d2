// Colours for human output: chalk when colour is on, a plain twin when it is off (golden files, pipes, NO_COLOR).
import { Chalk, type ChalkInstance } from 'chalk';
import type { Severity } from '../types.js';

export interface Style {
  readonly on: boolean;
  fatal(s: string): string;
  severity(sev: Severity, s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  warn(s: string): string;
  ok(s: string): string;
}

export function createStyle(color: boolean): Style {
  const c: ChalkInstance = new Chalk({ level: color ? 1 : 0 });
  const bySeverity: Record<Severity, (s: string) => string> = {
    info: (s) => c.gray(s),
    low: (s) => c.cyan(s),
    medium: (s) => c.yellow(s),
    high: (s) => c.red(s),
    critical: (s) => c.bold.red(s),
  };
  return {
    on: color,
    fatal: (s) => c.bold.red(s),
    severity: (sev, s) => bySeverity[sev](s),
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
    warn: (s) => c.yellow(s),
    ok: (s) => c.green(s),
  };
}

/** Colour is on only for a terminal, and never with NO_COLOR or --no-color. FORCE_COLOR=1 forces it on. */
export function wantColor(opts: { flag: boolean | undefined; tty: boolean; env: Readonly<Record<string, string | undefined>> }): boolean {
  if (opts.flag === false) return false;
  if (opts.env['NO_COLOR'] !== undefined && opts.env['NO_COLOR'] !== '') return false;
  const force = opts.env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return opts.tty && opts.env['TERM'] !== 'dumb';
}
