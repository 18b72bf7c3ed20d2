// All detectors behind one door: takes events (and records, for 404s) in reading order and calls `emit` with each
// alert. Deterministic: the same input in the same order gives the same alerts in the same order; no wall clock.
import { copyString } from '../formats/intern.js';
import { FIELD, type Alert, type LineOutcome, type LogRecord, type SecurityEvent } from '../types.js';
import type { DetectorConfig } from './config.js';
import { COUNTING, type CountingSpec } from './counting.js';
import { createEventClock, isoTime, shortDuration } from './keys.js';
import { SequenceDetectors, type Emit } from './sequence.js';
import { KeyedWindows, type Evidence, type Hit } from './window.js';

export interface Detectors {
  event(e: SecurityEvent): void;
  record(r: LogRecord, outcome: LineOutcome): void;
  /** Forgets keys idle for longer than their window and cooldown (watch mode calls it now and then). */
  expireIdle(): void;
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
    expireIdle() {
      for (const c of counting) c.windows.expireIdle();
      scanWindows?.expireIdle();
      sequences.expireIdle();
    },
  };
}
