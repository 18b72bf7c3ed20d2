// Detector settings: built-in defaults, overridden by a --config JSON file, overridden by --detector flags.
// Validated once, at the edge, into a frozen DetectorConfig; errors name the file or flag and what would be right.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { SEVERITIES, isSeverity, type Severity } from '../types.js';

export const DETECTOR_IDS = [
  'brute_force',
  'password_spraying',
  'distributed_attack',
  'success_after_failures',
  'mass_registration_ip',
  'mass_registration_subnet',
  'mass_registration_phone',
  'web_attack_burst',
  'web_scan',
  'privilege_escalation',
] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

export interface DetectorParams {
  enabled: boolean;
  /** Events (or distinct users / addresses; for privilege_escalation, sudo/su after the login) within the window that raise the alert. */
  threshold: number;
  windowMs: number;
  /** The same key does not alert again within this much event time. */
  cooldownMs: number;
  severity: Severity;
}

export interface DetectorConfig {
  detectors: Readonly<Record<DetectorId, Readonly<DetectorParams>>>;
  /** Keys held per detector (addresses, users, phones); past it idle keys expire first. */
  maxKeys: number;
}

const M = 60_000;
const H = 60 * M;
const p = (threshold: number, windowMs: number, severity: Severity, cooldownMs = H): DetectorParams =>
  ({ enabled: true, threshold, windowMs, cooldownMs, severity });

/**
 * Counted in events, not attempts: one failed ssh password usually logs two or three lines (pam_unix, "Failed
 * password", the disconnect), so 10 failure events is about 4 attempts (fail2ban's default maxretry is 5).
 */
export const DEFAULTS: Readonly<Record<DetectorId, DetectorParams>> = {
  brute_force: p(10, 10 * M, 'high'),
  password_spraying: p(5, 10 * M, 'high'), // distinct users from one address
  distributed_attack: p(5, 10 * M, 'high'), // distinct addresses against one user
  success_after_failures: p(5, 10 * M, 'critical'), // failures before a success, same address or user
  mass_registration_ip: p(10, 10 * M, 'medium'),
  mass_registration_subnet: p(20, 10 * M, 'medium'), // one /24 (IPv6: one /64)
  mass_registration_phone: p(3, H, 'medium'),
  web_attack_burst: p(20, 5 * M, 'high'), // web.* events from one address
  web_scan: p(30, 5 * M, 'medium'), // 404 answers to one address
  privilege_escalation: p(1, H, 'critical'), // sudo/su commands by that account within the window after a success-after-failures login
};

export const DEFAULT_MAX_KEYS = 20_000;

export function defaultConfig(): DetectorConfig {
  return freeze({ ...DEFAULTS }, DEFAULT_MAX_KEYS);
}

/** Defaults, then the JSON file (if any), then `id.setting=value` flags, in that order. */
export function loadDetectorConfig(opts: { file?: string; settings?: readonly string[]; cwd: string }): DetectorConfig {
  const detectors: Record<DetectorId, DetectorParams> = { ...DEFAULTS };
  for (const id of DETECTOR_IDS) detectors[id] = { ...DEFAULTS[id] };
  let maxKeys = DEFAULT_MAX_KEYS;
  if (opts.file !== undefined) maxKeys = applyFile(detectors, resolve(opts.cwd, opts.file), opts.file) ?? maxKeys;
  for (const s of opts.settings ?? []) applySetting(detectors, s);
  return freeze(detectors, maxKeys);
}

function freeze(detectors: Record<DetectorId, DetectorParams>, maxKeys: number): DetectorConfig {
  for (const id of DETECTOR_IDS) Object.freeze(detectors[id]);
  return Object.freeze({ detectors: Object.freeze(detectors), maxKeys });
}

/** `{"maxKeys": 20000, "detectors": {"brute_force": {"threshold": 5, "window": "10m", "cooldown": "1h"}}}` */
function applyFile(detectors: Record<DetectorId, DetectorParams>, path: string, shown: string): number | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? `not valid JSON (${err.message})` : (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UsageError(`--config: cannot read ${shown}: ${why}`);
  }
  if (!isObject(data)) throw new UsageError(`--config ${shown}: expected a JSON object`);
  for (const k of Object.keys(data)) {
    if (k !== 'detectors' && k !== 'maxKeys') throw new UsageError(`--config ${shown}: unknown key '${k}'`, { hint: 'use detectors, maxKeys' });
  }
  const section = data['detectors'];
  if (section !== undefined) {
    if (!isObject(section)) throw new UsageError(`--config ${shown}: 'detectors' must be an object`);
    for (const [id, settings] of Object.entries(section)) {
      const did = detectorId(id, `--config ${shown}`);
      if (!isObject(settings)) throw new UsageError(`--config ${shown}: detectors.${id} must be an object`);
      for (const [name, value] of Object.entries(settings)) setParam(detectors[did], name, value, `--config ${shown}: detectors.${id}.${name}`);
    }
  }
  const max = data['maxKeys'];
  if (max === undefined) return undefined;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 100 || max > 10_000_000) {
    throw new UsageError(`--config ${shown}: maxKeys must be a whole number from 100 to 10000000`);
  }
  return max;
}

/** `brute_force.threshold=5`, `web_scan.enabled=false`, `all.enabled=false` */
function applySetting(detectors: Record<DetectorId, DetectorParams>, setting: string): void {
  const dot = setting.indexOf('.');
  const eq = setting.indexOf('=');
  if (dot < 1 || eq < dot + 2) {
    throw new UsageError(`--detector: cannot read '${setting}'`, { hint: 'write detector.setting=value, e.g. brute_force.threshold=5 or all.enabled=false' });
  }
  const id = setting.slice(0, dot);
  const name = setting.slice(dot + 1, eq);
  const value = setting.slice(eq + 1);
  const ids = id === 'all' ? DETECTOR_IDS : [detectorId(id, '--detector')];
  for (const did of ids) setParam(detectors[did], name, value, `--detector ${setting}`);
}

function detectorId(id: string, where: string): DetectorId {
  if ((DETECTOR_IDS as readonly string[]).includes(id)) return id as DetectorId;
  throw new UsageError(`${where}: unknown detector '${id}'`, { hint: `use one of: ${DETECTOR_IDS.join(', ')}` });
}

function setParam(params: DetectorParams, name: string, value: unknown, where: string): void {
  switch (name) {
    case 'enabled':
      if (value === true || value === 'true') params.enabled = true;
      else if (value === false || value === 'false') params.enabled = false;
      else throw new UsageError(`${where}: expected true or false`);
      return;
    case 'threshold': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError(`${where}: expected a whole number from 1 to 100000`);
      params.threshold = n;
      return;
    }
    case 'window':
      params.windowMs = parseDuration(value, where);
      return;
    case 'cooldown':
      params.cooldownMs = parseDuration(value, where);
      return;
    case 'severity':
      if (typeof value !== 'string' || !isSeverity(value)) throw new UsageError(`${where}: unknown severity`, { hint: `use one of: ${SEVERITIES.join(', ')}` });
      params.severity = value;
      return;
    default:
      throw new UsageError(`${where}: unknown setting '${name}'`, { hint: 'use enabled, threshold, window, cooldown, severity' });
  }
}

const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: M, h: H, d: 24 * H };

/** 90s, 10m, 1h, 2d; 0s turns a cooldown off. Windows are at most 30 days. */
export function parseDuration(value: unknown, where: string): number {
  const m = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  const ms = m === null ? NaN : Number(m[1]) * UNIT_MS[m[2]!]!;
  if (!Number.isFinite(ms) || ms > 30 * 24 * H) throw new UsageError(`${where}: '${String(value)}' is not a duration`, { hint: 'write e.g. 90s, 10m, 1h, 2d (at most 30d)' });
  return ms;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
