// The counting detectors as a table: what each selects from an event, what it groups by, whether it counts events
// or distinct values, and the title of its alert. Thresholds and windows come from the config.
import type { SecurityEvent } from '../types.js';
import type { DetectorId } from './config.js';
import { subnetOf } from './keys.js';

export interface Selected {
  key: string;
  value: string | null;
}

export interface CountingSpec {
  id: DetectorId;
  distinct: boolean;
  select(e: SecurityEvent): Selected | null;
  /** `count` events (or distinct values) within `window` (e.g. '10m'). */
  title(count: number, window: string): string;
}

export function isAuthFailure(e: SecurityEvent): boolean {
  return e.outcome === 'failure' && (e.type === 'auth.failure' || e.type === 'auth.invalid_user');
}

export function isAuthSuccess(e: SecurityEvent): boolean {
  return e.type === 'auth.success' || e.type === 'auth.root_login';
}

const isRegistration = (e: SecurityEvent): boolean => e.type === 'account.registration';

export const COUNTING: readonly CountingSpec[] = [
  {
    id: 'brute_force',
    distinct: false,
    select: (e) => (e.source.ip !== null && isAuthFailure(e) ? { key: e.source.ip, value: null } : null),
    title: (n, w) => `brute force: ${n} failed logins from one address within ${w}`,
  },
  {
    id: 'password_spraying',
    distinct: true,
    select: (e) => (e.source.ip !== null && e.user !== null && isAuthFailure(e) ? { key: e.source.ip, value: e.user } : null),
    title: (n, w) => `password spraying: ${n} accounts tried from one address within ${w}`,
  },
  {
    id: 'distributed_attack',
    distinct: true,
    select: (e) => (e.source.ip !== null && e.user !== null && isAuthFailure(e) ? { key: e.user, value: e.source.ip } : null),
    title: (n, w) => `distributed attack: failed logins from ${n} addresses against one account within ${w}`,
  },
  {
    id: 'mass_registration_ip',
    distinct: false,
    select: (e) => (e.source.ip !== null && isRegistration(e) ? { key: e.source.ip, value: null } : null),
    title: (n, w) => `mass registration: ${n} sign-ups from one address within ${w}`,
  },
  {
    id: 'mass_registration_subnet',
    distinct: false,
    select: (e) => {
      const net = e.source.ip !== null && isRegistration(e) ? subnetOf(e.source.ip) : null;
      return net === null ? null : { key: net, value: null };
    },
    title: (n, w) => `mass registration: ${n} sign-ups from one network within ${w}`,
  },
  {
    id: 'mass_registration_phone',
    distinct: false,
    select: (e) => (e.phone !== null && isRegistration(e) ? { key: e.phone, value: null } : null),
    title: (n, w) => `mass registration: ${n} sign-ups with one phone number within ${w}`,
  },
  {
    id: 'web_attack_burst',
    distinct: false,
    select: (e) => (e.source.ip !== null && e.type.startsWith('web.') ? { key: e.source.ip, value: null } : null),
    title: (n, w) => `web attack burst: ${n} web attack events from one address within ${w}`,
  },
];
