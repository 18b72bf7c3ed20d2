// Follows files like `tail -F`: polls each path by name, reads what was appended, survives rotation by rename (the
// old file is read to its end, then the new one from its start) and by copytruncate (a file that shrank is read
// again from its start), and picks up files created in a watched directory. A file that appears there under a new
// name but is one already read (log rotation renamed it: same device and inode), or a copy of one (copytruncate: see
// Edges), goes on from where it was read, not from its start; a file that is not plain text (a rotated log
// compressed, UTF-16, binary) is not followed, and said so once. Lines go through readLines (the same length guard,
// CRLF and UTF-8 handling as a scan).
import { statSync, type Stats } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describeSystemError } from '../errors.js';
import type { SourceProblem } from '../types.js';
import { readLines } from './lines.js';
import { BINARY, readsAsIs, SNIFF_BYTES } from './open.js';

export interface LineSink {
  line(text: string, truncated: boolean): void;
  /** Nothing new was read this round (the record stage may stop holding lines for detection). */
  idle(): void;
  end(): void;
}

export interface FollowHandlers {
  /** A file (or a new generation of it after rotation) starts; `firstLine` is the number of its next line. */
  open(name: string, firstLine: number): LineSink;
  problem(p: SourceProblem): void;
}

export interface FollowOptions {
  pollMs: number;
  /** Read existing files from their start instead of their end. */
  fromStart: boolean;
  maxLineBytes: number;
  signal: AbortSignal;
  cwd: string;
}

const READ_BYTES = 256 * 1024;
/** Paths polled between two turns of the event loop. */
const POLLS_PER_TURN = 64;

interface Tracked {
  name: string;
  path: string;
  fh: FileHandle | null;
  dev: number;
  ino: number;
  pos: number;
  /** The current generation (this inode) is not plain text: not read (said once). */
  notText: boolean;
  /** The current generation is followed under another name already (a link): not read under this one. */
  alias: boolean;
  /** Found in a watched directory: its generations' edges are kept (copies of them are told apart). */
  inDir: boolean;
  /** The first bytes of the current generation and the last ones before `pos` (see Edges); null until it is read. */
  edges: Edges | null;
  feed: PassThrough | null;
  reading: Promise<void> | null;
  sink: LineSink | null;
  missing: boolean; // reported once while the path does not exist
}

/** Follows `paths` (files or directories) until the signal aborts; every file is closed when it resolves. */
export async function followPaths(paths: readonly string[], opts: FollowOptions, handlers: FollowHandlers): Promise<void> {
  const tracked = new Map<string, Tracked>();
  const gone: Gone = { byFile: new Map(), copies: [] };
  const dirs: { name: string; path: string }[] = [];
  for (const name of paths) {
    const path = resolve(opts.cwd, name);
    const st = await stat(path).catch(() => null);
    if (st?.isDirectory()) {
      dirs.push({ name, path });
      for (const entry of (await readdir(path).catch(() => [])).sort()) await track(tracked, gone, join(name, entry), join(path, entry), !opts.fromStart, true);
    } else {
      await track(tracked, gone, name, path, !opts.fromStart, false);
    }
  }
  try {
    while (!opts.signal.aborted) {
      for (const d of dirs) {
        for (const entry of (await readdir(d.path).catch(() => [])).sort()) {
          const path = join(d.path, entry);
          if (!tracked.has(path)) await track(tracked, gone, join(d.name, entry), path, false, true); // new: from its start
        }
      }
      let sinceTurn = 0;
      for (const t of tracked.values()) {
        await poll(t, gone, opts, handlers);
        // the stats are synchronous (see poll): the event loop turns every POLLS_PER_TURN files (output, Ctrl-C)
        if (++sinceTurn === POLLS_PER_TURN) {
          sinceTurn = 0;
          await new Promise<void>((r) => setImmediate(r));
        }
      }
      await sleep(opts.pollMs, opts.signal);
    }
  } finally {
    for (const t of tracked.values()) await closeGeneration(t);
  }
}

/**
 * Where files no longer under the name they were followed by were read to, by device and inode: log rotation renames
 * a file, and the directory's next listing shows it under its new name. At most GONE_MAX, the oldest forgotten. And
 * generations a copytruncate rotation truncated, with their edges: the copy may be listed after the truncation was seen.
 */
interface Gone {
  byFile: Map<string, number>;
  copies: { edges: Edges; pos: number }[];
}
const GONE_MAX = 1024;
const COPIES_MAX = 64;

/**
 * The first EDGE bytes of a generation and the EDGE bytes before where it was read to. A file that appears in a
 * watched directory with the same first bytes and the same bytes before that position is a copy of what was read
 * (logrotate's copytruncate copies the log, then empties it): it is read from there on, not again from its start.
 * Two different logs that agree on both are not met in practice (the first line carries a time; the bytes before the
 * position are the last lines read). Lines written to the log after the last round read it and before the copy are
 * in both files: read from the copy, and again from the log if a round reads it before it is emptied (logrotate
 * empties it right after the copy, so that a round seldom falls in between). Read twice rather than not at all.
 */
interface Edges {
  head: Buffer;
  tail: Buffer;
}
const EDGE = 1024;

/** A file's first bytes and the bytes before `pos` (both at most EDGE), through its open handle. */
async function edgesAt(fh: FileHandle, pos: number): Promise<Edges> {
  const head = Buffer.alloc(Math.min(EDGE, pos));
  const tail = Buffer.alloc(Math.min(EDGE, pos));
  const h = await fh.read(head, 0, head.length, 0).catch(() => ({ bytesRead: 0 }));
  const t = await fh.read(tail, 0, tail.length, pos - tail.length).catch(() => ({ bytesRead: 0 }));
  return { head: head.subarray(0, h.bytesRead), tail: tail.subarray(0, t.bytesRead) };
}

/**
 * The first of `candidates` (generations read to `pos`, with their edges) that the file at `path` (`size` bytes) is a
 * copy of: it starts with the candidate's first bytes and holds its last bytes read just before `pos`. -1 for none.
 * The file is opened once and its start read once; a candidate whose start matches costs one more read.
 */
async function copyOf(path: string, size: number, candidates: readonly { edges: Edges | null; pos: number }[]): Promise<number> {
  let fh: FileHandle | null = null;
  try {
    fh = await open(path, 'r');
    const start = Buffer.alloc(Math.min(EDGE, size));
    const got = (await fh.read(start, 0, start.length, 0)).bytesRead;
    for (let i = 0; i < candidates.length; i++) {
      const { edges, pos } = candidates[i]!;
      if (edges === null || pos <= 0 || pos > size || edges.head.length === 0 || edges.tail.length === 0) continue;
      if (edges.head.length > got || !start.subarray(0, edges.head.length).equals(edges.head)) continue;
      const tail = Buffer.alloc(edges.tail.length);
      const n = (await fh.read(tail, 0, tail.length, pos - tail.length)).bytesRead;
      if (n === tail.length && tail.equals(edges.tail)) return i;
    }
    return -1;
  } catch {
    return -1;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

function fileKey(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}

function remember(gone: Gone, t: Tracked): void {
  if (t.ino === -1) return;
  const key = fileKey(t.dev, t.ino);
  gone.byFile.delete(key);
  gone.byFile.set(key, t.pos);
  if (gone.byFile.size > GONE_MAX) gone.byFile.delete(gone.byFile.keys().next().value!);
}

/**
 * Starts following `path` at its end, or at its start (`atEnd` false: a file found later in a watched directory).
 * Such a file that is one followed already (the same device and inode under another name: log rotation renamed it
 * since the last round) takes over that follower's place in it, open file, line numbers and all, and the follower of
 * the old name starts afresh with whatever comes to that name; one read before under a name it left goes on from
 * where it was read; a second name of a file still followed under its own (a link) is not read; a copy of a followed
 * generation (copytruncate, see Edges) is read from where that generation was read to.
 */
async function track(tracked: Map<string, Tracked>, gone: Gone, name: string, path: string, atEnd: boolean, inDir: boolean): Promise<void> {
  const t: Tracked = { name, path, fh: null, dev: -1, ino: -1, pos: 0, notText: false, alias: false, inDir, edges: null, feed: null, reading: null, sink: null, missing: false };
  tracked.set(path, t);
  const st = await stat(path).catch(() => null);
  if (st === null || !st.isFile()) return;
  t.dev = st.dev;
  t.ino = st.ino;
  t.pos = atEnd ? st.size : 0;
  if (atEnd) return;
  for (const o of tracked.values()) {
    if (o === t || o.ino !== st.ino || o.dev !== st.dev) continue;
    if (names(o.path, st)) {
      // the old name still names it: a second name (a link made while watching), not a rotation; read under one
      t.alias = true;
      return;
    }
    Object.assign(t, { fh: o.fh, pos: o.pos, notText: o.notText, edges: o.edges, feed: o.feed, reading: o.reading, sink: o.sink });
    Object.assign(o, { fh: null, dev: -1, ino: -1, pos: 0, notText: false, edges: null, feed: null, reading: null, sink: null });
    return;
  }
  const key = fileKey(st.dev, st.ino);
  const read = gone.byFile.get(key);
  if (read !== undefined) {
    gone.byFile.delete(key);
    t.pos = Math.min(read, st.size);
    return;
  }
  // a copy of a followed generation (copytruncate): of one followed now, or of one seen emptied already
  if (st.size === 0) return;
  const others = [...tracked.values()].filter((o) => o !== t && o.edges !== null && o.pos > 0);
  const candidates = [...others, ...gone.copies.slice().reverse()];
  const at = await copyOf(path, st.size, candidates);
  if (at < 0) return;
  t.pos = candidates[at]!.pos;
  if (at >= others.length) gone.copies.splice(gone.copies.length - 1 - (at - others.length), 1);
}

/** What is known of the file a name held is forgotten: the next one is read from its start. */
function newGeneration(t: Tracked): void {
  t.pos = 0;
  t.notText = false;
  t.alias = false;
  t.edges = null;
}

/** Whether `path` names the file `st` describes (same device and inode). */
function names(path: string, st: Stats): boolean {
  try {
    const now = statSync(path);
    return now.ino === st.ino && now.dev === st.dev;
  } catch {
    return false;
  }
}

/**
 * One round for one path: rotation checks, then whatever was appended. The path is stat'ed synchronously: a promise
 * stat is a round trip through the thread pool (~40 µs of CPU against ~3), and most rounds find nothing new, so a
 * directory of 6,000 files kept a core ~27% busy at the default 1 s poll (~3% now), as the walk of a scan found
 * (expand.ts).
 */
async function poll(t: Tracked, gone: Gone, opts: FollowOptions, handlers: FollowHandlers): Promise<void> {
  let st: Stats | NodeJS.ErrnoException;
  try {
    st = statSync(t.path);
  } catch (err) {
    st = err as NodeJS.ErrnoException;
  }
  if (st instanceof Error) {
    if (t.ino !== -1) {
      await drainOld(t, gone); // renamed away: what was written before the rename
      newGeneration(t);
      t.ino = -1; // once: whatever comes to this name next is a new file, read from its start
    }
    if (!t.missing && st.code !== 'ENOENT') handlers.problem(problemOf(t.name, st));
    t.missing = true;
    return;
  }
  if (!st.isFile()) return;
  t.missing = false;
  if (t.ino !== -1 && (st.ino !== t.ino || st.dev !== t.dev)) {
    await drainOld(t, gone); // rotated by rename: finish the old file, then the new one from its start
    newGeneration(t);
  } else if (st.size < t.pos) {
    await closeGeneration(t); // copytruncate: the file shrank, its new content starts at 0
    if (t.edges !== null) {
      gone.copies.push({ edges: t.edges, pos: t.pos }); // its copy may be listed next
      if (gone.copies.length > COPIES_MAX) gone.copies.shift();
      t.edges = null;
    }
    t.pos = 0;
    t.notText = false;
  }
  t.dev = st.dev;
  t.ino = st.ino;
  if (t.notText || t.alias) return;
  if (st.size === t.pos) {
    t.sink?.idle();
    return;
  }
  if (t.fh === null && !(await openGeneration(t, opts, handlers))) return;
  await readNew(t, st.size);
}

async function openGeneration(t: Tracked, opts: FollowOptions, handlers: FollowHandlers): Promise<boolean> {
  try {
    t.fh = await open(t.path, 'r');
  } catch (err) {
    handlers.problem(problemOf(t.name, err));
    return false;
  }
  // A rotated log compressed next to the live one, a UTF-16 or binary file: not lines to follow (audit scan reads
  // the first two; read as they are, they were hundreds of lines of garbage).
  const head = Buffer.alloc(SNIFF_BYTES);
  const { bytesRead } = await t.fh.read(head, 0, SNIFF_BYTES, 0).catch(() => ({ bytesRead: 0 }));
  if (!readsAsIs(head.subarray(0, bytesRead))) {
    await t.fh.close().catch(() => undefined);
    t.fh = null;
    t.notText = true;
    handlers.problem({ source: t.name, message: `not following ${t.name}: compressed, UTF-16 or binary (audit scan reads such files)`, code: BINARY, level: 'warning' });
    return false;
  }
  // a file in a watched directory: what it holds up to here, once (a file that never grows costs nothing)
  if (t.inDir && t.edges === null) t.edges = await edgesAt(t.fh, t.pos);
  const firstLine = t.pos === 0 ? 1 : (await countLines(t.fh, t.pos)) + 1;
  const sink = handlers.open(t.name, firstLine);
  const feed = new PassThrough();
  t.sink = sink;
  t.feed = feed;
  t.reading = readLines(feed, { maxLineBytes: opts.maxLineBytes }, (line, truncated) => sink.line(line, truncated)).catch(() => undefined);
  return true;
}

async function readNew(t: Tracked, size: number): Promise<void> {
  const buf = Buffer.allocUnsafe(READ_BYTES);
  while (t.fh !== null && t.pos < size) {
    const { bytesRead } = await t.fh.read(buf, 0, Math.min(READ_BYTES, size - t.pos), t.pos);
    if (bytesRead === 0) break;
    const bytes = Buffer.from(buf.subarray(0, bytesRead));
    if (t.edges !== null) t.edges = extended(t.edges, t.pos, bytes);
    t.pos += bytesRead;
    t.feed!.write(bytes);
  }
}

/** The edges once `bytes`, read at `at`, are read too. */
function extended(e: Edges, at: number, bytes: Buffer): Edges {
  const head = at < EDGE && e.head.length === at ? Buffer.concat([e.head, bytes.subarray(0, EDGE - at)]) : e.head;
  const tail = bytes.length >= EDGE ? bytes.subarray(bytes.length - EDGE) : Buffer.concat([e.tail, bytes]).subarray(-EDGE);
  return { head, tail: Buffer.from(tail) };
}

/**
 * The path now names another file (or none): read the old one to its end through its open handle, then close it.
 * Where it was read to is remembered: the directory's next listing may show it under its new name.
 */
async function drainOld(t: Tracked, gone: Gone): Promise<void> {
  if (t.fh === null) {
    remember(gone, t);
    if (t.pos > 0 && t.ino !== -1) t.pos = 0; // opened never (nothing appended since we started): start afresh
    return;
  }
  const st = await t.fh.stat().catch(() => null);
  if (st !== null) await readNew(t, st.size);
  remember(gone, t);
  await closeGeneration(t);
}

async function closeGeneration(t: Tracked): Promise<void> {
  if (t.feed !== null) {
    t.feed.end();
    await t.reading;
    t.sink?.end();
  }
  await t.fh?.close().catch(() => undefined);
  t.fh = null;
  t.feed = null;
  t.reading = null;
  t.sink = null;
}

/** Lines before byte `end` (newlines counted), so that evidence points at real line numbers. */
async function countLines(fh: FileHandle, end: number): Promise<number> {
  const buf = Buffer.allocUnsafe(1024 * 1024);
  let lines = 0;
  for (let pos = 0; pos < end;) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
    if (bytesRead === 0) break;
    for (let i = buf.indexOf(10, 0); i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) lines++;
    pos += bytesRead;
  }
  return lines;
}

function problemOf(name: string, err: unknown): SourceProblem {
  const { code, message } = describeSystemError(err);
  return { source: name, message: `cannot follow ${name}: ${message}`, code, level: 'warning' };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((res) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      res();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
