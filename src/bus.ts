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
  /**
   * A request answered 404 that web_scan counted (from `ip`, at `t` ms: the line's time, or for a line without one
   * the last its file gave), with what its evidence shows; the strings are copies that hold no line alive. The event
   * store keeps these (warm.ts).
   */
  notFound: [ip: string, t: number, file: string, line: number, message: string];
  problem: [problem: SourceProblem];
  sourceEnd: [summary: SourceSummary];
  end: [];
}

type HotListener = (a: unknown, b?: unknown) => void;

const baseEmit = EventEmitter.prototype.emit;

/**
 * EventEmitter copies the listener list on every emit that has more than one listener (so that a listener added or
 * removed meanwhile does not disturb the loop). 'record' (every line) and 'event' have two to four listeners in a
 * scan, so the Bus keeps that copy instead and makes a new one only when a listener of theirs is added or removed:
 * the same listeners are called in the same order, with the same arguments, as EventEmitter would call them.
 */
export class Bus extends EventEmitter<BusEvents> {
  private recordListeners: HotListener[] | null = null;
  private eventListeners: HotListener[] | null = null;

  constructor() {
    super();
    const stale = (name: string | symbol): void => {
      if (name === 'record') this.recordListeners = null;
      else if (name === 'event') this.eventListeners = null;
    };
    // 'newListener' comes before the listener is added, 'removeListener' after it is gone: the copy is made later
    const plain = this as unknown as EventEmitter;
    plain.on('newListener', stale);
    plain.on('removeListener', stale);
  }

  override emit<K extends keyof BusEvents>(name: K, ...args: BusEvents[K]): boolean;
  override emit(name: keyof BusEvents, a?: unknown, b?: unknown): boolean {
    if (name === 'record') return callTwo(this, this.recordListeners ??= this.copyOf('record'), a, b);
    if (name === 'event') return callOne(this, this.eventListeners ??= this.copyOf('event'), a);
    // eslint-disable-next-line prefer-rest-params
    return Reflect.apply(baseEmit, this, arguments) as boolean; // the others, rare, with exactly their arguments
  }

  private copyOf(name: 'record' | 'event'): HotListener[] {
    return this.rawListeners(name) as HotListener[]; // a copy; 'once' wrappers remove themselves when called
  }
}

// One function per arity: a listener gets exactly the arguments emitted, as from EventEmitter.
function callTwo(bus: Bus, listeners: readonly HotListener[], a: unknown, b: unknown): boolean {
  for (let i = 0; i < listeners.length; i++) listeners[i]!.call(bus, a, b);
  return listeners.length > 0;
}

function callOne(bus: Bus, listeners: readonly HotListener[], a: unknown): boolean {
  for (let i = 0; i < listeners.length; i++) listeners[i]!.call(bus, a);
  return listeners.length > 0;
}
