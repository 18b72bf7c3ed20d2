// One large file on several threads: it is cut into blocks of whole lines that the workers read at once, and the
// main thread hands their lines on in file order (block-lane.ts), so that the bus sees what one reader would have
// put there. A file is cut only when every block can be read on its own: plain UTF-8 text from its first byte (not
// gzip, UTF-16 or binary), and a format its first lines lock that keeps no state from line to line (a stateful
// parser used in a later block is handled by block-lane.ts).
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { findFormat } from '../formats/registry.js';
import { createRecordStage } from '../formats/stage.js';
import type { Source } from '../sources/expand.js';
import { readLines } from '../sources/lines.js';
import { readsAsIs } from '../sources/open.js';
import type { LogFormat } from '../types.js';
import { BLOCK_BYTES } from './plan.js';

/** The most of a file's head read to detect its format: the first block's detection must end within it. */
const HEAD_BYTES = 1024 * 1024;
/** Bytes read at a time when looking for the end of a line at a block's nominal end. */
const SEEK_BYTES = 64 * 1024;
/** A line longer than this at a cut: the rest of the file is one block (one reader would read it whole too). */
const SEEK_MAX = 16 * 1024 * 1024;

export interface SplitOptions {
  forced: LogFormat | null;
  maxLineBytes: number;
  /** The time a year-less stamp is placed before (as readSource: the file's mtime, or now). */
  reference: Date;
}

/**
 * Whether `source` can be read in blocks: its head reads as is, and its first lines lock a stateless format (or the
 * format is forced). Returns the format and where the first block must reach (the end of the line that locked it, so
 * that its record stage decides on the same lines as one reader), or null: read it whole. Never throws: a file that cannot
 * be opened here is read whole, and its error said there.
 */
export async function canSplit(source: Source, opts: SplitOptions): Promise<{ firstEnd: number; format: string | null } | null> {
  if (source.path === null) return null;
  let head: Buffer;
  try {
    const file = await open(source.path, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await file.read(buf, 0, HEAD_BYTES, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return null;
  }
  if (!readsAsIs(head)) return null;
  if (opts.forced !== null) return { firstEnd: 0, format: null };
  const lines = head.subarray(0, head.lastIndexOf(0x0a) + 1);
  const found = await detect(lines, opts);
  if (found === null || found.format.saveState !== undefined) return null;
  let end = 0;
  for (let n = 0; n < found.lines; n++) end = lines.indexOf(0x0a, end) + 1; // each line read ends at one '\n'
  return { firstEnd: end, format: found.format.name };
}

/** The format the first lines lock (as the first block's record stage will, on the same lines) and after how many. */
async function detect(lines: Buffer, opts: SplitOptions): Promise<{ format: LogFormat; lines: number } | null> {
  let locked: string | null = null;
  let n = 0;
  const stage = createRecordStage({ file: '', ctx: { reference: opts.reference }, forced: null, onRecord: () => {} });
  await readLines(Readable.from([lines]), { maxLineBytes: opts.maxLineBytes }, (line, truncated) => {
    if (locked !== null) return;
    n++;
    stage.line(line, truncated);
    locked = stage.format;
  });
  const format = locked === null ? null : findFormat(locked);
  return format === undefined || format === null ? null : { format, lines: n };
}

/**
 * Cuts a file into blocks of whole lines as they are asked for: a block ends after the first line end at or past
 * `blockBytes` from its start. Reads a few KB at each cut, on the main thread (synchronously: cheap next to a block).
 */
export class BlockCutter {
  private at = 0;
  private done = false;
  private fd: number | null = null;
  private buf: Buffer | null = null;

  /** `firstEnd`: the first block reaches at least this far (canSplit). */
  constructor(private readonly path: string, private readonly size: number, private readonly blockBytes = BLOCK_BYTES, private readonly firstEnd = 0) {}

  next(): { start: number; end: number | null } | null {
    if (this.done) return null;
    const start = this.at;
    const end = this.cutAfter(start === 0 ? Math.max(this.blockBytes, this.firstEnd) : start + this.blockBytes);
    if (end === null) {
      this.done = true;
      this.close();
    } else {
      this.at = end;
    }
    return { start, end };
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** The offset just past the first '\n' at or after `from - 1`; null: the block runs to the end of the file. */
  private cutAfter(from: number): number | null {
    if (from >= this.size) return null;
    try {
      this.fd ??= openSync(this.path, 'r');
      const buf = (this.buf ??= Buffer.allocUnsafe(SEEK_BYTES)); // only the bytes read are looked at
      for (let pos = from - 1; pos < this.size && pos < from + SEEK_MAX; pos += SEEK_BYTES) {
        const n = readSync(this.fd, buf, 0, SEEK_BYTES, pos);
        if (n === 0) return null;
        const i = buf.subarray(0, n).indexOf(0x0a);
        if (i >= 0) return pos + i + 1 >= this.size ? null : pos + i + 1;
      }
    } catch {
      // the read error is met again, and said, by the block that reads there
    }
    return null;
  }
}
