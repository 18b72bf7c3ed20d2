// The counting detectors as a table: which events each takes, what it groups by, whether it counts events or
// distinct values, and the title of its alert. Thresholds and windows come from the config.
import type { EventType, Outcome, SecurityEvent } from '../types.js';
import type { DetectorId } from './config.js';
import { subnetOf } from './keys.js';
import type { Distinct } from './window.js';

export interface CountingSpec {
  id: DetectorId;
  /** Counts events (null), or the distinct addresses or accounts among them (the event's source.ip or user). */
  distinct: Distinct;
  /** What the key is, when it is an address or an account: windows keyed alike share their key index. */
  keyKind: KeyKind | null;
  /** Whether events of this type and outcome count here at all: decided once per type, not per event. */
  takes(type: EventType, outcome: Outcome): boolean;
  /** The key an event that `takes` accepts is counted under; null when it lacks what the detector needs. */
  key(e: SecurityEvent): string | null;
  /** `count` events (or distinct values) within `window` (e.g. '10m'). */
  title(count: number, window: string): string;
}

/** The keys that several windows share (key-table.ts KeySlots): an event's address, its account. */
export type KeyKind = 'address' | 'account';

export function isAuthFailure(e: SecurityEvent): boolean {
  return isFailureType(e.type, e.outcome);
}

function isFailureType(type: EventType, outcome: Outcome): boolean {
  return outcome === 'failure' && (type === 'auth.failure' || type === 'auth.invalid_user');
}

export function isAuthSuccess(e: SecurityEvent): boolean {
  return e.type === 'auth.success' || e.type === 'auth.root_login';
}

const isRegistration = (type: EventType): boolean => type === 'account.registration';
const ip = (e: SecurityEvent): string | null => e.source.ip;

export const COUNTING: readonly CountingSpec[] = [
  {
    id: 'brute_force',
    distinct: null,
    keyKind: 'address',
    takes: isFailureType,
    key: ip,
    title: (n, w) => `brute force: ${n} failed logins from one address within ${w}`,
  },
  {
    id: 'password_spraying',
    distinct: 'user',
    keyKind: 'address',
    takes: isFailureType,
    key: (e) => (e.user !== null ? e.source.ip : null),
    title: (n, w) => `password spraying: ${n} accounts tried from one address within ${w}`,
  },
  {
    id: 'distributed_attack',
    distinct: 'ip',
    keyKind: 'account',
    takes: isFailureType,
    key: (e) => (e.source.ip !== null ? e.user : null),
    title: (n, w) => `distributed attack: failed logins from ${n} addresses against one account within ${w}`,
  },
  {
    id: 'mass_registration_ip',
    distinct: null,
    keyKind: 'address',
    takes: isRegistration,
    key: ip,
    title: (n, w) => `mass registration: ${n} sign-ups from one address within ${w}`,
  },
  {
    id: 'mass_registration_subnet',
    distinct: null,
    keyKind: null,
    takes: isRegistration,
    key: (e) => (e.source.ip !== null ? subnetOf(e.source.ip) : null),
    title: (n, w) => `mass registration: ${n} sign-ups from one network within ${w}`,
  },
  {
    id: 'mass_registration_phone',
    distinct: null,
    keyKind: null,
    takes: isRegistration,
    key: (e) => e.phone,
    title: (n, w) => `mass registration: ${n} sign-ups with one phone number within ${w}`,
  },
  {
    id: 'web_attack_burst',
    distinct: null,
    keyKind: 'address',
    takes: (type) => type.startsWith('web.'),
    key: ip,
    title: (n, w) => `web attack burst: ${n} web attack events from one address within ${w}`,
  },
];
