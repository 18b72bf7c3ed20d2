// Where each file was read to, and what a file seen now is: the same file grown, the same file truncated or
// replaced, a rotated copy of a file already read (copytruncate's .1, a .gz), or new. Decisions are pure functions
// over stored cursor rows; plan.ts does the file system and database work around them.
import { basename, dirname } from 'node:path';
import { rotationKey } from '../sources/rotation.js';
import type { Db } from './db.js';
import { sameStart, type FileIdentity } from './fingerprint.js';

export interface CursorRow {
  id: number;
  path: string;
  dev: string;
  ino: string;
  size: number;
  offset: number;
  lines: number;
  fingerprint: string;
  fp_len: number;
  whole: number;
  retired: number;
  version: number;
}

export type Decision =
  /** The file read before, grown (or a rename of it): read on from the row's offset. */
  | { kind: 'resume'; row: CursorRow; offset: number; lines: number }
  /** The same inode, but shorter than what was read or with another first line (copytruncate, rewritten): from 0. */
  | { kind: 'new' }
  /** Nothing was added since the row was written. */
  | { kind: 'unchanged'; row: CursorRow }
  /** A rotated copy of a file already read (new inode, same first line, next to it): from the row's offset, as a new row. */
  | { kind: 'copy'; from: CursorRow; offset: number; lines: number };

/** The family a log file belongs to in its directory: auth.log.1, auth.log.2.gz and auth.log share one. */
export function familyOf(path: string): string {
  return dirname(path) + '\0' + rotationKey(basename(path)).base;
}

/**
 * What to do with a file, given the rows stored for its inode (`sameInode`) and the rows of its family with the same
 * first line (`copies`, other inodes). The inode decides first: a rename keeps it.
 */
export function decide(id: FileIdentity, path: string, sameInode: readonly CursorRow[], copies: readonly CursorRow[]): Decision {
  const row = sameInode.find((r) => sameStart(id.head, r.fingerprint, r.fp_len));
  if (row !== undefined) {
    if (id.whole) return id.size === row.size ? { kind: 'unchanged', row } : { kind: 'resume', row, offset: row.offset, lines: row.lines };
    if (id.size < row.offset) return { kind: 'new' }; // truncated, then written again from a line that happens to match
    if (id.size === row.offset) return { kind: 'unchanged', row };
    return { kind: 'resume', row, offset: row.offset, lines: row.lines };
  }
  const family = familyOf(path);
  let from: CursorRow | undefined;
  for (const r of copies) {
    if (r.fingerprint !== id.fingerprint || familyOf(r.path) !== family) continue;
    if (from === undefined || r.offset > from.offset) from = r;
  }
  if (from === undefined) return { kind: 'new' };
  // A copy shorter than what was read of the original holds nothing new: read from its end.
  const offset = id.whole ? from.offset : Math.min(from.offset, id.size);
  return { kind: 'copy', from, offset, lines: from.lines };
}

/** Prepared lookups over the cursors table. */
export class CursorTable {
  private readonly byInode;
  private readonly byFingerprint;
  private readonly byPath;

  constructor(db: Db) {
    this.byInode = db.prepare<[string, string]>('SELECT * FROM cursors WHERE dev = ? AND ino = ? ORDER BY id DESC');
    this.byFingerprint = db.prepare<[string]>('SELECT * FROM cursors WHERE fingerprint = ? ORDER BY id DESC');
    this.byPath = db.prepare<[string]>('SELECT * FROM cursors WHERE path = ? AND retired = 0 ORDER BY id');
  }

  decide(id: FileIdentity, path: string): Decision {
    const sameInode = this.byInode.all(id.dev, id.ino) as CursorRow[];
    const copies = (this.byFingerprint.all(id.fingerprint) as CursorRow[]).filter((r) => r.dev !== id.dev || r.ino !== id.ino);
    return decide(id, path, sameInode, copies);
  }

  /** Rows last seen at `path` that still count as its current content. */
  atPath(path: string): CursorRow[] {
    return this.byPath.all(path) as CursorRow[];
  }
}
