// An in-memory Io for in-process CLI tests: collects stdout and stderr as text, colour off, fixed clock, UTC.
import { PassThrough, Readable } from 'node:stream';
import type { Io } from '../../src/types.js';
import { ROOT } from './paths.js';

export interface MemoryIo extends Io {
  stdout(): string;
  stderr(): string;
}

export function memoryIo(opts: { stdin?: string | Buffer; now?: Date; env?: Record<string, string>; tty?: boolean } = {}): MemoryIo {
  const out = new PassThrough();
  const err = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (c: Buffer) => outChunks.push(c));
  err.on('data', (c: Buffer) => errChunks.push(c));
  const input = Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]) as Readable & { isTTY?: boolean };
  return {
    out,
    err,
    in: input,
    color: false,
    tty: opts.tty ?? false,
    errTty: opts.tty ?? false,
    now: opts.now ?? new Date('2026-11-26T12:00:00Z'),
    env: { TZ: 'UTC', ...(opts.env ?? {}) },
    cwd: ROOT,
    stdout: () => Buffer.concat(outChunks).toString('utf8'),
    stderr: () => Buffer.concat(errChunks).toString('utf8'),
  };
}
