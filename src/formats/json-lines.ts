// The 'json' format: one JSON object per line, as applications write them (pino, bunyan, winston, zap, structlog,
// python-json-logger, Docker's json-file driver ...).
//
// Record shape:
//   fields   every key, flattened with dotted names (`req.headers.user-agent`, `tags.0`), values as strings (numbers
//            and booleans as JSON writes them, null left out), at most 6 levels deep and 200 keys; then the
//            canonical FIELD values from the usual keys (app-fields.ts): ip, user, phone, method, url, status, agent.
//   time, level, message, host, program, pid   from the usual keys (app-fields.ts); message falls back to the line.
// Lines that are not a JSON object (arrays, numbers, broken JSON, nesting deep enough to exhaust the stack) are not
// records of this format (null). journald's `journalctl -o json` lines belong to 'journal-json': probe and parser
// both refuse lines with `"__REALTIME_TIMESTAMP"` so that detection prefers that format.
import type { LogFormat, ParsedLine } from '../types.js';
import { appRecord, setField } from './app-fields.js';

const MAX_DEPTH = 6;
const MAX_FIELDS = 200;
const JOURNAL_KEY = '"__REALTIME_TIMESTAMP"';

interface Budget {
  left: number;
}

function flatten(value: object, prefix: string, depth: number, out: Record<string, string>, budget: Budget): void {
  for (const key of Object.keys(value)) {
    if (budget.left <= 0) return;
    const v = (value as Record<string, unknown>)[key];
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') {
      if (depth < MAX_DEPTH) flatten(v, name, depth + 1, out, budget);
      continue;
    }
    setField(out, name, typeof v === 'string' ? v : String(v));
    budget.left--;
  }
}

// Docker's json-file driver keeps the line ending in "log".
function trimNewline(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 10 || s.charCodeAt(end - 1) === 13)) end--;
  return end === s.length ? s : s.slice(0, end);
}

function parseObject(line: string): object | null {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null;
  } catch {
    return null; // SyntaxError, or RangeError on absurd nesting
  }
}

/** Cheap shape test: `{` first and `}` last, ignoring surrounding blanks; no journald export keys. */
function looksLikeObject(line: string): boolean {
  let a = 0;
  let b = line.length - 1;
  while (a < b && (line.charCodeAt(a) === 32 || line.charCodeAt(a) === 9)) a++;
  while (b > a && (line.charCodeAt(b) === 32 || line.charCodeAt(b) === 9)) b--;
  return line.charCodeAt(a) === 123 && line.charCodeAt(b) === 125 && !line.includes(JOURNAL_KEY);
}

/** One JSON line -> record, or null. */
export function parseJsonLine(line: string): ParsedLine | null {
  if (!looksLikeObject(line)) return null;
  const obj = parseObject(line);
  if (obj === null) return null;
  const fields: Record<string, string> = {};
  try {
    flatten(obj, '', 1, fields, { left: MAX_FIELDS });
  } catch {
    return null; // unreachable with the depth bound; kept so that a parser can never throw
  }
  return appRecord(fields, line.trim(), trimNewline);
}

export const jsonLines: LogFormat = {
  name: 'json',
  description: 'JSON lines from applications (pino, bunyan, winston, zap, structlog, Docker json-file)',
  probe: looksLikeObject,
  createParser() {
    return parseJsonLine;
  },
  samples: [
    '{"level":30,"time":1795428000000,"pid":4242,"hostname":"web-1","name":"api","req":{"method":"POST","url":"/api/login","remoteAddress":"::ffff:203.0.113.9"},"user":"alice","msg":"login failed: bad password"}',
    '{"timestamp":"2026-11-23T10:00:00.123Z","level":"info","service":"signup","event":"sms_code_sent","phone":"+8613800138000","ip":"198.51.100.7","message":"verification code sent"}',
    '{"ts":1795428001.5,"level":"error","logger":"app.db","msg":"connection refused","caller":"db/pool.go:88"}',
    '{"log":"GET /healthz 200\\n","stream":"stdout","time":"2026-11-23T10:00:02.000000001Z"}',
  ],
};
