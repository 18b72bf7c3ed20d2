// The risk verdict on one phone number: thresholds (defaults here, the only place), then one rule per sign of a
// number farm, each giving a level and a sentence that says what was seen, e.g. "4 accounts registered with this
// number within 3 minutes from 4 addresses in one /24 (203.0.113.0/24)".
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';
import type { Action, NumberProfile } from './profile.js';

export type Risk = 'none' | 'low' | 'medium' | 'high';
/** In increasing order; index = rank. */
export const RISKS: readonly Risk[] = ['none', 'low', 'medium', 'high'];
export function riskRank(r: Risk): number {
  return RISKS.indexOf(r);
}

export interface Thresholds {
  /** The time window for bursts, ms. */
  window: number;
  /** More accounts than this behind one number. */
  maxAccounts: number;
  /** More sign-ups than this within the window. */
  maxSignups: number;
  /** More SMS-code requests than this within the window (twice as many: high). */
  maxSms: number;
  /** More failed logins than this. */
  maxFailures: number;
  /** More distinct source addresses than this. */
  maxAddresses: number;
  /** More other numbers used from the same addresses or devices than this. */
  maxShared: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  window: 10 * 60_000,
  maxAccounts: 2,
  maxSignups: 2,
  maxSms: 5,
  maxFailures: 5,
  maxAddresses: 5,
  maxShared: 2,
});

export type ReasonId = 'signup_burst' | 'accounts' | 'sms_burst' | 'shared_numbers' | 'failed_logins' | 'addresses';

export interface Reason {
  id: ReasonId;
  level: Exclude<Risk, 'none'>;
  text: string;
}

export interface Verdict {
  risk: Risk;
  /** Most severe first. */
  reasons: Reason[];
}

/** The verdict on `profile`, given how many other numbers were used from its addresses or devices. */
export function judge(profile: NumberProfile, sharedNumbers: number, t: Thresholds): Verdict {
  const reasons: Reason[] = [];
  const add = (id: ReasonId, level: Reason['level'], text: string, limit: string): void => {
    reasons.push({ id, level, text: `${text}; limit ${limit}` });
  };
  const perWindow = (n: number): string => `${n} in ${durationWords(t.window)}`;
  const signups = densest(profile.actions.signup, t.window);
  if (signups.length > t.maxSignups) {
    add('signup_burst', 'high', `${signupWords(signups)} with this number ${burstWords(signups)}`, perWindow(t.maxSignups));
  }
  const accounts = profile.accounts.size;
  if (accounts > t.maxAccounts) add('accounts', 'medium', `${accounts} accounts linked to this number`, `${t.maxAccounts}`);
  const sms = densest(profile.actions.sms, t.window);
  if (sms.length > t.maxSms) {
    const level = sms.length > 2 * t.maxSms ? 'high' : 'medium';
    add('sms_burst', level, `${sms.length} SMS codes requested ${burstWords(sms)}`, perWindow(t.maxSms));
  }
  if (sharedNumbers > t.maxShared) {
    add('shared_numbers', 'medium', `${sharedNumbers} other numbers used from the same addresses or devices`, `${t.maxShared}`);
  }
  const failures = profile.counts.failure;
  if (failures > t.maxFailures) add('failed_logins', 'low', `${failures} failed logins`, `${t.maxFailures}`);
  const addresses = profile.addresses.size;
  if (addresses > t.maxAddresses) add('addresses', 'low', `${addresses} distinct source addresses`, `${t.maxAddresses}`);
  reasons.sort((a, b) => riskRank(b.level) - riskRank(a.level));
  return { risk: reasons[0]?.level ?? 'none', reasons };
}

/** The most actions with a time that fit in one window, in time order (the earliest such window). */
export function densest(actions: readonly Action[], window: number): Action[] {
  const timed = actions.filter((a) => a.time !== null).sort((a, b) => a.time! - b.time!);
  let best = 0;
  let bestFrom = 0;
  for (let from = 0, to = 0; to < timed.length; to++) {
    while (timed[to]!.time! - timed[from]!.time! > window) from++;
    if (to - from + 1 > best) {
      best = to - from + 1;
      bestFrom = from;
    }
  }
  return timed.slice(bestFrom, bestFrom + best);
}

/** "4 accounts registered" when every sign-up names its account, else "4 sign-ups". */
function signupWords(signups: readonly Action[]): string {
  const users = new Set(signups.map((a) => a.user));
  if (!users.has(null)) return `${users.size} account${users.size === 1 ? '' : 's'} registered`;
  return `${signups.length} sign-ups`;
}

/** "within 3 minutes from 4 addresses in one /24 (203.0.113.0/24)". */
function burstWords(actions: readonly Action[]): string {
  const span = actions[actions.length - 1]!.time! - actions[0]!.time!;
  return `within ${durationWords(span, true)}${addressWords(actions)}`;
}

function addressWords(actions: readonly Action[]): string {
  const ips = [...new Set(actions.map((a) => a.ip).filter((ip) => ip !== null))];
  if (ips.length === 0) return '';
  if (ips.length === 1) return ` from one address (${ips[0]})`;
  const nets = new Set(ips.map(networkOf));
  if (nets.size === 1 && !nets.has(null)) {
    const net = [...nets][0]!;
    return ` from ${ips.length} addresses in one ${net.slice(net.indexOf('/'))} (${net})`;
  }
  return ` from ${ips.length} addresses`;
}

/** The /24 of an IPv4 address or the /64 of an IPv6 address ('203.0.113.0/24', '2001:db8:0:1::/64'), else null. */
export function networkOf(ip: string): string | null {
  const version = isIP(ip);
  if (version === 4) return `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`;
  if (version !== 6 || ip.includes('.')) return null;
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

const UNITS: readonly [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];

/**
 * "10 minutes", "90 seconds", "1 hour": the largest unit that divides `ms`; with `roundUp`, the largest unit that
 * fits, rounded up (2m 41s -> "3 minutes", as people say "within 3 minutes").
 */
export function durationWords(ms: number, roundUp = false): string {
  for (const [size, name] of UNITS) {
    if (roundUp ? ms >= size : ms % size === 0 && ms >= size) {
      const n = roundUp ? Math.ceil(ms / size) : ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return roundUp ? '1 second' : `${ms} ms`;
}

const WINDOW = /^(\d{1,7})\s?([smhdSMHD])?$/;
const WINDOW_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** '10m', '90s', '1h', '2d' (or plain seconds) -> ms; null when it is not a duration of 1 s to 30 days. */
export function parseWindow(text: string): number | null {
  const m = WINDOW.exec(text.trim());
  if (m === null) return null;
  const ms = Number(m[1]) * (m[2] === undefined ? 1000 : WINDOW_UNITS[m[2].toLowerCase()]!);
  return ms >= 1000 && ms <= 30 * 86_400_000 ? ms : null;
}

/** The keys of the "phone" object of a config file, with what each sets. */
export const THRESHOLD_KEYS: Readonly<Record<keyof Thresholds, string>> = {
  window: 'time window for bursts, e.g. "10m"',
  maxAccounts: 'accounts behind one number',
  maxSignups: 'sign-ups within the window',
  maxSms: 'SMS-code requests within the window',
  maxFailures: 'failed logins',
  maxAddresses: 'distinct source addresses',
  maxShared: 'other numbers used from the same addresses or devices',
};

/**
 * The thresholds a config file sets: `{"phone": {"window": "10m", "maxAccounts": 2, ...}}`. Throws a UsageError
 * naming `where` for anything else. A file without a "phone" object sets nothing.
 */
export function thresholdsFromConfig(config: unknown, where: string): Partial<Thresholds> {
  if (!isObject(config)) throw new UsageError(`${where}: the config must be a JSON object`, { hint: EXAMPLE });
  const phone = config['phone'];
  if (phone === undefined) return {};
  if (!isObject(phone)) throw new UsageError(`${where}: "phone" must be an object`, { hint: EXAMPLE });
  const out: Partial<Thresholds> = {};
  for (const [key, value] of Object.entries(phone)) {
    if (!Object.prototype.hasOwnProperty.call(THRESHOLD_KEYS, key)) {
      const valid = Object.keys(THRESHOLD_KEYS).join(', ');
      throw new UsageError(`${where}: unknown key "phone.${key}"`, { hint: `use one of: ${valid}` });
    }
    const k = key as keyof Thresholds;
    const n = k === 'window' ? (typeof value === 'string' ? parseWindow(value) : null) : count(value);
    if (n === null) {
      const want = k === 'window' ? 'a duration such as "10m", "90s" or "1h"' : 'a whole number from 0 to 1000000';
      throw new UsageError(`${where}: "phone.${key}" must be ${want}`, { hint: `${key}: ${THRESHOLD_KEYS[k]}` });
    }
    out[k] = n;
  }
  return out;
}

const EXAMPLE = 'for example {"phone": {"maxAccounts": 3}}';

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1_000_000 ? value : null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
