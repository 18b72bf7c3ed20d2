// Warm start of the detectors for `audit scan --db`: before new lines are read, the stored alerts that may still
// cool a key down, the stored events of the detectors' longest window and the requests answered 404 of web_scan's
// window before the end of the stored history go into the detectors (and nowhere else), so that an attack spanning
// two cron runs adds up and an alert is not raised twice.
import { warmHorizon, type Detectors } from '../detectors/detectors.js';
import type { DetectorConfig } from '../detectors/config.js';
import { timeMsOfIso } from '../rules/event.js';
import { isProblem, type Source } from '../sources/expand.js';
import type { EventType, Outcome, SecurityEvent, Severity, SourceProblem } from '../types.js';
import type { Db } from './db.js';

export interface WarmStart {
  /** Stored events replayed into the detectors. */
  events: number;
  /** Stored requests answered 404 replayed into web_scan. */
  notFound: number;
  /** Stored alerts that put a key in cooldown. */
  alerts: number;
  /** The latest time of a stored event or 404 (ISO 8601 UTC), or null: an empty store, nothing to continue. */
  latest: string | null;
}

interface WarmRow {
  type: string; severity: string; outcome: string; time: string; ip: string | null; port: number | null;
  user: string | null; host: string | null; program: string | null; pid: number | null; phone: string | null;
  rule: string; message: string; file: string; line: number;
}

// The columns the detectors read (never raw: with --store-lines it can be large). events_time serves both the range
// and the order (an index entry is (time, rowid)): no sort, one row in memory at a time.
const EVENTS = `SELECT type, severity, outcome, time, ip, port, user, host, program, pid, phone, rule, message, file, line
  FROM events WHERE time >= ? AND time <= ? ORDER BY time, id`;
/**
 * Where the stored history ends: the latest event time, but not one more than this after the clock. Logs are
 * attacker-controlled: a single line stamped 2099 must not move the replay out of reach of every later run.
 */
const FUTURE_MS = 60 * 60_000;
// Each max() is read from its table's time index.
const LATEST = `SELECT max(t) AS t FROM (SELECT max(time) AS t FROM events WHERE time <= ?
  UNION ALL SELECT max(time) FROM not_found WHERE time <= ?)`;
const NOT_FOUND = 'SELECT time, ip, file, line, message FROM not_found WHERE time >= ? AND time <= ? ORDER BY time, id';
// No upper bound: an alert may be stored ahead of its line's events (a cut line's end not read yet, Ctrl-C).
const ALERTS = 'SELECT detector, key, last FROM alerts WHERE last >= ?';

/**
 * Seeds the cooldowns, then replays the events, in one read transaction (one snapshot of the store). `now` is the
 * run's clock (see FUTURE_MS). `names` maps a stored file (absolute path) to the name this run reads it under, so
 * that evidence reads as in one run. Times are compared as text: every stored time is ISO 8601 UTC with
 * milliseconds, as Date.toISOString writes it.
 */
export function warmDetectors(db: Db, detectors: Detectors, cfg: DetectorConfig, names: ReadonlyMap<string, string>, now: Date): WarmStart {
  return db.transaction((): WarmStart => {
    const until = new Date(now.getTime() + FUTURE_MS).toISOString();
    const latest = (db.prepare(LATEST).get(until, until) as { t: string | null }).t;
    const latestMs = latest === null ? NaN : Date.parse(latest);
    if (latest === null || Number.isNaN(latestMs)) return { events: 0, notFound: 0, alerts: 0, latest: null };
    const horizon = warmHorizon(cfg);
    let alerts = 0;
    for (const r of db.prepare(ALERTS).iterate(new Date(latestMs - horizon.alertsMs).toISOString())) {
      const a = r as { detector: string; key: string; last: string };
      detectors.seedAlert(a.detector, a.key, Date.parse(a.last));
      alerts++;
    }
    let events = 0;
    if (horizon.eventsMs > 0) {
      for (const r of db.prepare(EVENTS).iterate(new Date(latestMs - horizon.eventsMs).toISOString(), latest)) {
        detectors.replay(toEvent(r as WarmRow, names));
        events++;
      }
    }
    let notFound = 0;
    if (horizon.notFoundMs > 0) {
      for (const r of db.prepare(NOT_FOUND).iterate(new Date(latestMs - horizon.notFoundMs).toISOString(), latest)) {
        const n = r as { time: string; ip: string; file: string; line: number; message: string };
        detectors.replayNotFound(n.ip, Date.parse(n.time), names.get(n.file) ?? n.file, n.line, n.message);
        notFound++;
      }
    }
    return { events, notFound, alerts, latest };
  })();
}

/** Stored path -> the name it is read under in this run, for every source that has a path. */
export function sourceNames(items: Iterable<Source | SourceProblem>): Map<string, string> {
  const names = new Map<string, string>();
  for (const s of items) if (!isProblem(s) && s.path !== null && s.path !== s.name) names.set(s.path, s.name);
  return names;
}

function toEvent(r: WarmRow, names: ReadonlyMap<string, string>): SecurityEvent {
  return {
    type: r.type as EventType, severity: r.severity as Severity, outcome: r.outcome as Outcome, time: r.time, timeMs: timeMsOfIso(r.time),
    source: { ip: r.ip, port: r.port }, user: r.user, host: r.host, program: r.program, pid: r.pid, phone: r.phone,
    rule: r.rule, message: r.message, file: names.get(r.file) ?? r.file, line: r.line,
  };
}
