// All detectors behind one door: takes events (and records, for 404s) in reading order and calls `emit` with each
// alert. Deterministic: the same input in the same order gives the same alerts in the same order; no wall clock.
import { createValueInterner, flatCopy, RECENT_VALUES } from '../formats/intern.js';
import { FIELD, type EventType, type LineOutcome, type LogRecord, type Outcome, type SecurityEvent } from '../types.js';
import { DETECTOR_IDS, type DetectorConfig, type DetectorId } from './config.js';
import { COUNTING, type CountingSpec, type KeyKind } from './counting.js';
import { KeySlots } from './key-table.js';
import { createEventClock, createFileTimes, isoTime, shortDuration } from './keys.js';
import { SequenceDetectors, type Emit } from './sequence.js';
import { KeyedWindows, evidenceText, type Hit, type WindowItem } from './window.js';

export interface Detectors {
  /** Function properties, not methods: they use no `this`, so the bus can call them as they are (alerting.ts). */
  readonly event: (e: SecurityEvent) => void;
  /** Only web_scan reads records: with it disabled, this need not be called. */
  readonly record: (r: LogRecord, outcome: LineOutcome) => void;
  /** Forgets keys idle for longer than their window and cooldown (watch mode calls it now and then). */
  expireIdle(): void;
  /**
   * Warm start (scan --db), before any new event: an alert stored by an earlier run (detector id, key, last time in
   * ms) puts its key in cooldown as if this run had raised it. Unknown ids are ignored. Call before `replay`.
   */
  seedAlert(id: string, key: string, t: number): void;
  /**
   * Warm start, after seedAlert, in time order: a stored event goes into the windows that later events are checked
   * against. Raises nothing and moves no cooldown (the stored alerts said what was raised).
   */
  replay(e: SecurityEvent): void;
  /** Warm start, as `replay`, for a stored request answered 404 (web_scan's windows), at `t` ms. */
  replayNotFound(ip: string, t: number, file: string, line: number, message: string): void;
}

/** How far before the end of the stored history a warm start reaches back (ms). */
export interface WarmHorizon {
  /** Events to replay: enough for the longest window of every enabled detector. */
  eventsMs: number;
  /** Requests answered 404 to replay: web_scan's window (0 when it is off). */
  notFoundMs: number;
  /** Stored alerts that may still cool a key down: cooldown, plus a window for events read a little late. */
  alertsMs: number;
}

/**
 * success_after_failures needs twice its window (a success replayed near the start still finds the failures before
 * it); privilege_escalation its window plus that one (the suspicious login, and the failures before it). web_scan
 * counts requests answered 404, which are stored apart from events.
 */
export function warmHorizon(cfg: DetectorConfig): WarmHorizon {
  const d = cfg.detectors;
  let eventsMs = 0;
  let alertsMs = 0;
  for (const id of DETECTOR_IDS) {
    const p = d[id];
    if (!p.enabled) continue;
    alertsMs = Math.max(alertsMs, p.cooldownMs + p.windowMs);
    if (id === 'web_scan') continue;
    const need = id === 'success_after_failures' ? 2 * p.windowMs
      : id === 'privilege_escalation' ? p.windowMs + d.success_after_failures.windowMs : p.windowMs;
    eventsMs = Math.max(eventsMs, need);
  }
  const notFoundMs = d.web_scan.enabled ? d.web_scan.windowMs : 0;
  return { eventsMs, notFoundMs, alertsMs: Math.max(alertsMs, eventsMs, notFoundMs) };
}

interface Counting {
  spec: CountingSpec;
  windows: KeyedWindows;
}

/** Event types (per outcome) whose list of detectors is kept; past it (rules can name new types), it is made per event. */
const TYPES_MAX = 256;

/**
 * Which counting detectors take an event, by its type and outcome: most events (probes, sudo, successes) are taken
 * by none, and an auth failure by three, so each event visits only those.
 */
function countingByType(counting: readonly Counting[]): (type: EventType, outcome: Outcome) => readonly Counting[] {
  const lists: Record<Outcome, Map<EventType, readonly Counting[]>> = { success: new Map(), failure: new Map(), unknown: new Map() };
  // The last answer: events come in runs of one type (the failures of an attack), and two compares of constant
  // strings cost less than a keyed read and a Map look-up. '' is no outcome: the first call misses.
  let lastType: string = '';
  let lastOutcome: string = '';
  let lastList: readonly Counting[] = [];
  return (type, outcome) => {
    if (type === lastType && outcome === lastOutcome) return lastList;
    const byType = lists[outcome];
    let list = byType.get(type);
    if (list === undefined) {
      list = counting.filter((c) => c.spec.takes(type, outcome));
      if (byType.size < TYPES_MAX) byType.set(type, list);
    }
    lastType = type;
    lastOutcome = outcome;
    lastList = list;
    return list;
  };
}

type OnHit = (c: Counting, key: string, hit: Hit) => void;

/**
 * Feeds an event to the counting detectors that take it (`onHit` null: a warm-start replay, which only stores). One
 * item, shared, goes to every window (stored items are never changed; a distinct window reads the value it counts
 * from it). Returns the item, for the sequence detectors.
 */
function countEvent(list: readonly Counting[], e: SecurityEvent, t: number, onHit: OnHit | null): WindowItem {
  const item: WindowItem = { t, ip: e.source.ip, user: e.user, file: e.file, line: e.line, message: evidenceText(e.message) };
  for (let k = 0; k < list.length; k++) {
    const c = list[k]!;
    const key = c.spec.key(e);
    if (key === null) continue;
    if (onHit === null) c.windows.store(key, item);
    else {
      const hit = c.windows.add(key, item);
      if (hit !== null) onHit(c, key, hit);
    }
  }
  return item;
}

/** What web_scan counted: a request answered 404 (BusEvents['notFound']). */
export type Counted404 = (ip: string, t: number, file: string, line: number, message: string) => void;

/** `emit`: each alert. `counted`: each request answered 404 that web_scan counted (the event store keeps them). */
export function createDetectors(cfg: DetectorConfig, emit: Emit, counted: Counted404 | null = null): Detectors {
  // An auth failure goes to three windows by its address and two by its account, one after another with the same
  // strings: each kind of key is looked up once per event, not once per window.
  const shared: Record<KeyKind, KeySlots> = { address: new KeySlots(), account: new KeySlots() };
  const counting: Counting[] = [];
  for (const spec of COUNTING) {
    const p = cfg.detectors[spec.id];
    if (!p.enabled) continue;
    const keys = spec.keyKind === null ? undefined : shared[spec.keyKind];
    counting.push({ spec, windows: new KeyedWindows({ windowMs: p.windowMs, threshold: p.threshold, distinct: spec.distinct, cooldownMs: p.cooldownMs, maxKeys: cfg.maxKeys, keys }) });
  }
  const sequences = new SequenceDetectors(cfg, shared);
  const scan = cfg.detectors.web_scan;
  const scanWindows = scan.enabled
    ? new KeyedWindows({ windowMs: scan.windowMs, threshold: scan.threshold, distinct: null, cooldownMs: scan.cooldownMs, maxKeys: cfg.maxKeys })
    : null;
  const clock = createEventClock();
  const takers = countingByType(counting);
  const recordTime = createFileTimes(); // for a 404 line without a time of its own
  // A 404's address is the window's key and the item's: interned as events' addresses are (rules/event.ts), so that a
  // scanner's items share it and the key look-ups meet the string they hashed before (a sliced copy of an address of
  // 13 characters or more is compared in V8's runtime).
  const notFoundIps = createValueInterner(RECENT_VALUES);
  const byId = new Map<DetectorId, KeyedWindows>(counting.map((c) => [c.spec.id, c.windows]));
  if (scanWindows !== null) byId.set('web_scan', scanWindows);

  const onHit: OnHit = (c, key, hit) => {
    const p = cfg.detectors[c.spec.id];
    emit({
      id: c.spec.id, severity: p.severity, key, title: c.spec.title(hit.count, shortDuration(p.windowMs)),
      count: hit.count, first: isoTime(hit.first), last: isoTime(hit.last), evidence: hit.evidence,
    });
  };

  return {
    event(e) {
      const t = clock(e);
      if (t === null) return;
      // most events no detector takes (probes, failed sudo, account changes...): no item made for them
      const list = takers(e.type, e.outcome);
      if (list.length === 0 && !sequences.takes(e)) return;
      sequences.event(e, countEvent(list, e, t, onHit), emit);
    },
    record(r, outcome) {
      if (scanWindows === null || outcome !== 'parsed') return;
      if (r.time !== null) recordTime.set(r.file, r.time);
      const status = r.fields[FIELD.status];
      // cheapest check first: most lines are not 404s (and most formats have no status: undefined tested apart, so
      // that the string compare stays a string compare)
      if (status === undefined || status !== '404') return;
      const ip = r.fields[FIELD.ip];
      const t = r.time ?? recordTime.get(r.file);
      if (ip === undefined || t === undefined) return;
      const key = notFoundIps(ip);
      const message = flatCopy(r.message);
      const item: WindowItem = { t, ip: null, user: null, file: r.file, line: r.line, message: evidenceText(message) };
      const hit = scanWindows.add(key, item);
      if (counted !== null) counted(key, t, item.file, item.line, message); // the store keeps the whole line's message
      if (hit === null) return;
      emit({
        id: 'web_scan', severity: scan.severity, key, title: `web scan: ${hit.count} requests answered 404 within ${shortDuration(scan.windowMs)}`,
        count: hit.count, first: isoTime(hit.first), last: isoTime(hit.last), evidence: hit.evidence,
      });
    },
    seedAlert(id, key, t) {
      if (!(DETECTOR_IDS as readonly string[]).includes(id)) return;
      byId.get(id as DetectorId)?.cool(key, t);
      sequences.seedAlert(id as DetectorId, key, t);
    },
    replay(e) {
      const t = clock(e);
      if (t === null) return;
      const list = takers(e.type, e.outcome);
      if (list.length === 0 && !sequences.takes(e)) return;
      sequences.replay(e, countEvent(list, e, t, null));
    },
    replayNotFound(ip, t, file, line, message) {
      scanWindows?.store(ip, { t, ip: null, user: null, file, line, message: evidenceText(message) });
    },
    expireIdle() {
      for (const c of counting) c.windows.expireIdle();
      scanWindows?.expireIdle();
      sequences.expireIdle();
    },
  };
}
