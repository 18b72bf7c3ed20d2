// Option values and option groups shared by the commands. Each parser turns a flag's text into a typed value or
// throws a UsageError that names the flag, the bad value and what would be right; the with*Options functions add a
// group of flags that several commands take, so that the flags mean the same everywhere.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Redact, RedactOptions } from '../text/redact.js';
import { SEVERITIES, isSeverity, type Io, type Severity } from '../types.js';

export function parseSeverity(flag: string, value: string): Severity {
  const v = value.toLowerCase();
  if (isSeverity(v)) return v;
  throw new UsageError(`${flag}: unknown severity '${value}'`, { hint: `use one of: ${SEVERITIES.join(', ')}` });
}

export function parseCount(flag: string, value: string, min = 1, max = 1_000_000_000): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: '${value}' is not a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag}: ${n} is out of range (${min} to ${max})`);
  return n;
}

/** A size such as 1048576, 64k, 1m (binary units). */
export function parseSize(flag: string, value: string, min: number, max: number): number {
  const m = /^(\d+)([kmg]?)(i?b)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`${flag}: '${value}' is not a size`, { hint: 'write bytes, or a number with k, m or g (e.g. 1m)' });
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Number(m[1]) * unit;
  if (n < min || n > max) throw new UsageError(`${flag}: ${value} is out of range (${min} to ${max} bytes)`);
  return n;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A point in time: an ISO 8601 date or date-time (a date alone is midnight UTC), or a duration before now such as
 * 30m, 24h, 7d, 2w. Returns ms since the epoch.
 */
export function parseTimeBound(flag: string, value: string, now: Date): number {
  const rel = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  if (rel) return now.getTime() - Number(rel[1]) * UNITS[rel[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const t = Date.parse(value.trim().replace(' ', 'T'));
    if (!Number.isNaN(t)) return t;
  }
  throw new UsageError(`${flag}: cannot read '${value}' as a time`, {
    hint: 'use an ISO date such as 2026-11-23 or 2026-11-23T10:00:00Z, or a duration before now such as 30m, 24h, 7d',
  });
}

/** The rule flags as commander hands them over. */
export interface RawRuleOptions {
  rules?: string[];
  sigma?: string[];
  builtin?: boolean;
}

/** Which rules a command runs: rules/compose.ts buildRuleSet turns these into the engine. */
export interface RuleOptions {
  /** --rules paths (files or directories). */
  rules: readonly string[];
  /** --sigma paths. */
  sigma: readonly string[];
  /** false with --no-builtin. */
  builtin: boolean;
}

const append = (value: string, previous: string[]): string[] => [...previous, value];

/** Adds --rules, --sigma and --no-builtin (scan and watch share them, so that they mean the same everywhere). */
export function withRuleOptions(cmd: Command): Command {
  return cmd
    .option('--rules <path>', 'add your rules: a YAML rule file or a directory of them; repeatable', append, [])
    .option('--sigma <path>', 'add Sigma rules (product linux, category webserver): a file or directory; repeatable', append, [])
    .option('--no-builtin', 'run only the rules of --rules and --sigma');
}

export function parseRuleOptions(raw: RawRuleOptions): RuleOptions {
  return { rules: [...(raw.rules ?? [])], sigma: [...(raw.sigma ?? [])], builtin: raw.builtin !== false };
}

/** The masking flags as commander hands them over. */
export interface RawRedactOptions {
  redact?: boolean;
  redactIp?: boolean;
}

/** Adds --redact and --redact-ip (scan and watch). */
export function withRedactOptions(cmd: Command): Command {
  return cmd
    .option('--redact', 'mask phone numbers (138****8888) and e-mail addresses (a****@example.com) in every output')
    .option('--redact-ip', 'mask IP addresses too (203.0.***.**); implies --redact');
}

/** What every output masks (text/redact.ts), or null when nothing is masked. Phone numbers are read as Chinese ones. */
export function parseRedactOptions(raw: RawRedactOptions): RedactOptions | null {
  return raw.redact === true || raw.redactIp === true ? { ip: raw.redactIp === true, region: 'CN' } : null;
}

/** What --redact gives a command: its Io with stdout and stderr masked, and the masking function itself. */
export interface Redaction {
  io: Io;
  /** For the outputs that mask values before they serialise them (--json, --alerts, --webhook). */
  redact: Redact;
}

/** Loaded only when asked for: masking brings libphonenumber-js (~100 ms to load). Call it before anything writes. */
export async function startRedaction(io: Io, opts: RedactOptions): Promise<Redaction> {
  const { createRedact, redactIo } = await import('../text/redact.js');
  return { io: redactIo(io, opts), redact: createRedact(opts) };
}
