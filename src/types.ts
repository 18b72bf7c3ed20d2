// The shared vocabulary of the pipeline: records, events, alerts, summaries and the Io they are written through.
// Imports nothing from the project; every stage depends on this file and on nothing later in the pipeline.

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
/** In increasing order; index = rank. */
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

export type Outcome = 'success' | 'failure' | 'unknown';

/** The event taxonomy. Names are fixed by the `audit scan` issue; more may be added, none renamed. */
export const EVENT_TYPES = {
  'auth.failure': { severity: 'medium', what: 'failed authentication (password, key, PAM, too many attempts, refused login)' },
  'auth.invalid_user': { severity: 'medium', what: 'login attempt for an account that does not exist' },
  'auth.success': { severity: 'info', what: 'successful login' },
  'auth.root_login': { severity: 'high', what: 'successful login as root' },
  'auth.probe': { severity: 'low', what: 'connection that never tried to authenticate (scanner, banner grab), or reverse DNS mismatch' },
  'auth.otp_request': { severity: 'info', what: 'one-time code (SMS or e-mail verification code) requested' },
  'auth.password_reset': { severity: 'low', what: 'password reset requested or done in an application' },
  'priv.sudo': { severity: 'low', what: 'a command run with sudo' },
  'priv.sudo_failure': { severity: 'high', what: 'sudo authentication failure, incorrect password attempts, user not in sudoers' },
  'priv.su': { severity: 'low', what: 'su to another user' },
  'priv.su_failure': { severity: 'medium', what: 'failed su' },
  'account.created': { severity: 'medium', what: 'user or group created (useradd, groupadd, adduser)' },
  'account.deleted': { severity: 'medium', what: 'user or group deleted (userdel, groupdel)' },
  'account.modified': { severity: 'low', what: 'user or group changed: usermod, membership, password changed' },
  'account.registration': { severity: 'info', what: 'an application sign-up' },
  'web.sqli': { severity: 'high', what: 'SQL injection payload in a request' },
  'web.xss': { severity: 'high', what: 'cross-site scripting payload in a request' },
  'web.traversal': { severity: 'high', what: 'path traversal (../) in a request' },
  'web.lfi': { severity: 'high', what: 'local or remote file inclusion (/etc/passwd, php://, file://)' },
  'web.cmd_injection': { severity: 'high', what: 'shell command injection in a request' },
  'web.jndi': { severity: 'high', what: 'JNDI lookup (Log4Shell) in a request or header' },
  'web.scanner': { severity: 'medium', what: 'a known attack tool in the user agent (sqlmap, nikto, nuclei, ...)' },
  'web.probe': { severity: 'medium', what: 'request for a sensitive path (/.env, /.git/, /wp-login.php, backups, ...)' },
  'web.auth_failure': { severity: 'low', what: 'HTTP 401' },
  'web.forbidden': { severity: 'low', what: 'HTTP 403' },
  'app.fatal': { severity: 'critical', what: 'FATAL, CRITICAL, EMERG, ALERT, panic; journald PRIORITY 0-2' },
  'app.error': { severity: 'low', what: 'ERROR; journald PRIORITY 3' },
  'system.oom': { severity: 'high', what: 'the kernel killed a process for lack of memory' },
  'system.crash': { severity: 'medium', what: 'segfault, general protection fault, core dump' },
  'sigma.match': { severity: 'medium', what: 'a Sigma rule matched (its level gives the severity; see the event\'s sigma key)' },
} as const satisfies Record<string, { severity: Severity; what: string }>;

export type EventType = keyof typeof EVENT_TYPES;
export function isEventType(s: string): s is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, s);
}
export function defaultSeverity(t: EventType): Severity {
  return EVENT_TYPES[t].severity;
}

/**
 * What a format understood from one line. `format === null` means no parser understood the line: `message` is then
 * the whole raw line, still offered to message rules.
 */
export interface LogRecord {
  file: string;
  line: number; // 1-based
  format: string | null;
  time: number | null; // ms since the epoch, UTC
  host: string | null;
  program: string | null;
  pid: number | null;
  /**
   * The log's own level mapped onto ours: critical = emerg/alert/crit/fatal/panic (syslog/journald 0-2),
   * high = error/err (3), medium = warning (4), low = notice (5), info = info/debug/trace (6-7). null when the line
   * says no level.
   */
  level: Severity | null;
  message: string;
  /** Structured fields the format found, by the names in FIELD below. Values are strings. Never mutate: often shared. */
  fields: Readonly<Record<string, string>>;
  /** The line as read (line ending removed), for searches over the whole line such as `audit phone`. Not kept. */
  raw: string;
  /**
   * The message is text its program did not word: an HTTP request line as a client sent it (access logs, werkzeug
   * and uvicorn request lines), or an audit record, whose key=value text holds what users chose (a command's
   * arguments in EXECVE records). The built-in rules written for what programs log do not read it
   * (src/rules/compile.ts `programText`); rules on fields do. Absent: false.
   */
  foreignText?: boolean;
}

/**
 * The fields of every record without any (every syslog line): one frozen object for all formats, so that the rules'
 * memos keyed on the fields object (program-index.ts, value-memo.ts) see the same object from line to line.
 */
export const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

/** Field names that formats fill and rules read. Formats may add others (kept verbatim, e.g. JSON keys). */
export const FIELD = {
  ip: 'ip', // client / remote address (or host name when the log gives only that)
  port: 'port',
  user: 'user', // account name or id
  phone: 'phone',
  method: 'method', // HTTP
  url: 'url', // request target as written (path + query)
  protocol: 'protocol',
  status: 'status',
  bytes: 'bytes',
  referer: 'referer',
  agent: 'agent', // user agent
  vhost: 'vhost',
  unit: 'unit', // systemd unit
  priority: 'priority', // journald/syslog numeric priority
  facility: 'facility',
  logger: 'logger', // Python logger name
  auditType: 'audit_type', // auditd record type
} as const;

/** Per-source context for parsers, fixed before the first line. */
export interface ParseContext {
  /** The latest time a line of this source can plausibly have (the file's mtime, or now for stdin). */
  reference: Date;
}

/**
 * Parses one line (without its line ending) of one source. Stateful per source; never throws.
 * Returns null when the line is not of this format, and SKIP for lines that carry no log entry by design
 * (journalctl's `-- Boot ... --` markers, CSV-like headers): those are counted as skipped, not unparsed.
 */
export type LineParser = (line: string) => ParsedLine | null | typeof SKIP;

/** What a stateful parser remembers, as plain data: it crosses threads by structured clone. */
export type ParserState = object;

export const SKIP = 'skip' as const;
export type ParsedLine = Omit<LogRecord, 'file' | 'line' | 'format' | 'raw'>;

export interface LogFormat {
  name: string; // e.g. 'syslog-3164'
  description: string;
  /** Cheap test used by detection; true means "this line looks like mine". */
  probe(line: string): boolean;
  createParser(ctx: ParseContext): LineParser;
  /**
   * Only formats whose parser remembers earlier lines (python: the record a traceback belongs to) have these two: a
   * file read in blocks on several threads (src/parallel/) hands a block's parser the state the parser of the block
   * before ended with, so that every line is parsed as one reader would have parsed it.
   */
  saveState?(parser: LineParser): ParserState | null;
  /** A parser that starts from `state` (what saveState returned for a parser of this format). */
  resumeParser?(ctx: ParseContext, state: ParserState): LineParser;
  /** Real-looking lines; each must parse (tested). */
  samples: readonly string[];
}

export interface SecurityEvent {
  type: EventType;
  severity: Severity;
  outcome: Outcome;
  time: string | null; // UTC ISO 8601
  /**
   * The same time in ms since the epoch (Date.parse(time)), null exactly when `time` is null or unreadable: what the
   * counter and the detectors compare, so that they need not parse or compare the text. Not part of any output.
   */
  timeMs: number | null;
  source: { ip: string | null; port: number | null };
  user: string | null;
  host: string | null;
  program: string | null;
  pid: number | null;
  phone: string | null;
  rule: string;
  message: string;
  file: string;
  line: number;
  /** Only on sigma.match events: the Sigma rule that matched (its id is also in `rule`, as `sigma:<id>`). */
  sigma?: SigmaInfo;
}

/** What a sigma.match event carries of its rule. */
export interface SigmaInfo {
  id: string;
  title: string;
  level: string; // as the rule says: informational, low, medium, high, critical
  tags: readonly string[];
}

export interface Alert {
  id: string; // detector id, e.g. 'brute_force'
  severity: Severity;
  key: string; // the address, user or phone the alert is about
  title: string; // one line for people
  count: number;
  first: string | null;
  last: string | null;
  evidence: { file: string; line: number; message: string }[];
}

export type LineOutcome = 'parsed' | 'unparsed' | 'skipped' | 'truncated';

export interface SourceProblem {
  source: string;
  message: string;
  code: string; // ENOENT, EACCES, BINARY, Z_DATA_ERROR, ...
  /** error: an input named or found could not be read (exit code 2); warning: passed over on purpose (binary file). */
  level: 'error' | 'warning';
}

export interface SourceSummary {
  name: string;
  format: string | null; // detected or forced; null when nothing was recognised
  bytes: number;
  lines: number;
  parsed: number;
  unparsed: number;
  skipped: number;
  truncated: number;
  events: number;
  /** Events whose text held characters that sanitize() escapes (terminal escapes, bidi overrides...). Set by the counter. */
  sanitized?: number;
  /** Why this format was chosen (detection scores), for --verbose. Not part of the JSON summary. */
  detection?: string;
}

export interface TopEntry {
  key: string;
  count: number;
  failures: number;
  successes: number;
}

export interface Summary {
  sources: SourceSummary[];
  problems: SourceProblem[];
  totals: { lines: number; parsed: number; unparsed: number; skipped: number; truncated: number; events: number; bytes: number };
  byType: { type: EventType; severity: Severity; count: number }[];
  bySeverity: Record<Severity, number>;
  topSources: TopEntry[];
  topUsers: TopEntry[];
  topHosts: TopEntry[];
  /** True when a bounded table had to forget keys: counts are then lower bounds. */
  approximate: boolean;
  /** The capacity of each bounded key table (set by the counter), for "more than N distinct keys". */
  maxKeys?: number;
  firstTime: string | null;
  lastTime: string | null;
  alerts: Alert[];
}

/** Where everything visible goes. Injected so that tests run in-process with in-memory streams. */
export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** stdin, for '-' */
  in: NodeJS.ReadableStream & { isTTY?: boolean };
  color: boolean;
  /** stdout is a terminal */
  tty: boolean;
  /** stderr is a terminal (progress goes there) */
  errTty: boolean;
  now: Date;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where SIGINT/SIGTERM arrive (the process, for the real program); absent in tests that do not need them. */
  signals?: NodeJS.EventEmitter;
}

export function assertNever(x: never): never {
  throw new Error(`unhandled value: ${String(x)}`);
}
