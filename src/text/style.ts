// Colours for human output: chalk when colour is on, a plain twin when it is off (golden files, pipes, NO_COLOR).
// chalk is imported only when colour is on: loading it cost every scan ~50 M instructions (~15 ms), colour or not.
import type { ChalkInstance } from 'chalk';
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

const same = (s: string): string => s;

/** What chalk at level 0 gives: every text as it is. */
const PLAIN: Style = Object.freeze({
  on: false, fatal: same, severity: (_sev: Severity, s: string) => s, dim: same, bold: same, warn: same, ok: same,
});

/** The style for colour on or off; chalk is loaded the first time colour is asked for. */
export async function createStyle(color: boolean): Promise<Style> {
  if (!color) return PLAIN;
  const { Chalk } = await import('chalk');
  return chalkStyle(new Chalk({ level: 1 }));
}

function chalkStyle(c: ChalkInstance): Style {
  const bySeverity: Record<Severity, (s: string) => string> = {
    info: (s) => c.gray(s),
    low: (s) => c.cyan(s),
    medium: (s) => c.yellow(s),
    high: (s) => c.red(s),
    critical: (s) => c.bold.red(s),
  };
  return {
    on: true,
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
