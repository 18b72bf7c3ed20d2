// Remembers what the rules made of a message, so that a repeat skips them: logs repeat their messages word for word
// (every cron session, an attacker's retries; 64-85% of the lines of the loghub OpenSSH and Linux samples are
// repeats). Correct by construction: an answer is given back only for a record that the rules see exactly as the one
// it was made for (equal message; same rule lists, level, format and fields object).
import type { LogRecord } from '../types.js';
import type { EventTemplate } from './event.js';

/** What one record yielded: each event's template and how many times it was emitted (before the cap). */
export interface Outcome {
  readonly templates: readonly EventTemplate[];
  readonly times: readonly number[];
}

interface Entry {
  /** The message, copied (a slice of a line would keep the line alive). */
  readonly key: string;
  /** The record's rule lists (its program and fields; program-index.ts): the rules that ran. */
  readonly lists: object;
  readonly level: LogRecord['level'];
  readonly format: string | null;
  readonly fields: LogRecord['fields'];
  readonly outcome: Outcome;
}

/** Longer messages are not kept: they rarely repeat. */
export const MAX_KEY = 320;
/** Entries held (a power of two). */
export const SLOTS = 1024;
/** Look-ups of one kind of record (see `worth`) judged at a time, the hits they need, the records then skipped. */
export const TRIAL = 64;
export const MIN_HITS = 16;
export const PAUSE = 1024;
/**
 * A kind that failed trials in a row is paused PAUSE << failures, failures at most MAX_BACKOFF: a kind that never
 * repeats (a new address or port on every line) then pays one trial per 16,384 of its records, not per 1,024.
 */
const MAX_BACKOFF = 4;
// Kinds of record tracked per rule lists: first character (0-127, and one for the others) and length, mixed into
// KINDS entries (kinds that share an entry are judged together: still correct, only less precise). The character
// is multiplied by an odd number past the longest message asked about (MAX_KEY), so that the lengths of one
// character do not run into the next character's.
const CHARS = 129;
const KINDS = 1024;
const CHAR_STRIDE = 331;
const MAX_LISTS = 256;

/**
 * A direct-mapped table: one entry per slot, the slot chosen from the message's length and a few of its characters
 * (no Map: V8 hashes a whole new string on every look-up, which costs about as much as the rules on a line that
 * matches nothing). A message is kept only when its fingerprint comes a second time in a row to its slot, so that one-off messages
 * (a new address and port on every line) are neither copied nor push out the ones that repeat. The fingerprints
 * are numbers: holding the messages themselves would keep their lines' read chunks alive from one young-generation
 * collection to the next (measured: the collector's time went up by half).
 *
 * A miss costs about 0.2 µs (the fingerprint reads a third of the message), a hit saves 0.5-1 µs: below about one hit in
 * four look-ups asking does not pay, so kinds of record that seldom repeat (sshd's `Received disconnect from
 * <address> port <port>` or `Failed password ... port <port>` lines) are not asked about for a while once a trial
 * shows it (`worth`).
 */
export class OutcomeMemo {
  private readonly entries: (Entry | null)[] = new Array<Entry | null>(SLOTS).fill(null);
  private readonly sightings = new Int32Array(SLOTS);
  private slot = 0;
  /** Per rule lists, per kind: look-ups and hits of the current trial, records left to skip, trials failed in a row. */
  private readonly kinds = new Map<object, Int32Array>();
  private kind: Int32Array = new Int32Array(4);
  private lastLists: object | null = null; // whose kinds `kind` holds
  private at = 0;
  /** Whether the outcome of the record last passed to `get` (a miss) is to be kept: it is a second sighting. */
  admits = false;

  /**
   * Whether to ask about a message of `length` characters starting with character code `c` (NaN when empty): false
   * while its kind of record (rule lists, first character and length) is paused after a trial of TRIAL look-ups
   * found fewer than MIN_HITS hits. Call `get` next when true. The length separates kinds that share a first
   * character and a start: a message that repeats word for word repeats its length, and sshd's pam lines
   * (`pam_unix(sshd:session): session opened ...`, mostly repeats, and `pam_unix(sshd:auth): authentication failure;
   * ... rhost=<address>`, seldom) have different lengths; judged together they passed every trial, and each
   * authentication failure paid a miss.
   */
  worth(lists: object, c: number, length: number): boolean {
    let kind = lists === this.lastLists ? this.kind : this.kinds.get(lists);
    if (kind === undefined) {
      if (this.kinds.size >= MAX_LISTS) return false;
      kind = new Int32Array(KINDS * 4);
      this.kinds.set(lists, kind);
    }
    this.lastLists = lists;
    this.kind = kind;
    const at = (((c < CHARS - 1 ? c : CHARS - 1) * CHAR_STRIDE + length) & (KINDS - 1)) * 4;
    if (kind[at + 2]! > 0) {
      kind[at + 2]!--;
      return false;
    }
    this.at = at;
    return true;
  }

  /** What the rules made of this record's message before, or null (then see `admits`). */
  get(record: LogRecord, lists: object): Outcome | null {
    const message = record.message;
    const slot = slotOf(message);
    this.slot = slot;
    const e = this.entries[slot]!;
    const hit = e !== null && e.key === message && e.lists === lists && e.level === record.level && e.format === record.format
      && e.fields === record.fields;
    this.judge(hit);
    if (hit) return e.outcome;
    // Only a miss pays for the fingerprint that admits (a hit has compared the whole message already).
    const print = fingerprint(message);
    this.admits = this.sightings[slot] === print;
    if (!this.admits) this.sightings[slot] = print;
    return null;
  }

  /** Keeps the outcome of the record last passed to `get`; `key` equals its message and shares nothing with the line. */
  keep(key: string, record: LogRecord, lists: object, outcome: Outcome): void {
    this.entries[this.slot] = { key, lists, level: record.level, format: record.format, fields: record.fields, outcome };
    this.sightings[this.slot] = 0;
  }

  private judge(hit: boolean): void {
    const kind = this.kind;
    const at = this.at;
    if (hit) kind[at + 1]!++;
    if (++kind[at]! < TRIAL) return;
    if (kind[at + 1]! < MIN_HITS) {
      const failures = kind[at + 3]!;
      kind[at + 2] = PAUSE << failures;
      if (failures < MAX_BACKOFF) kind[at + 3] = failures + 1;
    } else {
      kind[at + 3] = 0;
    }
    kind[at] = 0;
    kind[at + 1] = 0;
  }
}

/** The slot of a message: its length and 8 of its characters, spread from the end, mixed. */
function slotOf(s: string): number {
  const n = s.length;
  let h = n;
  const step = (n >> 3) + 1;
  for (let i = n - 1, k = 0; i >= 0 && k < 8; i -= step, k++) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
  return (h ^ (h >>> 15)) & (SLOTS - 1);
}

/**
 * The length and every third character of the message (from the end), mixed; within 30 bits, so that V8 keeps it a
 * small integer, and never 0. Sampling fewer characters let messages that differ only in a port number share a
 * fingerprint too often (a copy and a kept entry for each): on the bench auth.log, 8 characters gave 30,749 false
 * second sightings in 300,000 lines, every other one 9,586. Every third one keeps 3,653 entries in 300,000 lines
 * against 3,256 for every other one, with as many hits (loghub OpenSSH and Linux: the same within 1), and reads a
 * third fewer characters on every miss (each read of a sliced message costs ~50 instructions).
 */
function fingerprint(s: string): number {
  let h = s.length;
  for (let i = s.length - 1; i >= 0; i -= 3) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
  return ((h ^ (h >>> 15)) & 0x3fffffff) | 1;
}
