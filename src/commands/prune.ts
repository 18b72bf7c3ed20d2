// `audit prune --db FILE --older-than 90d`: deletes events, alerts and requests answered 404 older than a limit (by
// the time in the log, or when they were stored for lines without one), and cursors of rotated-away files not seen
// since then.
import { Command } from 'commander';
import type { ExitHolder } from '../cli.js';
import { EXIT } from '../errors.js';
import { openStore, storeError } from '../store/db.js';
import type { Io } from '../types.js';
import { parseTimeBound } from './options.js';

interface RawPruneOptions { db?: string; olderThan?: string }

export interface PruneResult { events: number; alerts: number; notFound: number; cursors: number }

export function pruneCommand(io: Io, exit: ExitHolder): Command {
  return new Command('prune')
    .description('delete stored events, alerts and requests answered 404 older than a limit')
    .requiredOption('--db <file>', 'the event store')
    .requiredOption('--older-than <age>', 'a duration (90d, 12w) or an ISO date: what is older goes')
    .action((raw: RawPruneOptions) => {
      const cutoff = new Date(parseTimeBound('--older-than', raw.olderThan!, io.now)).toISOString();
      const r = prune(raw.db!, cutoff, io);
      io.out.write(`deleted ${r.events} events, ${r.alerts} alerts, ${r.notFound} requests answered 404 and ${r.cursors} old file cursors stored before ${cutoff}\n`);
      exit.code = EXIT.ok;
    });
}

export function prune(db: string, cutoff: string, io: Io): PruneResult {
  const store = openStore(db, { mode: 'write', cwd: io.cwd });
  try {
    const tx = store.db.transaction((): PruneResult => ({
      events: store.db.prepare('DELETE FROM events WHERE coalesce(time, stored) < ?').run(cutoff).changes,
      alerts: store.db.prepare('DELETE FROM alerts WHERE coalesce(last, stored) < ?').run(cutoff).changes,
      notFound: store.db.prepare('DELETE FROM not_found WHERE time < ?').run(cutoff).changes,
      // only cursors whose path holds other content now: a live file's cursor is what makes the next scan incremental
      cursors: store.db.prepare('DELETE FROM cursors WHERE retired = 1 AND updated < ?').run(cutoff).changes,
    }));
    return tx.immediate();
  } catch (err) {
    throw storeError(err, db);
  } finally {
    store.close();
  }
}
