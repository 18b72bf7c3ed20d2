// What `audit scan --db` adds to a scan, behind four calls: open the store before anything is read, plan the
// sources (skip what was read, resume the rest), warm the detectors up from the stored history, and finish (commit
// the last alerts, close; throw if storing failed).
import type { Bus } from '../bus.js';
import type { DetectorConfig } from '../detectors/config.js';
import type { Detectors } from '../detectors/detectors.js';
import type { AuditError } from '../errors.js';
import type { LineTracker } from '../pipeline.js';
import type { Source } from '../sources/expand.js';
import type { Io, SourceProblem } from '../types.js';
import { openStore, storeError, type Store } from './db.js';
import { planSources } from './plan.js';
import { StoreWriter, type WriterOptions } from './writer.js';
import { sourceNames, warmDetectors, type WarmStart } from './warm.js';

export interface ScanStore {
  /** The sources to read, in order: files with nothing new left out, rotated continuations brought in. */
  plan(items: readonly (Source | SourceProblem)[], bus: Bus, onFail: (err: AuditError) => void): Promise<(Source | SourceProblem)[]>;
  /** The pipeline's hook (PipelineOptions.track). */
  track(source: Source): LineTracker | null;
  /** After plan, before any line: the detectors continue where the stored history leaves them (src/store/warm.ts). */
  warm(detectors: Detectors, cfg: DetectorConfig): WarmStart;
  /** Commits what is left and closes the store. Throws the error that stopped storing, if any. */
  finish(): void;
}

export interface ScanStoreOptions {
  storeLines: boolean;
  /** For tests: smaller batches. */
  batch?: Pick<WriterOptions, 'batchLines' | 'batchEvents'>;
}

/** Opens (creating or migrating) the store; a foreign or corrupt file throws an InputError and is left unchanged. */
export function openScanStore(name: string, opts: ScanStoreOptions, io: Io): ScanStore {
  const store = openStore(name, { mode: 'write', cwd: io.cwd, busyMs: busyMs(io) });
  let writer: StoreWriter | null = null;
  let names = new Map<string, string>(); // stored path -> name read under, for warm()
  return {
    async plan(items, bus, onFail) {
      let planned;
      try {
        planned = await planSources(store.db, items.filter((item) => !isStoreFile(item, store.path)));
      } catch (err) {
        store.close();
        throw storeError(err, name);
      }
      writer = new StoreWriter(store, bus, planned.plans, { storeLines: opts.storeLines, now: io.now, onFail, ...(opts.batch ?? batchOf(io)) });
      names = sourceNames([...items, ...planned.items]);
      return planned.items;
    },
    track: (source) => writer?.track(source) ?? null,
    warm(detectors, cfg) {
      try {
        return warmDetectors(store.db, detectors, cfg, names, io.now);
      } catch (err) {
        closeQuietly(store);
        throw storeError(err, name);
      }
    },
    finish() {
      try {
        writer?.finish();
      } finally {
        closeQuietly(store);
      }
      if (writer?.failed) throw writer.failed;
    },
  };
}

/** AUDIT_DB_BUSY_MS overrides how long a run waits for another one (tests use a short wait). */
function busyMs(io: Io): number | undefined {
  const v = Number(io.env['AUDIT_DB_BUSY_MS']);
  return Number.isInteger(v) && v >= 0 && io.env['AUDIT_DB_BUSY_MS'] !== undefined ? v : undefined;
}

/** AUDIT_DB_BATCH=N commits every N lines or N events (the kill -9 tests use small batches: more moments to kill at). */
function batchOf(io: Io): ScanStoreOptions['batch'] {
  const v = Number(io.env['AUDIT_DB_BATCH']);
  return Number.isInteger(v) && v >= 1 ? { batchLines: v, batchEvents: v } : {};
}

function closeQuietly(store: Store): void {
  try {
    store.close();
  } catch {
    // closing after a failed commit: the error that matters was already recorded
  }
}

/**
 * The store's own files (the database, its -wal, -shm and -journal, a new store being made) found in a directory
 * that is scanned: never read as logs (an empty -wal would even become a source with a cursor).
 */
function isStoreFile(item: Source | SourceProblem, db: string): boolean {
  const path = (item as Partial<Source>).path;
  if (typeof path !== 'string' || !path.startsWith(db)) return false;
  const rest = path.slice(db.length);
  return rest === '' || rest === '-wal' || rest === '-shm' || rest === '-journal' || rest.startsWith('.new-');
}
