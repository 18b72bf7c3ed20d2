// All detectors behind one door: takes events (and records, for 404s) in reading order and calls `emit` with each
// alert. Deterministic: the same input in the same order gives the same alerts in the same order; no wall clock.
import { copyString } from '../formats/intern.js';
import { FIELD, type Alert, type LineOutcome, type LogRecord, type SecurityEvent } from '../types.js';
import { DETECTOR_IDS, type DetectorConfig, type DetectorId } from './config.js';
import { COUNTING, type CountingSpec } from './counting.js';
import { createEventClock, isoTime, shortDuration } from './keys.js';
import { SequenceDetectors, type Emit } from './sequence.js';
import { KeyedWindows, type Evidence, type Hit } from './window.js';

export interface Detectors {
  event(e: SecurityEvent): void;
  record(r: LogRecord, outcome: LineOutcome): void;
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
}

/** How far before the latest stored event a warm start reaches back (ms). */
export interface WarmHorizon {
  /** Events to replay: enough for the longest window of every enabled detector. */
  eventsMs: number;
  /** Stored alerts that may still cool a key down: cooldown, plus a window for events read a little late. */
  alertsMs: number;
}

/**
 * success_after_failures needs twice its window (a success replayed near the start still finds the failures before
 * it); privilege_escalation its window plus that one (the suspicious login, and the failures before it). web_scan
 * counts 404 records, which are not stored: only its cooldowns are carried over.
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
  return { eventsMs, alertsMs: Math.max(alertsMs, eventsMs) };
}

interface Counting {
  spec: CountingSpec;
  windows: KeyedWindows;
}

export function createDetectors(cfg: DetectorConfig, emit: Emit): Detectors {
  const counting: Counting[] = [];
  for (const spec of COUNTING) {
    const p = cfg.detectors[spec.id];
    if (!p.enabled) continue;
    counting.push({ spec, windows: new KeyedWindows({ windowMs: p.windowMs, threshold: p.threshold, distinct: spec.distinct, cooldownMs: p.cooldownMs, maxKeys: cfg.maxKeys }) });
  }
  const sequences = new SequenceDetectors(cfg);
  const scan = cfg.detectors.web_scan;
  const scanWindows = scan.enabled
    ? new KeyedWindows({ windowMs: scan.windowMs, threshold: scan.threshold, distinct: false, cooldownMs: scan.cooldownMs, maxKeys: cfg.maxKeys })
    : null;
  const clock = createEventClock();
  const recordTime = new Map<string, number>();
  const byId = new Map<DetectorId, KeyedWindows>(counting.map((c) => [c.spec.id, c.windows]));
  if (scanWindows !== null) byId.set('web_scan', scanWindows);

  const alertOf = (c: Counting, key: string, hit: Hit): Alert => {
    const p = cfg.detectors[c.spec.id];
    return {
      id: c.spec.id, severity: p.severity, key, title: c.spec.title(hit.count, shortDuration(p.windowMs)),
      count: hit.count, first: isoTime(hit.first), last: isoTime(hit.last), evidence: hit.evidence,
    };
  };

  return {
    event(e) {
      const t = clock(e);
      if (t === null) return;
      const evidence: Evidence = { file: e.file, line: e.line, message: e.message };
      for (const c of counting) {
        const sel = c.spec.select(e);
        if (sel === null) continue;
        const hit = c.windows.add(sel.key, { t, value: sel.value, evidence });
        if (hit !== null) emit(alertOf(c, sel.key, hit));
      }
      sequences.event(e, t, evidence, emit);
    },
    record(r, outcome) {
      if (scanWindows === null || outcome !== 'parsed') return;
      if (r.time !== null) recordTime.set(r.file, r.time);
      if (r.fields[FIELD.status] !== '404') return; // cheapest check first: most lines are not 404s
      const ip = r.fields[FIELD.ip];
      const t = r.time ?? recordTime.get(r.file);
      if (ip === undefined || t === undefined) return;
      if (recordTime.size > 1024) recordTime.clear();
      const key = copyString(ip);
      const hit = scanWindows.add(key, { t, value: null, evidence: { file: r.file, line: r.line, message: copyString(r.message) } });
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
      const evidence: Evidence = { file: e.file, line: e.line, message: e.message };
      for (const c of counting) {
        const sel = c.spec.select(e);
        if (sel !== null) c.windows.store(sel.key, { t, value: sel.value, evidence });
      }
      sequences.replay(e, t, evidence);
    },
    expireIdle() {
      for (const c of counting) c.windows.expireIdle();
      scanWindows?.expireIdle();
      sequences.expireIdle();
    },
  };
}
