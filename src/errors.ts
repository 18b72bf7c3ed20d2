// Errors a user can cause: typed, with a message written for the user and an optional hint. Printed once, by cli.ts.

export const EXIT = { ok: 0, found: 1, usage: 2, input: 2, interrupted: 130 } as const;

export class AuditError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint: string | undefined;
  constructor(message: string, opts: { code?: string; exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code ?? 'EAUDIT';
    this.exitCode = opts.exitCode ?? EXIT.usage;
    this.hint = opts.hint;
  }
}

/** Wrong flags, values or arguments. Exit code 2. */
export class UsageError extends AuditError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...opts, code: 'EUSAGE', exitCode: EXIT.usage });
  }
}

/** An input that cannot be read or understood. Exit code 2. */
export class InputError extends AuditError {
  constructor(message: string, opts: { hint?: string; cause?: unknown; code?: string } = {}) {
    super(message, { ...opts, code: opts.code ?? 'EINPUT', exitCode: EXIT.input });
  }
}

/** A broken rule file or rule. Exit code 2. */
export class RuleError extends AuditError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...opts, code: 'ERULE', exitCode: EXIT.usage });
  }
}

/** A one-line description of a Node system error (ENOENT, EACCES, ...) for the user. */
export function describeSystemError(err: unknown): { code: string; message: string } {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : 'EUNKNOWN';
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ELOOP: 'too many levels of symbolic links',
    EMFILE: 'too many open files',
    EIO: 'input/output error',
    Z_DATA_ERROR: 'corrupt gzip data',
    Z_BUF_ERROR: 'truncated gzip data',
  };
  const message = known[code] ?? (e instanceof Error ? e.message.split('\n')[0]! : String(err));
  return { code, message };
}
