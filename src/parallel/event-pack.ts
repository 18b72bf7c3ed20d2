// Events on their way from a worker to the main thread, packed as numbers and a list of strings. Structured clone
// writes every property name of every object and the main thread must read them back: for ~400,000 events a file
// that cost more than the parsing it saved. Packed, the repeated strings (type, rule, host, address, user, phone...)
// travel once per source, and the main thread rebuilds each event with the same shape, keys and values as the rule
// engine's. A repeated address or user is then one string on the main thread too, hashed once by the tables that
// count it. The time text does not travel: the rule engine writes it from the time in ms (src/rules/event.ts: time
// and timeMs both come from the record's time), so the main thread writes it again from timeMs; only the message
// travels as a string of its own (the clone of a list of time, phone and message cost ~3x that of the messages alone).
import { createIsoFormatter } from '../rules/event.js';
import type { EventType, Outcome, SecurityEvent, Severity, SigmaInfo } from '../types.js';
import { BufferPool } from './buffers.js';

/**
 * Numbers per event: type, severity, outcome, rule, host, program, ip, user, phone (dictionary codes), pid, port,
 * null mask, timeMs.
 */
export const NUMS_PER_EVENT = 13;
/** Strings per event: the message (then INLINE values, if any). */
const STRS_PER_EVENT = 1;
/** A dictionary code: the value is null. */
const NULL = -1;
/** A dictionary code: the value is in the strings, not the dictionary (the dictionary is full). */
const INLINE = -2;
/** Distinct repeated strings kept per source: names and addresses come from the log, so they are bounded. */
const DICT_MAX = 4096;
const PID_NULL = 1;
const PORT_NULL = 2;
/** timeMs is null, and so is the time text (the engine writes both from the record's time, or neither). */
const TIME_NULL = 4;

/** What a batch carries of its events. */
export interface PackedEvents {
  nums: Float64Array;
  /** Per event: the message, then the INLINE values in code order. */
  strs: string[];
  /** Dictionary entries new since the previous batch of the source. */
  dict: string[];
  /** The job's first batch: the dictionary starts empty (each block of a file read in blocks has its own). */
  first: boolean;
}

/** The worker's side: one per source. */
export class EventPacker {
  // A growing typed array written by index: Array#push with several arguments stayed out of V8's fast path (~1 µs
  // an event, measured), this is ~0.1 µs.
  private nums: Float64Array;
  private n = 0;
  private strs: string[] = [];
  private fresh: string[] = [];
  private readonly codes = new Map<string, number>();
  private taken = false;

  /** `buffers`: where its array comes from and goes back to (release). */
  constructor(private readonly buffers: BufferPool = new BufferPool()) {
    this.nums = new Float64Array(buffers.take(8 * NUMS_PER_EVENT * 1024));
  }

  get count(): number {
    return this.n / NUMS_PER_EVENT;
  }

  /** Bound: the engine's emit callback. A Sigma event's `sigma` key is not packed: the unpacker has it by rule. */
  readonly add = (e: SecurityEvent): void => {
    if (this.n + NUMS_PER_EVENT > this.nums.length) this.grow();
    const nums = this.nums;
    const i = this.n;
    this.n += NUMS_PER_EVENT;
    this.strs.push(e.message);
    // In this order: the INLINE values (a full dictionary) follow the message in code order.
    nums[i] = this.code(e.type);
    nums[i + 1] = this.code(e.severity);
    nums[i + 2] = this.code(e.outcome);
    nums[i + 3] = this.code(e.rule);
    nums[i + 4] = this.code(e.host);
    nums[i + 5] = this.code(e.program);
    nums[i + 6] = this.code(e.source.ip);
    nums[i + 7] = this.code(e.user);
    nums[i + 8] = this.code(e.phone);
    nums[i + 9] = e.pid ?? 0;
    nums[i + 10] = e.source.port ?? 0;
    nums[i + 11] = (e.pid === null ? PID_NULL : 0) | (e.source.port === null ? PORT_NULL : 0) | (e.timeMs === null ? TIME_NULL : 0);
    nums[i + 12] = e.timeMs ?? 0;
  };

  /** Numbers of the events added since the last take. */
  get length(): number {
    return this.n;
  }

  /**
   * The events added since the last take, and the dictionary entries they introduced; their numbers are copied
   * into `into` (`length` of them: read-job.ts gives a view of the batch's one buffer).
   */
  take(into: Float64Array = new Float64Array(this.n)): PackedEvents {
    into.set(this.nums.subarray(0, this.n));
    const packed = { nums: into, strs: this.strs, dict: this.fresh, first: !this.taken };
    this.taken = true;
    this.n = 0;
    this.strs = [];
    this.fresh = [];
    return packed;
  }

  /** The source ended: its array goes back to the pool (nothing more is added). */
  release(): void {
    this.buffers.give(this.nums.buffer as ArrayBuffer);
  }

  private grow(): void {
    const bigger = new Float64Array(this.buffers.take(16 * this.nums.length));
    bigger.set(this.nums);
    this.buffers.give(this.nums.buffer as ArrayBuffer);
    this.nums = bigger;
  }

  /** The value's dictionary code; a value that does not fit goes with the strings (INLINE). */
  private code(s: string | null): number {
    if (s === null) return NULL;
    const c = this.codes.get(s);
    if (c !== undefined) return c;
    if (this.codes.size >= DICT_MAX) {
      this.strs.push(s);
      return INLINE;
    }
    const n = this.codes.size;
    this.codes.set(s, n);
    this.fresh.push(s);
    return n;
  }
}

/** The main thread's side: one per source; events come back in the order they were added. */
export class EventUnpacker {
  private readonly dict: string[] = [];
  /** The engine's own formatter: the same text for the same ms, with its memo of the minute and the last time. */
  private readonly isoTime = createIsoFormatter();
  private nums: Float64Array = new Float64Array(0);
  private strs: string[] = [];
  private n = 0;
  private s = 0;

  /**
   * `sigma`: rule (`sigma:<id>`) -> the `sigma` key of that Sigma rule's events, the object the main thread's own
   * Sigma engine would attach (sigma/engine.ts sigmaInfoOf); null when no Sigma rule runs.
   */
  constructor(private readonly sigma: ReadonlyMap<string, Readonly<SigmaInfo>> | null = null) {}

  /** The next batch's events (its dictionary entries first). */
  load(p: PackedEvents): void {
    if (p.first) this.dict.length = 0;
    for (const d of p.dict) this.dict.push(d);
    this.nums = p.nums;
    this.strs = p.strs;
    this.n = 0;
    this.s = 0;
  }

  /** The next event, with the key order of src/rules/event.ts (JSON output follows it). */
  next(file: string, line: number): SecurityEvent {
    const { nums, strs } = this;
    const i = this.n;
    const j = this.s;
    this.n += NUMS_PER_EVENT;
    this.s += STRS_PER_EVENT;
    // In code order: INLINE values follow the message in that order.
    const type = this.value(nums[i]!) as EventType;
    const severity = this.value(nums[i + 1]!) as Severity;
    const outcome = this.value(nums[i + 2]!) as Outcome;
    const rule = this.value(nums[i + 3]!)!;
    const host = this.value(nums[i + 4]!);
    const program = this.value(nums[i + 5]!);
    const ip = this.value(nums[i + 6]!);
    const user = this.value(nums[i + 7]!);
    const phone = this.value(nums[i + 8]!);
    const mask = nums[i + 11]!;
    const timeMs = (mask & TIME_NULL) !== 0 ? null : nums[i + 12]!;
    const e: SecurityEvent = {
      type, severity, outcome, time: this.isoTime(timeMs), timeMs, source: { ip, port: (mask & PORT_NULL) !== 0 ? null : nums[i + 10]! },
      user, host, program, pid: (mask & PID_NULL) !== 0 ? null : nums[i + 9]!, phone, rule, message: strs[j]!, file, line,
    };
    // last, as the Sigma engine adds it
    if (this.sigma !== null && type === 'sigma.match') {
      const info = this.sigma.get(rule);
      if (info !== undefined) e.sigma = info;
    }
    return e;
  }

  /** A dictionary code's value; INLINE values are read in code order, which is the order of the calls above. */
  private value(code: number): string | null {
    if (code >= 0) return this.dict[code]!;
    if (code === NULL) return null;
    return this.strs[this.s++]!;
  }
}
