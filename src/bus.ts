// The event bus: a typed wrapper over EventEmitter that carries records, events and alerts from the pipeline to the
// counter, detectors and reporters. Listeners are synchronous and must not throw; data only moves forward.
import { EventEmitter } from 'node:events';
import type { Alert, LineOutcome, LogRecord, SecurityEvent, SourceProblem, SourceSummary } from './types.js';

export interface SourceInfo {
  name: string;
  size: number | null; // bytes on disk, when known
}

export interface BusEvents {
  sourceStart: [info: SourceInfo];
  /** Every line read, once, with how it was accounted for. */
  record: [record: LogRecord, outcome: LineOutcome];
  /**
   * `count` consecutive lines of `file`, all with this outcome and no events, in their place among the records: a
   * parallel scan (src/parallel/) folds such lines instead of building a record each. A listener that counts
   * 'record's counts these too. Only `audit scan` emits it, and only with no --db and only the built-in rules.
   */
  lines: [file: string, outcome: LineOutcome, count: number];
  /** Raw bytes read from a source (compressed bytes for .gz), for progress. */
  bytes: [count: number, source: string];
  event: [event: SecurityEvent];
  alert: [alert: Alert];
  problem: [problem: SourceProblem];
  sourceEnd: [summary: SourceSummary];
  end: [];
}

export class Bus extends EventEmitter<BusEvents> {}
