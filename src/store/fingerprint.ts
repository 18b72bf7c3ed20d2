// What identifies a file's content across runs: device and inode, size, and a hash of its first line (decompressed
// for gzip). Rotation renames keep the inode; copies (copytruncate, compression) keep the first line.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** The first line is hashed up to this many bytes. */
export const FP_MAX = 1024;

export interface FileIdentity {
  dev: string;
  ino: string;
  size: number;
  mtime: Date;
  /** sha256 (hex) of the first fpLen bytes: the first line with its '\n', or fewer bytes when it is longer or unfinished. */
  fingerprint: string;
  fpLen: number;
  /** gzip or UTF-16: read from the start (offsets count decoded bytes). */
  whole: boolean;
  /** The first bytes (decompressed), kept to compare with fingerprints stored over another length. */
  head: Buffer;
}

export function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The fingerprinted prefix of a file's first bytes. */
export function firstLine(head: Buffer): Buffer {
  const nl = head.indexOf(0x0a);
  return head.subarray(0, nl >= 0 && nl < FP_MAX ? nl + 1 : Math.min(head.length, FP_MAX));
}

/** True when `head` starts with the bytes a stored fingerprint was taken over. */
export function sameStart(head: Buffer, fingerprint: string, fpLen: number): boolean {
  return fpLen <= head.length && hashBytes(head.subarray(0, fpLen)) === fingerprint;
}

/** Stats and fingerprints a regular file; null when it cannot be read (the scan reports that itself). */
export async function identify(path: string): Promise<FileIdentity | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const st = await fh.stat({ bigint: true });
    const buf = Buffer.alloc(FP_MAX);
    const { bytesRead } = await fh.read(buf, 0, FP_MAX, 0);
    let head: Buffer = buf.subarray(0, bytesRead);
    const gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    const utf16 = bytesRead >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
    if (gzip) head = await gunzipHead(path);
    const line = firstLine(head);
    return {
      dev: st.dev.toString(), ino: st.ino.toString(), size: Number(st.size), mtime: st.mtime,
      fingerprint: hashBytes(line), fpLen: line.length, whole: gzip || utf16, head: Buffer.from(head),
    };
  } catch {
    return null;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The first FP_MAX decompressed bytes (fewer for a short or damaged file). */
async function gunzipHead(path: string): Promise<Buffer> {
  const file = createReadStream(path, { highWaterMark: 64 * 1024 });
  const z = file.pipe(createGunzip());
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of z as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= FP_MAX) break;
    }
  } catch {
    // damaged: the fingerprint covers what could be decompressed
  } finally {
    file.destroy();
    z.destroy();
  }
  return Buffer.concat(chunks).subarray(0, FP_MAX);
}
