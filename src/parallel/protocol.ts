// The messages between the main thread and the worker threads of a parallel scan, and the outcome codes that let a
// batch carry one byte per line instead of a record.
import type { MessagePort } from 'node:worker_threads';
import type { CompiledRule } from '../rules/compile.js';
import type { LineOutcome, ParserState, SourceProblem } from '../types.js';
import type { PackedEvents } from './event-pack.js';

/**
 * What a worker is started with: the rules the main thread compiled (a user's rule files and the built-ins, as
 * rules/compose.ts buildRuleSet orders them), cloned into the worker (plain data, RegExps and Sets), which then
 * neither loads the rules' modules or files nor validates and compiles them again; and the Sigma rules the main
 * thread loaded and screened, as the documents the worker compiles them from (their tests are closures).
 */
export interface WorkerData {
  rules: readonly CompiledRule[];
  sigma: readonly SigmaSource[];
}

/** A Sigma rule as sent to a worker: sigma/compile.ts compileSigma(doc, file) makes it again. */
export interface SigmaSource {
  doc: unknown;
  file: string;
}

/** Index = code: a batch's outcomes are these, one byte per line. */
export const OUTCOMES: readonly LineOutcome[] = ['parsed', 'unparsed', 'skipped', 'truncated'];
export const OUTCOME_CODE: Readonly<Record<LineOutcome, number>> = { parsed: 0, unparsed: 1, skipped: 2, truncated: 3 };

/** One source for a worker: everything readSource (src/pipeline.ts) uses, as plain data. */
export interface ReadJob {
  name: string;
  /** Absolute path of a regular file. */
  path: string;
  /** The file's mtime and the caller's clock (ms): a year-less timestamp is placed at or before the earlier. */
  mtime: number | null;
  now: number;
  /** --input-format, by name (a LogFormat holds functions). */
  forced: string | null;
  maxLineBytes: number;
  since: number | null;
  until: number | null;
  /** One block of a file read on several threads (blocks.ts); null: the whole source. */
  block: BlockJob | null;
}

/** A block of a file: whole lines, read byte for byte (the file's head readsAsIs, src/sources/open.ts). */
export interface BlockJob {
  /** Byte offsets: the first byte of a line, and the first byte of the next block (null: to the end of the file). */
  start: number;
  end: number | null;
  /** The format the first block's lines locked (null in the first block: it detects as any source does). */
  locked: string | null;
  /** The states to start the stateful parsers from (a block read again once the block before ended). */
  states: Record<string, ParserState> | null;
}

/** What the main thread needs of a block's end to go on with the next one as a single reader would. */
export interface BlockTail {
  lines: number;
  /** The time of the block's last parsed line that had one (a 404 without a time falls back to it). */
  lastParsedTime: number | null;
  /** A stateful parser was started: its answers depended on the states the block started with. */
  stateful: boolean;
  states: Record<string, ParserState>;
}

/**
 * Lines that need a record on the main thread: they have events, or the web_scan detector reads them (a parsed line
 * answered 404: src/detectors/detectors.ts record()). Other lines travel as a key and an outcome only. Per marked
 * line, MARK_WIDTH numbers: its index in the batch, its time, MARK_* flags, and how many events it has.
 */
export const MARK_WIDTH = 4;
/** The record's time is null. */
export const MARK_NO_TIME = 1;
/** A parsed 404: its address and message are the batch's next two `web` entries. */
export const MARK_404 = 2;
/** A 404 without a time before any parsed line with one in its block: it takes the time of the blocks before. */
export const MARK_TIME_BEFORE = 4;

/**
 * What the web_scan detector reads of a 404: the address field (undefined: the record has none) and the message (its
 * evidence); its status is 404. The record's time is then the line's own or, without one, the time of the source's
 * last parsed line that had one: what the detector falls back to, from lines that are not sent. Two list entries
 * rather than an object with a fields object: structured clone writes and reads back every property name of every
 * object, ~1 µs a 404 more than the two strings (measured; the access log has ~34,000 in 1,000,000 lines).
 */
export type WebEntry = string | undefined;

/** Its typed arrays are views of one buffer (read-job.ts BufferPool), which the main thread gives back once delivered. */
export interface Batch {
  t: 'batch';
  id: number;
  /** Line number of the batch's first line; the lines are consecutive. */
  first: number;
  /** Merge key per line, computed as Lane.push does (src/merge.ts). */
  keys: Float64Array;
  /** OUTCOME_CODE per line. */
  outcomes: Uint8Array;
  /** MARK_WIDTH numbers per marked line, in line order. */
  marks: Float64Array;
  /** The marked lines' events (before --min-severity, which the main thread applies as a single thread does). */
  events: PackedEvents;
  /** Two per MARK_404 line, in order: its address, then its message (WebEntry). */
  web: WebEntry[];
  /** Raw bytes read since the previous message. */
  bytes: number;
  /** The format so far and why, in case the worker dies before the end. */
  format: string | null;
  reason: string;
}

/**
 * What a reader (a worker thread, or the main thread's MainReader) posts for each batch: what the lane needs at once
 * (its line count for the merger, its bytes for progress, the format so far). The batch itself went to the job's own
 * port (ToWorker read), where it waits, serialized and off the main thread's heap, until the lane takes it in its turn
 * (pool.ts).
 */
export interface BatchNote {
  t: 'due';
  id: number;
  lines: number;
  bytes: number;
  format: string | null;
  reason: string;
}

/** What the main thread learns of a source's end. summary is null when it was never opened. */
export interface JobEnd {
  t: 'end';
  id: number;
  bytes: number;
  summary: { format: string | null; reason: string } | null;
  /** For a block (ReadJob.block); null when it was never opened. */
  tail?: BlockTail | null;
}

/** What a job (read-job.ts runJob) says, in a worker or on the main thread. */
export type JobMessage =
  | { t: 'open'; id: number }
  | Batch
  | { t: 'problem'; id: number; problem: SourceProblem }
  | JobEnd;

/**
 * What the pool receives: a job's messages, its batches replaced by notes (read-job.ts batchesTo). No Batch comes
 * this way, so none can be received and lost by a path that forgot the job's port.
 */
export type FromWorker = Exclude<JobMessage, Batch> | BatchNote;

export type ToWorker =
  /** `port`: where the job's batches go (read-job.ts batchesTo; a BatchNote of each goes the usual way). */
  | { t: 'read'; id: number; job: ReadJob; port: MessagePort }
  /** The merger delivered this many of the source's lines: the worker may read that much further. */
  | { t: 'consumed'; id: number; lines: number }
  /** Ctrl-C: stop reading every source, end each as readSource does on abort. */
  | { t: 'abort' }
  /** A delivered batch's buffer, given back to the thread that wrote it (read-job.ts BufferPool). */
  | { t: 'buffer'; buffer: ArrayBuffer };
