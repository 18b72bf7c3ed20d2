// Turns a byte stream into lines: LineGuard caps their length in bytes, split2 decodes UTF-8 and splits, and each
// line reaches onLine synchronously, in order, without its line ending.
import type { Readable } from 'node:stream';
import { isAscii } from 'node:buffer';
import split2 from 'split2';
import { LineGuard } from './line-guard.js';

export interface ReadLinesOptions {
  /** Longer lines are cut to this many bytes (on a character boundary) and delivered once with truncated=true. */
  maxLineBytes: number;
  /** Sees every chunk of bytes before it is split (the event store finds line-end offsets in them). */
  onChunk?: (chunk: Buffer) => void;
  /** Asked before each chunk is read; a promise pauses reading until it settles (output backpressure). */
  beforeChunk?: () => Promise<void> | null;
  /** The input starts inside a file (a block, src/parallel/): a byte-order mark there is a character of the line. */
  midFile?: boolean;
}

const NL = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;
/**
 * split2 slows down 5-10x once the string it decodes and splits reaches 128 KiB (V8 puts it in large-object space).
 * One non-ASCII character makes the whole decoded chunk a two-byte string, so 64 KiB of bytes already crossed that
 * line on most real logs (2,000,000 auth lines: 2.4 s at 64 KiB, 0.4 s at 32 KiB; BENCHMARKS.md): 32 KiB stays under
 * it with room for the carried-over partial line.
 */
const SPLIT_BYTES = 32 * 1024;
/**
 * One character above U+00FF makes V8 store the whole decoded piece as a two-byte string, and every line sliced from
 * it: twice the memory for what is kept of them (an alert's evidence, the addresses), and slower searches in every
 * stage after (split2's own split cost ~4x per line on auth.log with 0.2% Cyrillic user names). A piece that is not
 * ASCII is halved at a newline, and each half that is not ASCII again, down to ASCII_SPLIT: such characters then make
 * two-byte strings of the lines around them, not of the ~300 lines of a piece. Stopping when both halves were not
 * ASCII (as before) kept nearly every line two-byte once 1% of lines were not: a flood with Cyrillic account names
 * held 102,000 two-byte strings of 139,000 (BENCHMARKS.md, twenty-third round).
 */
const ASCII_SPLIT = 2 * 1024;
/**
 * Below ASCII_SPLIT a piece is halved only while one half is ASCII, down to this size: pieces of a few lines where
 * such characters are sparse, and no more writes where text is not ASCII throughout (all pieces of 256 bytes cost
 * that text ~25% more time).
 */
const ASCII_SPLIT_MIN = 256;

/**
 * Reads `input` to its end and calls onLine once per line. One trailing '\r' is stripped (CRLF and mixed endings);
 * a UTF-8 byte-order mark at the start of the first line is dropped; invalid UTF-8 becomes U+FFFD; empty lines are
 * delivered, but a final newline does not make an extra empty line. Rejects with the error of the input stream
 * after every complete line before it was delivered (the unfinished last line is not), or with the error onLine
 * threw (reading stops there).
 */
export async function readLines(
  input: Readable,
  opts: ReadLinesOptions,
  onLine: (line: string, truncated: boolean) => void,
): Promise<void> {
  let failed = false;
  let failure: unknown;
  let first = true;
  // The guard's cut piece completes the line split2 holds: writes return only after split2 has handed on every line
  // they complete (the mapper pushes nothing), so the next line delivered is the cut one.
  let cutNext = false;
  const splitter = split2('\n', (raw: string): undefined => {
    if (failed) return undefined;
    let line = raw;
    let truncated = false;
    if (cutNext) {
      truncated = true; // a cut line keeps a '\r' it may end with: that byte was inside the line, not its ending
      cutNext = false;
    } else if (line.charCodeAt(line.length - 1) === CR) {
      line = line.slice(0, -1);
    }
    if (first) {
      first = false;
      if (line.charCodeAt(0) === BOM && opts.midFile !== true) line = line.slice(1);
    }
    try {
      onLine(line, truncated);
    } catch (err) {
      // split2 would end the stream with it, but asynchronously; keep it here and stop at once
      failed = true;
      failure = err;
    }
    return undefined; // nothing is pushed: split2's readable side stays empty, so writes complete synchronously
  });
  const send = (piece: Buffer): void => {
    if (!failed) splitter.write(piece);
  };
  const guard = new LineGuard(opts.maxLineBytes, (bytes, cut) => {
    if (cut) cutNext = true;
    cutPieces(bytes, send);
  });

  // for-await destroys the input when we leave early (onLine threw); an input error is thrown here, after the
  // lines of every chunk before it were delivered, and the unfinished last line is dropped with the splitter.
  try {
    const { onChunk, beforeChunk } = opts;
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (onChunk !== undefined) onChunk(bytes);
      guard.feed(bytes);
      if (failed) throw failure;
      // after the chunk, before the next read: a paused loop leaves the input's own buffer to stop the reading
      const wait = beforeChunk === undefined ? null : beforeChunk();
      if (wait !== null) await wait;
    }
    guard.end();
    await new Promise<void>((resolve, reject) => {
      splitter.once('error', reject);
      splitter.end(() => resolve());
    });
  } finally {
    splitter.destroy();
  }
  if (failed) throw failure;
}

/**
 * Hands `bytes` on in the pieces split2 is given. Pieces of at most SPLIT_BYTES that end just after a newline leave
 * split2 nothing to carry over, so it splits each decoded piece as it is (a carried-over line is prepended, and the
 * whole piece copied to flatten the two). A piece that is not ASCII is halved at a newline, each half again while it
 * is not ASCII, down to ASCII_SPLIT; below that only while one half is ASCII, down to ASCII_SPLIT_MIN (see there).
 */
export function cutPieces(bytes: Buffer, send: (piece: Buffer) => void): void {
  /** `ascii`: whether the piece is ASCII, when already known. */
  const write = (piece: Buffer, ascii?: boolean): void => {
    if (piece.length > ASCII_SPLIT_MIN && !(ascii ?? isAscii(piece))) halve(piece);
    else send(piece);
  };
  const halve = (piece: Buffer): void => {
    let mid = piece.lastIndexOf(NL, piece.length >> 1);
    if (mid < 0) mid = piece.indexOf(NL, piece.length >> 1);
    if (mid < 0 || mid === piece.length - 1) return send(piece); // one line
    const left = piece.subarray(0, mid + 1);
    const right = piece.subarray(mid + 1);
    if (piece.length > ASCII_SPLIT) {
      write(left);
      write(right);
      return;
    }
    const leftAscii = isAscii(left);
    const rightAscii = isAscii(right);
    if (!leftAscii && !rightAscii) return send(piece); // text not ASCII throughout: smaller pieces would only cost
    write(left, leftAscii);
    write(right, rightAscii);
  };
  let i = 0;
  while (bytes.length - i > SPLIT_BYTES) {
    const nl = bytes.lastIndexOf(NL, i + SPLIT_BYTES - 1);
    const end = nl >= i ? nl + 1 : i + SPLIT_BYTES;
    write(bytes.subarray(i, end));
    i = end;
  }
  if (i < bytes.length) write(i === 0 ? bytes : bytes.subarray(i));
}
