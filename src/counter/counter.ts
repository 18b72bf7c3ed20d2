// Folds everything on the bus into a Summary: line accounting per source, events by type and severity, bounded
// top addresses, users and hosts, the time span, problems and alerts. Renderers turn the Summary into text.
import type { Bus, SourceInfo } from '../bus.js';
import { copyString } from '../formats/intern.js';
import { sanitize } from '../text/sanitize.js';
import {
  SEVERITIES, severityRank,
  type Alert, type EventType, type LineOutcome, type LogRecord, type SecurityEvent, type Severity, type SourceProblem,
  type SourceSummary, type Summary,
} from '../types.js';
import { KeptAlerts } from './kept-alerts.js';
import { TopK } from './topk.js';

export const DEFAULT_MAX_KEYS = 10_000;

/**
 * Any character other than tab, printable ASCII and U+00A0-U+05FF. Every character sanitize() escapes is one of
 * these, so a message this does not match needs no sanitize() at all: one simple class scanned, where sanitize()
 * runs its long class and then looks for tabs.
 */
const MAYBE_UNSAFE = /[^\t\x20-\x7e\u00a0-\u05ff]/;

/** severityRank() as a property read (it searches the list). */
const RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
/** Alerts kept for the summary; past it a new alert replaces the least important one (NDJSON streams them all). */
export const MAX_ALERTS = 1_000;

export interface CounterOptions {
  /** Rows kept in each top table of the summary. */
  top: number;
  /** Capacity of each bounded key table (addresses, users, hosts). */
  maxKeys?: number;
}

interface SourceState extends SourceSummary {
  sanitized: number;
}

export class Counter {
  private readonly top: number;
  private readonly maxKeys: number;
  /** In the order sources started; a name scanned twice gets two entries. */
  private readonly sources: SourceState[] = [];
  /** The latest entry for each name, where records and events of that file go. */
  private readonly byName = new Map<string, SourceState>();
  /** The source between sourceStart and sourceEnd: takes records whose file names no source (should not happen). */
  private current: SourceState | null = null;
  /** One-entry cache: consecutive records name the same file, usually the very same string. */
  private lastFile: string | null = null;
  private lastSource: SourceState | null = null;
  /** Counts by severity rank, per event type (the counts by severity are their sums, made in summary()). */
  private readonly byType = new Map<EventType, number[]>();
  /**
   * The row and severity rank of the last event: events come in runs of one type and severity (the failures of an
   * attack), and two compares of constant strings cost less than a Map look-up and a keyed read. '' is no severity:
   * the first event misses.
   */
  private lastType = '';
  private lastSeverity = '';
  private lastRow: number[] = [];
  private lastRank = 0;
  /** The last message and whether sanitize() changes it ('' needs no escaping: the first compare may use it). */
  private lastMessage = '';
  private lastUnsafe = false;
  private readonly addresses: TopK;
  private readonly users: TopK;
  private readonly hosts: TopK;
  private firstTime: string | null = null;
  private lastTime: string | null = null;
  /** The times above as ms (timeMs): compared as numbers, where the text would be flattened and compared. */
  private firstMs = Infinity;
  private lastMs = -Infinity;
  private readonly problems: SourceProblem[] = [];
  private readonly alerts = new KeptAlerts(MAX_ALERTS);

  constructor(bus: Bus, opts: CounterOptions) {
    this.top = opts.top;
    this.maxKeys = opts.maxKeys ?? DEFAULT_MAX_KEYS;
    this.addresses = new TopK(this.maxKeys);
    this.users = new TopK(this.maxKeys);
    this.hosts = new TopK(this.maxKeys);
    bus.on('sourceStart', this.onSourceStart);
    bus.on('record', this.onRecord);
    bus.on('lines', this.onLines);
    bus.on('bytes', this.onBytes);
    bus.on('event', this.onEvent);
    bus.on('alert', this.onAlert);
    bus.on('problem', this.onProblem);
    bus.on('sourceEnd', this.onSourceEnd);
  }

  private readonly onSourceStart = (info: SourceInfo): void => {
    this.current = this.addSource(info.name);
    this.lastFile = null;
  };

  // Called for every line: keep it to a cache check and an increment.
  private readonly onRecord = (record: LogRecord, outcome: LineOutcome): void => {
    const s = this.sourceOf(record.file);
    s.lines++;
    switch (outcome) {
      case 'parsed': s.parsed++; break;
      case 'unparsed': s.unparsed++; break;
      case 'skipped': s.skipped++; break;
      case 'truncated': s.truncated++; break;
    }
  };

  /** Event-less lines folded by a parallel scan: counted as that many records. */
  private readonly onLines = (file: string, outcome: LineOutcome, count: number): void => {
    const s = this.sourceOf(file);
    s.lines += count;
    switch (outcome) {
      case 'parsed': s.parsed += count; break;
      case 'unparsed': s.unparsed += count; break;
      case 'skipped': s.skipped += count; break;
      case 'truncated': s.truncated += count; break;
    }
  };

  /**
   * Raw bytes as they are read, so that an interrupted scan still shows them; sourceEnd brings the final number.
   * Merged sources read ahead of their records: bytes of a source not announced yet wait for its sourceEnd.
   */
  private readonly onBytes = (n: number, source: string): void => {
    const s = this.byName.get(source);
    if (s !== undefined) s.bytes += n;
  };

  private readonly onEvent = (e: SecurityEvent): void => {
    const s = this.sourceOf(e.file);
    s.events++;
    // Repeated messages are often the very string of the event before (the rules' memo replays it): the last
    // answer is kept. A compare stops at the first differing character, the regex reads the whole message.
    const message = e.message;
    if (message !== this.lastMessage) {
      // sanitize() returns a longer string exactly when it escaped something (tabs become spaces: same length)
      this.lastUnsafe = MAYBE_UNSAFE.test(message) && sanitize(message).length !== message.length;
      this.lastMessage = message;
    }
    if (this.lastUnsafe) s.sanitized++;
    if (e.type !== this.lastType || e.severity !== this.lastSeverity) this.rowOf(e.type, e.severity);
    this.lastRow[this.lastRank]!++;
    if (e.source.ip !== null && e.source.ip !== '') this.addresses.add(e.source.ip, e.outcome);
    if (e.user !== null && e.user !== '') this.users.add(e.user, e.outcome);
    if (e.host !== null && e.host !== '') this.hosts.add(e.host, e.outcome);
    // The text is kept as the event has it (copied only in summary(), so one line at most stays alive); the order
    // is timeMs's. Reading mostly moves forward: a time after the last cannot be before the first (one compare).
    const t = e.timeMs;
    if (t !== null) {
      if (t > this.lastMs) {
        if (this.lastMs === -Infinity) {
          this.firstMs = t;
          this.firstTime = e.time;
        }
        this.lastMs = t;
        this.lastTime = e.time;
      } else if (t < this.firstMs) {
        this.firstMs = t;
        this.firstTime = e.time;
      }
    }
  };

  /** Makes the row of this type (and the rank of this severity) the last ones. */
  private rowOf(type: EventType, severity: Severity): void {
    let row = this.byType.get(type);
    if (row === undefined) {
      row = [0, 0, 0, 0, 0];
      this.byType.set(type, row);
    }
    this.lastType = type;
    this.lastSeverity = severity;
    this.lastRow = row;
    this.lastRank = RANK[severity];
  }

  private readonly onAlert = (a: Alert): void => {
    this.alerts.add(a);
  };

  private readonly onProblem = (p: SourceProblem): void => {
    this.problems.push({ ...p });
  };

  /** The pipeline's summary brings what only it knows (format, bytes); the counts are ours. */
  private readonly onSourceEnd = (end: SourceSummary): void => {
    const s = this.byName.get(end.name) ?? this.current ?? this.addSource(end.name);
    s.format = end.format;
    s.bytes = end.bytes;
    if (s === this.current) this.current = null;
    this.lastFile = null;
  };

  private addSource(name: string): SourceState {
    const s: SourceState = {
      name: copyString(name), format: null, bytes: 0,
      lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0, sanitized: 0,
    };
    this.sources.push(s);
    this.byName.set(s.name, s);
    return s;
  }

  private sourceOf(file: string): SourceState {
    const last = this.lastFile; // null tested apart: a compare with null-or-string is a generic one
    if (last !== null && file === last) return this.lastSource!;
    const s = this.byName.get(file) ?? this.current ?? this.addSource(file);
    this.lastFile = file;
    this.lastSource = s;
    return s;
  }

  /** A snapshot: later bus traffic does not change it. */
  summary(): Summary {
    const sources = this.sources.map((s) => ({ ...s }));
    const totals = { lines: 0, parsed: 0, unparsed: 0, skipped: 0, truncated: 0, events: 0, bytes: 0 };
    for (const s of sources) {
      totals.lines += s.lines;
      totals.parsed += s.parsed;
      totals.unparsed += s.unparsed;
      totals.skipped += s.skipped;
      totals.truncated += s.truncated;
      totals.events += s.events;
      totals.bytes += s.bytes;
    }
    return {
      sources,
      problems: this.problems.map((p) => ({ ...p })),
      totals,
      byType: this.typeRows(),
      bySeverity: this.severityTotals(),
      topSources: this.addresses.top(this.top),
      topUsers: this.users.top(this.top),
      topHosts: this.hosts.top(this.top),
      approximate: this.addresses.approximate || this.users.approximate || this.hosts.approximate,
      maxKeys: this.maxKeys,
      firstTime: this.firstTime === null ? null : copyString(this.firstTime),
      lastTime: this.lastTime === null ? null : copyString(this.lastTime),
      alerts: this.alerts.list(),
    };
  }

  private severityTotals(): Record<Severity, number> {
    const totals: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
    for (const counts of this.byType.values()) for (let rank = 0; rank < counts.length; rank++) totals[SEVERITIES[rank]!] += counts[rank]!;
    return totals;
  }

  /** Most severe first, then most frequent, then by name: the order the table shows. */
  private typeRows(): Summary['byType'] {
    const rows: Summary['byType'] = [];
    for (const [type, counts] of this.byType) {
      counts.forEach((count, rank) => {
        if (count > 0) rows.push({ type, severity: SEVERITIES[rank]!, count });
      });
    }
    return rows.sort((a, b) =>
      severityRank(b.severity) - severityRank(a.severity) || b.count - a.count || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }
}
