// The bounded aggregation of what phone numbers did: one NumberProfile per number (accounts, addresses, devices, and
// sign-ups, SMS codes, logins counted once even when two logs record them), and the links between numbers that were
// used from the same address or device. Every table has a cap; past it counts become lower bounds (`approximate`).
import type { ActionKind, LineContext, LinkSource } from './occurrence.js';

export const LIMITS = {
  /** Accounts, addresses and devices remembered per number. */
  valuesPerNumber: 64,
  /** User agents remembered per number, for display only. */
  agentsPerNumber: 8,
  /** Actions of one kind remembered per number (for time windows and for counting an action logged twice once). */
  actionsPerKind: 1000,
  /** Distinct numbers profiled by `audit phones`. */
  numbers: 10_000,
  /** Distinct addresses and devices in the link index. */
  linkKeys: 50_000,
  /** Numbers remembered per address or device. */
  numbersPerKey: 32,
} as const;

/**
 * Two lines about one action (nginx's request and the application's "SMS code sent") lie at most this far apart.
 * Lines from one program are never merged: two requests in the same second from one log are two requests.
 */
export const SAME_ACTION_MS = 2000;

export interface Action {
  time: number | null;
  ip: string | null;
  user: string | null;
  /** Where it was logged (LineContext.origin); one entry per log that saw it. */
  origins: string[];
}

/** A set that stops growing at `max` and remembers that it did. */
export class BoundedSet {
  readonly values = new Set<string>();
  full = false;
  constructor(private readonly max: number) {}
  add(v: string | null): void {
    if (v === null || this.values.has(v)) return;
    if (this.values.size < this.max) this.values.add(v);
    else this.full = true;
  }
  get size(): number {
    return this.values.size;
  }
}

export class NumberProfile {
  occurrences = 0;
  first: number | null = null;
  last: number | null = null;
  readonly accounts = new BoundedSet(LIMITS.valuesPerNumber);
  readonly addresses = new BoundedSet(LIMITS.valuesPerNumber);
  readonly devices = new BoundedSet(LIMITS.valuesPerNumber);
  readonly agents = new BoundedSet(LIMITS.agentsPerNumber);
  /** Distinct actions by kind, as counted (duplicates logged by a second program merged). */
  readonly counts: Record<ActionKind, number> = { signup: 0, sms: 0, failure: 0, login: 0, reset: 0 };
  readonly actions: Record<ActionKind, Action[]> = { signup: [], sms: [], failure: [], login: [], reset: [] };
  /** Lines that repeated an action another program had logged (nginx and the application): counted once. */
  merged = 0;
  private capped = false;
  private readonly digits: string;

  /** `e164` is '+8613888888888'. */
  constructor(readonly e164: string) {
    this.digits = e164.slice(1);
  }

  /** True when a cap was reached: counts and lists are then lower bounds. */
  get approximate(): boolean {
    return this.capped || this.accounts.full || this.addresses.full || this.devices.full;
  }

  add(ctx: LineContext): void {
    this.occurrences++;
    if (ctx.time !== null) {
      if (this.first === null || ctx.time < this.first) this.first = ctx.time;
      if (this.last === null || ctx.time > this.last) this.last = ctx.time;
    }
    // Logging in with the number as the user name does not make the number an account of its own.
    const user = ctx.user !== null && this.isSelf(ctx.user) ? null : ctx.user;
    this.accounts.add(user);
    this.addresses.add(ctx.ip);
    this.devices.add(ctx.device);
    this.agents.add(ctx.agent);
    for (const kind of ctx.actions) this.addAction(kind, ctx, user);
  }

  private addAction(kind: ActionKind, ctx: LineContext, user: string | null): void {
    const list = this.actions[kind];
    const same = findSame(list, ctx, user);
    if (same !== null) {
      this.merged++;
      same.origins.push(ctx.origin);
      same.ip ??= ctx.ip;
      same.user ??= user;
      return;
    }
    this.counts[kind]++;
    if (list.length < LIMITS.actionsPerKind) list.push({ time: ctx.time, ip: ctx.ip, user, origins: [ctx.origin] });
    else this.capped = true;
  }

  /** '13888888888', '+86 138 8888 8888' or '008613888888888' as a user name: the number itself. */
  private isSelf(user: string): boolean {
    let digits = '';
    for (let i = 0; i < user.length; i++) {
      const c = user.charCodeAt(i);
      if (c >= 0x30 && c <= 0x39) digits += user[i];
      else if (c !== 0x2b && c !== 0x20 && c !== 0x2d && c !== 0x28 && c !== 0x29) return false;
    }
    return digits.length >= 7 && (this.digits.endsWith(digits) || digits.endsWith(this.digits));
  }
}

/** The action `ctx` repeats: the same kind logged by another program within SAME_ACTION_MS, compatible details. */
function findSame(list: Action[], ctx: LineContext, user: string | null): Action | null {
  if (ctx.time === null) return null;
  for (let i = list.length - 1; i >= 0; i--) {
    const a = list[i]!;
    if (a.time === null || Math.abs(a.time - ctx.time) > SAME_ACTION_MS || a.origins.includes(ctx.origin)) continue;
    if (a.ip !== null && ctx.ip !== null && a.ip !== ctx.ip) continue;
    if (a.user !== null && user !== null && a.user !== user) continue;
    return a;
  }
  return null;
}

/**
 * Which numbers were seen on lines from each address and each device id. A number is an E.164 string, or for
 * `audit phone` the text a rule extracted, resolved only for the few addresses that matter, at the end.
 */
export class LinkIndex {
  private readonly byKey = new Map<string, string[]>();
  approximate = false;

  add(from: LinkSource, number: string): void {
    if (from.ip !== null) this.link(`a ${from.ip}`, number);
    if (from.device !== null) this.link(`d ${from.device}`, number);
  }

  /** The numbers seen from any of `profile`'s addresses or devices, except its own E.164 form, sorted. */
  linkedTo(profile: NumberProfile): string[] {
    const found = new Set<string>();
    const collect = (key: string): void => {
      for (const n of this.byKey.get(key) ?? []) if (n !== profile.e164) found.add(n);
    };
    for (const ip of profile.addresses.values) collect(`a ${ip}`);
    for (const device of profile.devices.values) collect(`d ${device}`);
    return [...found].sort();
  }

  private link(key: string, number: string): void {
    let numbers = this.byKey.get(key);
    if (numbers === undefined) {
      if (this.byKey.size >= LIMITS.linkKeys) {
        this.approximate = true;
        return;
      }
      numbers = [];
      this.byKey.set(key, numbers);
    }
    if (numbers.includes(number)) return;
    if (numbers.length < LIMITS.numbersPerKey) numbers.push(number);
    else this.approximate = true;
  }
}

/** Profiles of every number seen (up to LIMITS.numbers) and their links, for `audit phones`. */
export class PhoneBook {
  readonly profiles = new Map<string, NumberProfile>();
  readonly links = new LinkIndex();
  private dropped = false;

  /** True when numbers were left out or a cap was reached anywhere. */
  get approximate(): boolean {
    if (this.dropped || this.links.approximate) return true;
    for (const p of this.profiles.values()) if (p.approximate) return true;
    return false;
  }

  add(e164: string, ctx: LineContext): void {
    let profile = this.profiles.get(e164);
    if (profile === undefined) {
      if (this.profiles.size >= LIMITS.numbers) {
        this.dropped = true;
        return;
      }
      profile = new NumberProfile(e164);
      this.profiles.set(e164, profile);
    }
    profile.add(ctx);
    this.links.add(ctx, e164);
  }
}
