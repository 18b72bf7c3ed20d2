// Detectors of sequences: a success after many failures (same address, else same account), and sudo/su (threshold
// of them) by an account whose login was such a success. Both look back and forward in event time, so files read
// one after the other still meet.
import type { Alert, SecurityEvent } from '../types.js';
import type { DetectorConfig, DetectorId } from './config.js';
import { isAuthFailure, isAuthSuccess, type KeyKind } from './counting.js';
import type { KeySlots } from './key-table.js';
import { isoTime, shortDuration } from './keys.js';
import { EVIDENCE_MAX, KeyedWindows, evidenceOf, type WindowItem } from './window.js';

export type Emit = (alert: Alert) => void;

const NO_COOLDOWN = 0;

const DISCARD: Emit = () => {};

/**
 * One store of items per key, for look-ups; alerts are claimed through `alerts`. It holds per key four times the
 * threshold of what it counts (at least 32), as the counting windows do: a flood of failures (2,000 addresses trying
 * 4,000 times a second) held up to 4,096 items for each address, ~200 bytes each, and a scan of such a log peaked at
 * ~550 MB. Past that (and fewer when many keys are held: window.ts ITEM_BUDGET), look-ups say there were more
 * (Counted.more).
 */
function store(windowMs: number, maxKeys: number, threshold: number, keys?: KeySlots): KeyedWindows {
  const perKey = Math.max(32, threshold * 4);
  return new KeyedWindows({
    windowMs, threshold: Number.MAX_SAFE_INTEGER, distinct: null, cooldownMs: NO_COOLDOWN, maxKeys, keys, perKey, minPerKey: threshold,
  });
}

export class SequenceDetectors {
  private readonly cfg: DetectorConfig;
  private readonly failByIp: KeyedWindows;
  private readonly failByUser: KeyedWindows;
  private readonly successes: KeyedWindows; // by address or account: successes not (yet) alerted, for late failures
  private readonly alerts: KeyedWindows; // cooldown per key of success_after_failures
  private readonly suspicious: KeyedWindows; // by account: times of suspicious logins
  private readonly privs: KeyedWindows; // by account: sudo/su, for a suspicious login read later
  private readonly escalations: KeyedWindows; // cooldown per account of privilege_escalation
  /**
   * Warm start: the success_after_failures alerts stored by earlier runs, as key + time. While replaying, a login
   * that meets the failures counts as alerted (and so as suspicious) exactly when one of these says it was.
   */
  private readonly stored = new Set<string>();
  private replaying = false;

  /**
   * `shared`: the key indexes of the counting windows keyed by address and by account (key-table.ts), which the
   * stores keyed alike join (a failure's address and account are then looked up once each); none: their own.
   * `successes` and `alerts` take either kind of key and keep an index of their own.
   */
  constructor(cfg: DetectorConfig, shared?: Readonly<Record<KeyKind, KeySlots>>) {
    this.cfg = cfg;
    const saf = cfg.detectors.success_after_failures;
    const esc = cfg.detectors.privilege_escalation;
    const byAccount = shared?.account;
    this.failByIp = store(saf.windowMs, cfg.maxKeys, saf.threshold, shared?.address);
    this.failByUser = store(saf.windowMs, cfg.maxKeys, saf.threshold, byAccount);
    this.successes = store(saf.windowMs, cfg.maxKeys, 1); // a late failure asks whether any success came after it
    this.alerts = new KeyedWindows({ windowMs: saf.windowMs, threshold: 1, distinct: null, cooldownMs: saf.cooldownMs, maxKeys: cfg.maxKeys });
    this.suspicious = store(esc.windowMs, cfg.maxKeys, 1, byAccount); // the earliest and latest logins are read
    this.privs = store(esc.windowMs, cfg.maxKeys, esc.threshold, byAccount);
    this.escalations = new KeyedWindows({ windowMs: esc.windowMs, threshold: 1, distinct: null, cooldownMs: esc.cooldownMs, maxKeys: cfg.maxKeys, keys: byAccount });
  }

  /** Whether `event` would do anything with e: the others need no item made for them. */
  takes(e: SecurityEvent): boolean {
    if (this.cfg.detectors.success_after_failures.enabled && (isAuthFailure(e) || isAuthSuccess(e))) return true;
    return this.cfg.detectors.privilege_escalation.enabled && (e.type === 'priv.sudo' || e.type === 'priv.su') && e.user !== null;
  }

  /** `item` is the event's time, values and evidence, as the counting windows stored it (shared, unchanged). */
  event(e: SecurityEvent, item: WindowItem, emit: Emit): void {
    const saf = this.cfg.detectors.success_after_failures;
    if (saf.enabled && isAuthFailure(e)) this.failure(e, item, emit);
    else if (saf.enabled && isAuthSuccess(e)) this.success(e, item, emit);
    else if (this.cfg.detectors.privilege_escalation.enabled && (e.type === 'priv.sudo' || e.type === 'priv.su') && e.user !== null) {
      this.privilege(e.user, item, emit);
    }
  }

  /** Warm start: a stored alert of one of these detectors (see Detectors.seedAlert). */
  seedAlert(id: DetectorId, key: string, t: number): void {
    if (id === 'success_after_failures') {
      this.alerts.cool(key, t);
      this.stored.add(`${t} ${key}`);
    } else if (id === 'privilege_escalation') {
      this.escalations.cool(key, t);
    }
  }

  /** Warm start: a stored event, in time order, rebuilds the stores; nothing is raised and no cooldown moves. */
  replay(e: SecurityEvent, item: WindowItem): void {
    this.replaying = true;
    try {
      this.event(e, item, DISCARD);
    } finally {
      this.replaying = false;
    }
  }

  expireIdle(): void {
    for (const w of [this.failByIp, this.failByUser, this.successes, this.alerts, this.suspicious, this.privs, this.escalations]) w.expireIdle();
  }

  private failure(e: SecurityEvent, item: WindowItem, emit: Emit): void {
    const ip = e.source.ip;
    const user = e.user;
    if (ip !== null) this.failByIp.store(ip, item);
    if (user !== null) this.failByUser.store(user, item);
    // A late failure (from a file read later) may complete the failures before a success already seen. Read in
    // order, no success at or after it has been seen yet: nothing to complete (most failures end here).
    if (this.successes.newestTime < item.t) return;
    if (ip !== null) this.lateFailure(ip, item.t, this.failByIp, emit);
    if (user !== null) this.lateFailure(user, item.t, ip !== null && user === ip ? this.failByIp : this.failByUser, emit);
  }

  private lateFailure(key: string, t: number, failures: KeyedWindows, emit: Emit): void {
    const later = this.successes.countIn(key, t, t + this.cfg.detectors.success_after_failures.windowMs);
    if (later.count > 0) this.check(later.items[0]!, later.first, key, failures, emit);
  }

  /**
   * `plain`: the success as the counting windows got it, stored as it is (shared, unchanged): `successes` counts
   * events, not values, and what a late failure reads of it is its time and evidence.
   */
  private success(e: SecurityEvent, plain: WindowItem, emit: Emit): void {
    const t = plain.t;
    if (e.source.ip !== null) {
      this.successes.store(e.source.ip, plain);
      if (this.check(plain, t, e.source.ip, this.failByIp, emit, e.user)) return;
    }
    if (e.user !== null) {
      this.successes.store(e.user, plain);
      this.check(plain, t, e.user, this.failByUser, emit, e.user);
    }
  }

  /**
   * Alerts when `key` failed at least threshold times within the window before the success at t. `success` is the
   * item of the login (only its file, line and message are read).
   */
  private check(success: WindowItem, t: number, key: string, failures: KeyedWindows, emit: Emit, user: string | null = null): boolean {
    const saf = this.cfg.detectors.success_after_failures;
    const before = failures.countIn(key, t - saf.windowMs, t);
    if (before.count < saf.threshold) return false;
    this.alerts.store(key, success); // at t: the success is the item at t (success() and lateFailure pass its time)
    // replaying: the earlier run's decision, taken once, as claim() would
    const claimed = this.replaying ? this.stored.delete(`${t} ${key}`) : this.alerts.claim(key, t);
    if (!claimed) return true;
    const evidence = [...before.items.slice(0, EVIDENCE_MAX - 1), success].map(evidenceOf);
    if (!this.replaying) emit({
      id: 'success_after_failures',
      severity: saf.severity,
      key,
      title: `success after failures: a login succeeded after ${before.more ? 'more than ' : ''}${before.count} failures within ${
        shortDuration(saf.windowMs)}`,
      count: before.count + 1,
      first: isoTime(before.first),
      last: isoTime(t),
      evidence,
    });
    if (user !== null) this.markSuspicious(user, t, success, emit);
    return true;
  }

  private markSuspicious(user: string, t: number, login: WindowItem, emit: Emit): void {
    if (!this.cfg.detectors.privilege_escalation.enabled) return;
    this.suspicious.store(user, login); // at t, the login's time (check() passes it)
    if (this.replaying) return; // what the earlier run raised from this login is in its stored alerts
    // sudo/su already seen (a file read earlier) within the window after this login
    this.checkEscalation(user, login, t, null, emit);
  }

  private privilege(user: string, item: WindowItem, emit: Emit): void {
    const w = this.cfg.detectors.privilege_escalation.windowMs;
    const t = item.t;
    this.privs.store(user, item);
    if (this.replaying) return;
    const logins = this.suspicious.countIn(user, t - w, t);
    if (logins.count === 0) return;
    // Each login opens its own window; the earliest and the latest cover the usual cases (one or two such logins).
    if (this.checkEscalation(user, logins.items[0]!, logins.first, t, emit) || logins.last === logins.first) return;
    const last = this.suspicious.countIn(user, logins.last, logins.last);
    this.checkEscalation(user, last.items[0]!, logins.last, t, emit);
  }

  /**
   * threshold = how many sudo/su by the account within the window after the suspicious login raise the alert (1: the
   * first one does). privT is the sudo/su just read, or null when the login is what was just read.
   */
  private checkEscalation(user: string, login: WindowItem, loginT: number, privT: number | null, emit: Emit): boolean {
    const esc = this.cfg.detectors.privilege_escalation;
    const privs = this.privs.countIn(user, loginT, loginT + esc.windowMs);
    if (privs.count < esc.threshold) return false;
    const t = privT ?? privs.last;
    const first = privs.items[0]!;
    this.escalations.store(user, { t, ip: null, user: null, file: first.file, line: first.line, message: first.message });
    if (!this.escalations.claim(user, t)) return true;
    const after = shortDuration(Math.max(0, privs.last - loginT));
    emit({
      id: 'privilege_escalation',
      severity: esc.severity,
      key: user,
      title: privs.count === 1
        ? `privilege escalation: sudo/su ${after} after a login that followed failures`
        : `privilege escalation: ${privs.more ? 'more than ' : ''}${privs.count} sudo/su within ${after} after a login that followed failures`,
      count: privs.count + 1,
      first: isoTime(loginT),
      last: isoTime(privs.last),
      evidence: [login, ...privs.items.slice(0, EVIDENCE_MAX - 1)].map(evidenceOf),
    });
    return true;
  }
}
