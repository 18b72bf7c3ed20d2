// Follows files like `tail -F`: polls each path by name, reads what was appended, survives rotation by rename (the
// old file is read to its end, then the new one from its start) and by copytruncate (a file that shrank is read
// again from its start), and picks up files created in a watched directory. Lines go through readLines (the same
// length guard, CRLF and UTF-8 handling as a scan).
import { statSync, type Stats } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describeSystemError } from '../errors.js';
import type { SourceProblem } from '../types.js';
import { readLines } from './lines.js';

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
  ino: number;
  pos: number;
  feed: PassThrough | null;
  reading: Promise<void> | null;
  sink: LineSink | null;
  missing: boolean; // reported once while the path does not exist
}

/** Follows `paths` (files or directories) until the signal aborts; every file is closed when it resolves. */
export async function followPaths(paths: readonly string[], opts: FollowOptions, handlers: FollowHandlers): Promise<void> {
  const tracked = new Map<string, Tracked>();
  const dirs: { name: string; path: string }[] = [];
  for (const name of paths) {
    const path = resolve(opts.cwd, name);
    const st = await stat(path).catch(() => null);
    if (st?.isDirectory()) {
      dirs.push({ name, path });
      for (const entry of (await readdir(path).catch(() => [])).sort()) await track(tracked, join(name, entry), join(path, entry), !opts.fromStart);
    } else {
      await track(tracked, name, path, !opts.fromStart);
    }
  }
  try {
    while (!opts.signal.aborted) {
      for (const d of dirs) {
        for (const entry of (await readdir(d.path).catch(() => [])).sort()) {
          const path = join(d.path, entry);
          if (!tracked.has(path)) await track(tracked, join(d.name, entry), path, false); // new: from its start
        }
      }
      let sinceTurn = 0;
      for (const t of tracked.values()) {
        await poll(t, opts, handlers);
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

async function track(tracked: Map<string, Tracked>, name: string, path: string, atEnd: boolean): Promise<void> {
  const t: Tracked = { name, path, fh: null, ino: -1, pos: 0, feed: null, reading: null, sink: null, missing: false };
  tracked.set(path, t);
  const st = await stat(path).catch(() => null);
  if (st === null || !st.isFile()) return;
  t.ino = st.ino;
  t.pos = atEnd ? st.size : 0;
}

/**
 * One round for one path: rotation checks, then whatever was appended. The path is stat'ed synchronously: a promise
 * stat is a round trip through the thread pool (~40 µs of CPU against ~3), and most rounds find nothing new, so a
 * directory of 6,000 files kept a core ~27% busy at the default 1 s poll (~3% now), as the walk of a scan found
 * (expand.ts).
 */
async function poll(t: Tracked, opts: FollowOptions, handlers: FollowHandlers): Promise<void> {
  let st: Stats | NodeJS.ErrnoException;
  try {
    st = statSync(t.path);
  } catch (err) {
    st = err as NodeJS.ErrnoException;
  }
  if (st instanceof Error) {
    if (t.fh !== null) await drainOld(t); // renamed away: what was written before the rename
    if (!t.missing && st.code !== 'ENOENT') handlers.problem(problemOf(t.name, st));
    t.missing = true;
    return;
  }
  if (!st.isFile()) return;
  t.missing = false;
  if (t.ino !== -1 && st.ino !== t.ino) {
    await drainOld(t); // rotated by rename: finish the old file, then the new one from its start
    t.pos = 0;
  } else if (st.size < t.pos) {
    await closeGeneration(t); // copytruncate: the file shrank, its new content starts at 0
    t.pos = 0;
  }
  t.ino = st.ino;
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
    t.pos += bytesRead;
    t.feed!.write(Buffer.from(buf.subarray(0, bytesRead)));
  }
}

/** The path now names another file (or none): read the old one to its end through its open handle, then close it. */
async function drainOld(t: Tracked): Promise<void> {
  if (t.fh === null) {
    if (t.pos > 0 && t.ino !== -1) t.pos = 0; // opened never (nothing appended since we started): start afresh
    return;
  }
  const st = await t.fh.stat().catch(() => null);
  if (st !== null) await readNew(t, st.size);
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
