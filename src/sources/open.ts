// Opens a byte source for reading as text: counts raw bytes, gunzips by magic bytes (never by name), turns UTF-16
// with a byte-order mark into UTF-8, and refuses binary content (NULs and controls in the first 8 KiB) before reading further.
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { InputError } from '../errors.js';

/**
 * Bytes per read, measured with test/sources/lines-bench.ts: 256 KiB and 1 MiB reads ran alike and ~1.5-2x faster
 * than 64 KiB. (readLines hands split2 at most 32 KiB at a time whatever the read size: see SPLIT_BYTES there.)
 */
export const READ_CHUNK = 256 * 1024;
/**
 * A NUL among the first 8 KiB of (decompressed) data makes a file a binary candidate (as grep decides); it is binary
 * only if control bytes are at least BINARY_SHARE of those bytes. One NUL alone does not do it: an attacker who gets
 * a NUL into a log line (a user name, a URL) must not make the whole file skipped.
 */
export const SNIFF_BYTES = 8192;
/** wtmp, journal files and executables are mostly NULs; random or compressed data has ~11% C0 controls. */
export const BINARY_SHARE = 0.08;
export const BINARY = 'BINARY';

type Chunks = AsyncIterator<Buffer, undefined>;

/** An open file as openPath uses it: a promise FileHandle, or a descriptor opened synchronously (openFile). */
interface OpenFile {
  readonly fd: number;
  close(): Promise<void>;
  /** A stream from the start of the file, which closes the file at its end. */
  createReadStream(opts: { highWaterMark: number }): Readable;
}

/**
 * Opens a file. One known to be regular (it was stat'ed as such) is opened with a synchronous call: a promise open
 * and close are a round trip each through libuv's thread pool, and in a tree of 6,000 small files these took
 * 1.3-2 s of a 2.6-4.6 s scan (three alternated pairs). O_NONBLOCK: should a FIFO have taken the file's place since
 * it was stat'ed, its open does not wait for a writer; it is then closed and opened the other way. Anything else is
 * opened off the event loop, as a stream opens it: opening a FIFO waits for its writer.
 */
async function openFile(path: string, regular: boolean): Promise<OpenFile> {
  if (regular) {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    let file = false;
    try {
      file = fstatSync(fd).isFile();
    } finally {
      if (!file) closeSync(fd);
    }
    if (file) return fdFile(fd);
  }
  return open(path, 'r');
}

function fdFile(fd: number): OpenFile {
  let live = true;
  return {
    fd,
    close: async () => {
      if (!live) return;
      live = false;
      closeSync(fd);
    },
    createReadStream: (opts) => {
      live = false; // the stream closes it
      return createReadStream('', { ...opts, fd, autoClose: true });
    },
  };
}

/**
 * Opens a file (regular, FIFO or character device) by path, reading `readBytes` at a time. A regular file whose head
 * reads as is (plain text: not gzip, UTF-16 or binary, the common case) is read by `fileChunks`; anything else as a
 * stream, from its start. A chunk of a plain file is a view of a reused buffer: its bytes stay only while the next
 * three chunks are read, so a consumer copies what it keeps (readLines decodes each chunk at once). `regular`: the
 * caller stat'ed the path as a regular file (see openFile).
 */
export async function openPath(path: string, name: string, onBytes: (n: number) => void, readBytes = READ_CHUNK, regular = false): Promise<Readable> {
  const handle = await openFile(path, regular);
  let head: Buffer | null = null;
  try {
    if (fstatSync(handle.fd).isFile()) {
      const buf = Buffer.allocUnsafe(Math.max(readBytes, SNIFF_BYTES));
      head = buf.subarray(0, readSync(handle.fd, buf, 0, buf.length, 0)); // at a position: the file offset stays 0
    }
  } catch (err) {
    await handle.close();
    throw err;
  }
  if (head === null || !readsAsIs(head)) return openBytes(handle.createReadStream({ highWaterMark: readBytes }), name, onBytes, readBytes);
  const ring = takeRing(readBytes);
  const bytes = Readable.from(fileChunks(handle, head, 0, null, ring, onBytes, readBytes), { objectMode: false, highWaterMark: readBytes });
  // Closed with the stream, at its end or when it is destroyed, even before its first read (a generator that never
  // started runs no `finally`); its buffers are free once nobody can read from the stream.
  bytes.once('close', () => {
    giveRing(ring);
    void handle.close();
  });
  return bytes;
}

/**
 * Whether a file that starts with `head` (its first SNIFF_BYTES, or all of it) is read byte for byte: not gzip, not
 * UTF-16, not binary. Only such a file can be read in blocks from any line's offset (src/parallel/).
 */
export function readsAsIs(head: Buffer): boolean {
  const chunks = [head];
  return !isGzip(chunks) && utf16Encoding(chunks) === null && !looksBinary(chunks, SNIFF_BYTES);
}

/**
 * Bytes [start, end) of a regular file whose head readsAsIs (end null: to the end), counted, without looking at
 * them again: a block of a file read on several threads. A byte-order mark at `start` is not one (see readLines).
 */
export function openRange(path: string, start: number, end: number | null, onBytes: (n: number) => void): Readable {
  const ring = takeRing(READ_CHUNK);
  async function* range(): AsyncGenerator<Buffer, undefined> {
    const handle = await open(path, 'r');
    try {
      yield* fileChunks(handle, null, start, end, ring, onBytes);
    } finally {
      await handle.close();
    }
    return undefined;
  }
  const bytes = Readable.from(range(), { objectMode: false, highWaterMark: READ_CHUNK });
  bytes.once('close', () => giveRing(ring)); // the last chunks may still sit in the stream until then
  return bytes;
}

/**
 * Buffers `fileChunks` reads into, in turn. A chunk is read by its consumer before the next one is asked for
 * (readLines decodes it at once), and Readable.from holds at most one more (its high-water mark is one read): four
 * leave room to spare. Reading into the same few buffers is what makes this reader cheap: a stream allocates a new
 * buffer per read, and the fresh memory costs page faults that the kernel fills with zeros (on a 233 MB access log,
 * 0.46 s to read the bytes through the stream layers against 0.06 s this way, most of it system time).
 */
const RING = 4;

/**
 * Rings whose stream closed, for the next file or block this thread opens. A file read in blocks (src/parallel/)
 * opens one range per block: a fresh ring each time was 1 MB of new external memory per block (page faults, and V8
 * counts external memory toward its full collections), 52 MB per 2,000,000 auth lines in 4 MB blocks. A stream
 * gives its ring back only once closed, when no chunk of it can be read any more; rings in use are never shared.
 * Bounded: streams open at once each have their own, and at most SPARE_RINGS wait here.
 */
const spareRings: Buffer[][] = [];
const SPARE_RINGS = 2;

/** A ring of RING buffers of `readBytes` (allocated as it is first written). */
function takeRing(readBytes: number): Buffer[] {
  for (let i = spareRings.length - 1; i >= 0; i--) {
    const ring = spareRings[i]!;
    if (ring[0]!.length !== readBytes) continue;
    spareRings.splice(i, 1);
    return ring;
  }
  return [];
}

/**
 * Called once per ring, when its stream closed. A ring that read fewer than RING times (a short file, a file's last
 * block) is kept too, and filled up as it is used again.
 */
function giveRing(ring: Buffer[]): void {
  if (ring.length > 0 && spareRings.length < SPARE_RINGS && !spareRings.includes(ring)) spareRings.push(ring);
}

/**
 * Bytes a read buffer starts into its allocation. A buffer of 256 KiB is memory of its own (glibc's malloc maps it),
 * whose bytes begin 16 bytes into a page, while a read from the page cache at a position that is a multiple of the
 * read size starts at the beginning of one: the kernel's copy of a source and a destination that far apart ran ~4x
 * slower on this project's machines (AMD EPYC, Linux 6.x; `readSync` of a 233 MB file in the page cache: ~95 ms at
 * offsets 8 to 24 into a page, ~20 ms at 0 or 32 and on). 64 bytes on makes it 80: the reads of a scan of that file
 * took 6-7.5 ms in all instead of 12-19 (strace, three alternated pairs on each of two files).
 */
const READ_ALIGN = 64;

function readBuffer(size: number): Buffer {
  return Buffer.allocUnsafeSlow(size + READ_ALIGN).subarray(READ_ALIGN);
}

/**
 * The bytes of a regular file from `start` to `end` (null: to its end of the moment), `head` first when it was read
 * already (from `start`), then `readBytes` at a time, counted, with synchronous reads: a regular file's read does not
 * wait on anyone, and the event loop still turns between two reads (timers, signals, output). The caller closes the
 * file.
 */
async function* fileChunks(handle: { readonly fd: number }, head: Buffer | null, start: number, end: number | null, ring: Buffer[],
  onBytes: (n: number) => void, readBytes = READ_CHUNK): AsyncGenerator<Buffer, undefined> {
  let pos = start;
  if (head !== null && head.length > 0) {
    pos += head.length;
    onBytes(head.length);
    yield head;
  }
  for (let k = 0; ; k = (k + 1) % RING) {
    const want = end === null ? readBytes : Math.min(readBytes, end - pos);
    if (want <= 0) return undefined;
    const buf = (ring[k] ??= readBuffer(readBytes));
    const n = readSync(handle.fd, buf, 0, want, pos);
    if (n === 0) return undefined;
    pos += n;
    onBytes(n);
    yield buf.subarray(0, n);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Opens any byte stream (standard input, a file stream). Resolves once the first bytes are known to be text;
 * rejects with an error of code BINARY for binary content, or with the read / gunzip error met before that.
 * Errors after that (a gzip truncated or corrupt further on, EIO) error the returned stream.
 */
export async function openBytes(source: AsyncIterable<Buffer | string>, name: string, onBytes: (n: number) => void, readBytes = READ_CHUNK): Promise<Readable> {
  const raw = counted(source, onBytes);
  let data: Chunks = raw;
  try {
    const magic = await take(raw, 2);
    data = replay(magic.chunks, raw);
    if (isGzip(magic.chunks)) data = await gunzip(data);
    let head = await take(data, SNIFF_BYTES);
    const utf16 = utf16Encoding(head.chunks);
    if (utf16 !== null) {
      data = transcode(replay(head.chunks, data), utf16);
      head = await take(data, SNIFF_BYTES);
    }
    if (looksBinary(head.chunks, SNIFF_BYTES)) {
      throw new InputError(`skipped binary file ${name}`, { code: BINARY, hint: 'audit reads text logs; read binary ones with their own tool (last, journalctl)' });
    }
    return Readable.from(replay(head.chunks, data), { objectMode: false, highWaterMark: readBytes });
  } catch (err) {
    await data.return?.(undefined); // closes the file, through every stage
    throw err;
  }
}

async function* counted(source: AsyncIterable<Buffer | string>, onBytes: (n: number) => void): AsyncGenerator<Buffer, undefined> {
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes(bytes.length);
    yield bytes;
  }
  return undefined;
}

/** Pulls chunks until at least `min` bytes (or the end) are in hand. */
async function take(from: Chunks, min: number): Promise<{ chunks: Buffer[] }> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < min) {
    const r = await from.next();
    if (r.done === true) break;
    chunks.push(r.value);
    length += r.value.length;
  }
  return { chunks };
}

/** The chunks already taken, then the rest; closing it closes what it reads from. */
async function* replay(head: readonly Buffer[], rest: Chunks): AsyncGenerator<Buffer, undefined> {
  try {
    for (const chunk of head) yield chunk;
    for (;;) {
      const r = await rest.next();
      if (r.done === true) return undefined;
      yield r.value;
    }
  } finally {
    await rest.return?.(undefined);
  }
}

function byteAt(chunks: readonly Buffer[], i: number): number {
  for (const c of chunks) {
    if (i < c.length) return c[i]!;
    i -= c.length;
  }
  return -1;
}

function isGzip(chunks: readonly Buffer[]): boolean {
  return byteAt(chunks, 0) === 0x1f && byteAt(chunks, 1) === 0x8b;
}

function utf16Encoding(chunks: readonly Buffer[]): 'utf-16le' | 'utf-16be' | null {
  const a = byteAt(chunks, 0);
  const b = byteAt(chunks, 1);
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  return null;
}

function looksBinary(chunks: readonly Buffer[], limit: number): boolean {
  let left = limit;
  let nul = false;
  for (const c of chunks) {
    if (left <= 0) break;
    const i = c.indexOf(0);
    if (i >= 0 && i < left) nul = true;
    left -= c.length;
  }
  return nul && controlShare(chunks, limit) >= BINARY_SHARE;
}

/** The share of C0 control bytes other than tab, line feed, form feed, carriage return and escape, and DEL. */
function controlShare(chunks: readonly Buffer[], limit: number): number {
  let seen = 0;
  let controls = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length && seen < limit; i++, seen++) {
      const b = c[i]!;
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) controls++;
    }
  }
  return seen === 0 ? 0 : controls / seen;
}

/** zlib reads every member of a concatenated gzip; a truncated or corrupt one errors the stream (Z_BUF_ERROR,
 *  Z_DATA_ERROR) after the text before the damage was passed on. */
async function gunzip(compressed: Chunks): Promise<Chunks> {
  // node:zlib (~1.5 ms to load) only for a gzip file
  const z = (await import('node:zlib')).createGunzip({ chunkSize: 64 * 1024 });
  pipeline(Readable.from(iterable(compressed), { objectMode: false }), z, () => {
    // errors reach the reader through z, which pipeline destroys with them
  });
  return z[Symbol.asyncIterator]() as Chunks;
}

/** UTF-16 logs (Windows exports) become UTF-8; TextDecoder drops the byte-order mark. */
async function* transcode(from: Chunks, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Buffer, undefined> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of iterable(from)) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const last = decoder.decode();
  if (last.length > 0) yield Buffer.from(last, 'utf8');
  return undefined;
}

function iterable(it: Chunks): AsyncIterable<Buffer> {
  return { [Symbol.asyncIterator]: () => it };
}
