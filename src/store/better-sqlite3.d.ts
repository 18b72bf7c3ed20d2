// The part of better-sqlite3 12's API that src/store uses, typed here: @types/better-sqlite3 is not installed.
declare module 'better-sqlite3' {
  namespace Database {
    interface RunResult {
      changes: number;
      lastInsertRowid: number | bigint;
    }
    interface ColumnDefinition {
      name: string;
    }
    interface Statement<P extends unknown[] = unknown[]> {
      readonly readonly: boolean;
      readonly reader: boolean;
      run(...params: P): RunResult;
      get(...params: P): unknown;
      all(...params: P): unknown[];
      iterate(...params: P): IterableIterator<unknown>;
      columns(): ColumnDefinition[];
      raw(raw?: boolean): this;
    }
    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
      timeout?: number;
    }
    interface Database {
      readonly open: boolean;
      readonly inTransaction: boolean;
      readonly name: string;
      prepare<P extends unknown[] = unknown[]>(source: string): Statement<P>;
      exec(source: string): this;
      pragma(source: string, options?: { simple?: boolean }): unknown;
      transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R; deferred(...args: A): R; exclusive(...args: A): R };
      close(): this;
    }
  }
  const Database: new (filename: string, options?: Database.Options) => Database.Database;
  export = Database;
}
