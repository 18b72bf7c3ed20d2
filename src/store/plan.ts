// Before a scan with --db: decides for every file where reading starts (cursor.ts), leaves out files with nothing
// new, and brings in the rotated continuation of a file named on its own (auth.log renamed to auth.log.1 since the
// last run: the lines written before the rename are read from where the last run stopped).
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { openBytes, openPath, READ_CHUNK } from '../sources/open.js';
import { isProblem, type Source } from '../sources/expand.js';
import type { SourceProblem } from '../types.js';
import { CursorTable, familyOf, type CursorRow, type Decision } from './cursor.js';
import type { Db } from './db.js';
import { identify, type FileIdentity } from './fingerprint.js';

/** How one file is read and committed. */
export interface SourcePlan {
  path: string;
  id: FileIdentity;
  /** The row to update (compare-and-set on its version), or null: a new row is inserted. */
  row: CursorRow | null;
  offset: number;
  lines: number;
  /** Rows of this path whose content is gone (rotated away): retired with the first commit. */
  retire: number[];
}

export interface Planned {
  items: (Source | SourceProblem)[];
  plans: Map<Source, SourcePlan>;
}

/** Plans every source; sources without a path (stdin, pipes) are kept unplanned: read whole, stored without a cursor. */
export async function planSources(db: Db, items: readonly (Source | SourceProblem)[]): Promise<Planned> {
  const table = new CursorTable(db);
  const out: Planned = { items: [], plans: new Map() };
  const claimed = new Set<number>(); // rows a source of this run continues
  const seen = new Set<string>(); // dev:ino of files planned
  for (const item of items) {
    if (isProblem(item) || item.path === null || item.size === null) {
      out.items.push(item);
      continue;
    }
    const id = await identify(item.path);
    if (id === null) {
      out.items.push(item); // open() will say why it cannot be read
      continue;
    }
    const key = `${id.dev}:${id.ino}`;
    if (seen.has(key)) continue; // already brought in as the rotated continuation of a file named before it
    seen.add(key);
    const decision = table.decide(id, item.path);
    if (decision.kind === 'resume' || decision.kind === 'unchanged') claimed.add(decision.row.id);
    const siblings = decision.kind === 'new' ? await rotatedAway(table, item.path, item.name, claimed, seen) : [];
    for (const s of siblings) pushPlanned(out, s.source, s.plan);
    const plan = planOf(item.path, id, decision);
    if (plan === null) continue; // nothing new
    if (decision.kind === 'new') plan.retire = table.atPath(item.path).filter((r) => !claimed.has(r.id)).map((r) => r.id);
    pushPlanned(out, resumable(item, plan), plan);
  }
  return out;
}

function pushPlanned(out: Planned, source: Source, plan: SourcePlan): void {
  out.items.push(source);
  out.plans.set(source, plan);
}

function planOf(path: string, id: FileIdentity, d: Decision): SourcePlan | null {
  switch (d.kind) {
    case 'unchanged': return null;
    case 'resume': return { path, id, row: d.row, offset: d.offset, lines: d.lines, retire: [] };
    case 'copy': return { path, id, row: null, offset: d.offset, lines: d.lines, retire: [] };
    case 'new': return { path, id, row: null, offset: 0, lines: 0, retire: [] };
  }
}

/**
 * `path` holds new content: the file last read there was renamed (auth.log -> auth.log.1) or copied and truncated.
 * Finds it among the path's rotation family in the same directory, so that what was written to it after the last
 * run is read too. Only files that continue a row of this path are taken: old rotations never read are left alone.
 */
async function rotatedAway(table: CursorTable, path: string, shown: string, claimed: Set<number>, seen: Set<string>): Promise<{ source: Source; plan: SourcePlan }[]> {
  const lost = table.atPath(path).filter((r) => !claimed.has(r.id));
  if (lost.length === 0) return [];
  const dir = dirname(path);
  const family = familyOf(path);
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: { source: Source; plan: SourcePlan }[] = [];
  for (const name of names.sort()) {
    const sibling = join(dir, name);
    if (sibling === path || familyOf(sibling) !== family) continue;
    const id = await identify(sibling);
    if (id === null || seen.has(`${id.dev}:${id.ino}`)) continue;
    const d = table.decide(id, sibling);
    const continues = (d.kind === 'resume' && lost.some((r) => r.id === d.row.id)) || (d.kind === 'copy' && lost.some((r) => r.id === d.from.id));
    if (!continues) continue;
    if (d.kind === 'resume') claimed.add(d.row.id);
    seen.add(`${id.dev}:${id.ino}`);
    const plan = planOf(sibling, id, d)!;
    found.push({ source: resumable(fileSource(sibling, join(dirname(shown), name), id), plan), plan });
  }
  return found;
}

function fileSource(path: string, name: string, id: FileIdentity): Source {
  return { name, path, size: id.size, mtime: id.mtime, open: (onBytes) => openPath(path, name, onBytes) };
}

/** The source, opened at the plan's offset: a plain file from that byte; gzip and UTF-16 decoded, then skipped. */
function resumable(source: Source, plan: SourcePlan): Source {
  if (plan.offset === 0) return source;
  const path = plan.path;
  const open = plan.id.whole
    ? async (onBytes: (n: number) => void): Promise<Readable> =>
      Readable.from(skipBytes(await openBytes(createReadStream(path, { highWaterMark: READ_CHUNK }), source.name, onBytes), plan.offset), { objectMode: false })
    : (onBytes: (n: number) => void): Promise<Readable> =>
      openBytes(createReadStream(path, { start: plan.offset, highWaterMark: READ_CHUNK }), source.name, onBytes);
  return { ...source, size: source.size === null ? null : Math.max(0, source.size - (plan.id.whole ? 0 : plan.offset)), open };
}

async function* skipBytes(input: AsyncIterable<Buffer>, skip: number): AsyncGenerator<Buffer> {
  let left = skip;
  for await (const chunk of input) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}
