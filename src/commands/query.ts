// `audit query --db FILE "SQL"`: any read-only SQL over the event store, as a table or NDJSON. The file is opened
// read-only (and query_only), and a statement that would write is refused before it runs.
import { Command } from 'commander';
import type { ExitHolder } from '../cli.js';
import { EXIT, UsageError } from '../errors.js';
import { createLineWriter, toLine } from '../reporters/ndjson.js';
import { renderSection, type Cell } from '../reporters/table.js';
import { openStore, type Db } from '../store/db.js';
import { createStyle, wantColor } from '../text/style.js';
import type { Io } from '../types.js';

interface RawQueryOptions { db?: string; json?: boolean; color?: boolean }

export interface QueryOptions {
  db: string;
  sql: string;
  json: boolean;
  color: boolean;
}

export function queryCommand(io: Io, exit: ExitHolder): Command {
  return new Command('query')
    .description('run a read-only SQL query over an event store (tables: events, alerts, cursors)')
    .argument('<sql>', 'one SELECT statement, e.g. "SELECT ip, count(*) FROM events WHERE type=\'auth.failure\' GROUP BY ip"')
    .requiredOption('--db <file>', 'the event store')
    .option('--json', 'one JSON object per row')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .action(async (sql: string, raw: RawQueryOptions) => {
      exit.code = await runQuery({ db: raw.db!, sql, json: raw.json === true, color: wantColor({ flag: raw.color, tty: io.tty, env: io.env }) }, io);
    });
}

/**
 * Rows a table shows at most. A table is for reading: cli-table3 lays out ~20 µs a cell, so the 386,280 rows of a
 * `SELECT type, ip, user, time FROM events` took 90 s and 640 MB to draw. Past this, the first rows are shown and a
 * note says that more came; `--json` streams every row.
 */
export const MAX_TABLE_ROWS = 1000;

export async function runQuery(opts: QueryOptions, io: Io): Promise<number> {
  const store = openStore(opts.db, { mode: 'read', cwd: io.cwd });
  try {
    const { columns, rows } = select(store.db, opts.sql);
    if (opts.json) {
      // One row at a time, pausing while stdout is blocked: memory stays flat whatever the result's size.
      const out = createLineWriter(io.out);
      for (const row of rows) {
        out.write(toLine(Object.fromEntries(columns.map((c, i) => [c, row[i]]))));
        const wait = out.blocked();
        if (wait !== null) await wait;
      }
      out.flush();
    } else {
      const cells: Cell[][] = [];
      let more = false;
      for (const row of rows) {
        if (cells.length === MAX_TABLE_ROWS) {
          more = true;
          break;
        }
        cells.push(row.map((v) => ({ text: v === null ? '' : String(v) })));
      }
      const title = more ? `the first ${cells.length} rows` : `${cells.length} ${cells.length === 1 ? 'row' : 'rows'}`;
      const note = more ? `more rows not shown: add a LIMIT, or --json writes every row` : undefined;
      io.out.write(renderSection({ title, columns: columns.map((head) => ({ head, clip: 'end' as const })), rows: cells, ...(note === undefined ? {} : { note }) },
        await createStyle(opts.color)));
    }
  } finally {
    store.close();
  }
  return EXIT.ok;
}

/**
 * Prepares one statement; anything that is not a read is a UsageError, and nothing runs. Its rows come one at a time
 * (an error while they are read, such as a function's, is a UsageError too).
 */
export function select(db: Db, sql: string): { columns: string[]; rows: Iterable<unknown[]> } {
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    throw new UsageError(`query: ${(err as Error).message}`, { hint: 'tables: events, alerts, cursors (see the README for their columns)' });
  }
  if (!stmt.readonly || !stmt.reader) {
    throw new UsageError('query: only statements that read are allowed (SELECT, WITH ... SELECT)', { hint: 'audit query opens the store read-only; use audit prune to delete old events' });
  }
  const columns = stmt.columns().map((c) => c.name);
  return { columns, rows: rowsOf(stmt.raw(true).iterate() as IterableIterator<unknown[]>) };
}

function* rowsOf(it: IterableIterator<unknown[]>): Generator<unknown[]> {
  try {
    for (;;) {
      let next: IteratorResult<unknown[]>;
      try {
        next = it.next();
      } catch (err) {
        throw new UsageError(`query: ${(err as Error).message}`);
      }
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    it.return?.(); // a loop that stops early (the table's first rows) ends the statement
  }
}
