// The 'python' format: Python `logging` output in its common layouts, Flask/werkzeug/gunicorn/uvicorn, and tracebacks.
//
// Layouts (time is local: Python's asctime has no zone):
//   `[2026-11-23 10:00:00,123] ERROR in app: msg`                 Flask default: fields.module, program 'flask'
//   `2026-11-23 10:00:00,123 - app.auth - ERROR - msg`             `%(asctime)s - %(name)s - %(levelname)s - ...`
//   `2026-11-23 10:00:00,123 ERROR [app.auth] msg`, `... ERROR app.auth: msg`, `... [ERROR] app.auth: msg`,
//   `... app.auth ERROR msg`, `... ERROR    msg` (padded, no logger)
//   `ERROR:app.auth:msg`                                           basicConfig default, no time
//   `INFO:     127.0.0.1:52100 - "GET / HTTP/1.1" 200 OK`          uvicorn (message at column 10), program 'uvicorn'
//   `[2026-11-23 10:00:00 +0000] [1234] [INFO] msg`                gunicorn, program 'gunicorn', pid
//   `127.0.0.1 - - [23/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 -`  werkzeug request line, alone or as the message of
//                                                                  logger werkzeug: ip, method, url, status, bytes
//   `127.0.0.1 - - [23/Nov/2026 10:00:00] code 400, message Bad request syntax ('...')`  werkzeug refusing a
//                                                                  request (quoting it): ip; a request record too
//   ` * Running on http://127.0.0.1:5000`                         werkzeug banner, program 'werkzeug'
// message = the text after the level/logger; fields.logger = the logger; program = the logger's first component
// ('python' for root, __main__ or none).
// Tracebacks and other multi-line messages: `Traceback (most recent call last):`, the chained-exception sentences,
// indented lines (`  File "app.py", line 4, in f`, source lines, carets) and, inside a traceback, the final
// `ValueError: ...` line are continuation records: time, program and logger of the record before, message = the line
// as written, fields.continuation = 'traceback', and level null, so that the record that logged the exception
// (ERROR/CRITICAL) makes one event, not one per traceback line. They are never dropped: other lines that fit no
// layout are not python (null) and become unparsed records.
import type { LineParser, LogFormat, ParsedLine, Severity } from '../types.js';
import { FIELD } from '../types.js';
import { own } from './http.js';
import { levelFromWord } from './levels.js';
import { digits, digitsEnd, isoishEnd, parseIsoish } from './time.js';
import { parseUvicornRequest, parseWerkzeugRequest } from './wsgi-request.js';

// Python's level names (and the aliases logging accepts); upper case only, to keep ordinary words out.
const LEVELS = new Set(['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL', 'FATAL', 'EXCEPTION']);
const TRACEBACK = 'Traceback (most recent call last):';
const CHAINED = new Set([
  'During handling of the above exception, another exception occurred:',
  'The above exception was the direct cause of the following exception:',
]);
// The last line of a traceback: an exception class (dotted) alone or followed by `: message`.
const EXCEPTION_LINE = /^[A-Za-z_][\w.]{0,200}(?::(?: |$)|$)/;
const LOGGER = /^[\w.<>-]{1,120}$/;

function pyLevel(word: string): Severity | null {
  if (!LEVELS.has(word)) return null;
  return word === 'EXCEPTION' ? 'high' : levelFromWord(word);
}

interface Head {
  level: Severity | null;
  logger: string | null;
  message: string;
}

/** The part after `stamp `: the name/level layouts. */
function afterStamp(line: string, i: number): Head | null {
  if (line.startsWith('- ', i)) {
    const a = line.indexOf(' - ', i + 2);
    const b = a < 0 ? -1 : line.indexOf(' - ', a + 3);
    if (b < 0) return null;
    const level = pyLevel(line.slice(a + 3, b));
    return level === null ? null : { level, logger: line.slice(i + 2, a), message: line.slice(b + 3) };
  }
  if (line.charCodeAt(i) === 91) {
    const close = line.indexOf('] ', i);
    const level = close < 0 ? null : pyLevel(line.slice(i + 1, close));
    return level === null ? null : withLogger(line, close + 2, level);
  }
  const sp = line.indexOf(' ', i);
  if (sp < 0) return null;
  const level = pyLevel(line.slice(i, sp));
  if (level !== null) return withLogger(line, skipSpaces(line, sp), level);
  // `name LEVEL msg`
  const sp2 = line.indexOf(' ', sp + 1);
  const level2 = sp2 < 0 ? null : pyLevel(line.slice(sp + 1, sp2));
  if (level2 === null || !LOGGER.test(line.slice(i, sp))) return null;
  return { level: level2, logger: line.slice(i, sp), message: line.slice(skipSpaces(line, sp2)) };
}

function skipSpaces(line: string, i: number): number {
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

/** `[app.auth] msg`, `app.auth: msg` or just `msg` after the level. */
function withLogger(line: string, i: number, level: Severity): Head {
  if (line.charCodeAt(i) === 91) {
    const close = line.indexOf(']', i);
    if (close > 0 && LOGGER.test(line.slice(i + 1, close))) {
      return { level, logger: line.slice(i + 1, close), message: line.slice(skipSpaces(line, close + 1)) };
    }
  }
  const colon = line.indexOf(': ', i);
  if (colon > i && colon - i <= 120 && LOGGER.test(line.slice(i, colon))) {
    return { level, logger: line.slice(i, colon), message: line.slice(colon + 2) };
  }
  return { level, logger: null, message: line.slice(i) };
}

/** `[stamp] ...`: Flask (`] LEVEL in module: msg`) or gunicorn (`[stamp +0000] [pid] [LEVEL] msg`). */
function bracketed(line: string): ParsedLine | null {
  let end = isoishEnd(line, 1);
  if (end < 0) return null;
  let time = parseIsoish(line, 1, end);
  if (line.charCodeAt(end) === 32 && digits(line, end + 2, 4) >= 0 && line.charCodeAt(end + 6) === 93) {
    // gunicorn's ` +0000` zone after a space
    const z = line.slice(end + 1, end + 6);
    time = parseIsoish(line.slice(1, end) + z);
    end += 6;
  }
  if (time === null || line.charCodeAt(end) !== 93 || line.charCodeAt(end + 1) !== 32) return null;
  const i = end + 2;
  if (line.charCodeAt(i) === 91) return gunicorn(line, i, time);
  const sp = line.indexOf(' in ', i);
  const level = sp < 0 ? null : pyLevel(line.slice(i, sp));
  const colon = level === null ? -1 : line.indexOf(': ', sp + 4);
  if (level === null || colon < 0 || !LOGGER.test(line.slice(sp + 4, colon))) return null;
  return record(time, level, null, line.slice(colon + 2), { module: line.slice(sp + 4, colon) }, 'flask');
}

function gunicorn(line: string, i: number, time: number): ParsedLine | null {
  const pe = digitsEnd(line, i + 1);
  if (pe === i + 1 || !line.startsWith('] [', pe)) return null;
  const close = line.indexOf('] ', pe + 3);
  const level = close < 0 ? null : pyLevel(line.slice(pe + 3, close));
  if (level === null) return null;
  const r = record(time, level, null, line.slice(close + 2), {}, 'gunicorn');
  r.pid = Number(line.slice(i + 1, pe));
  return r;
}

/** `LEVEL:logger:msg` (basicConfig) or uvicorn's `LEVEL:    msg`. */
function levelFirst(line: string): ParsedLine | null {
  const colon = line.indexOf(':');
  if (colon < 4 || colon > 9) return null;
  const level = pyLevel(line.slice(0, colon));
  if (level === null) return null;
  if (line.charCodeAt(colon + 1) === 32) {
    const m = skipSpaces(line, colon + 1);
    const message = line.slice(m);
    if (m !== 10) return record(null, level, null, message, {}, null);
    const req = parseUvicornRequest(message);
    const r = record(null, level, null, message, req === null ? {} : req.fields, 'uvicorn');
    if (req !== null) r.foreignText = true;
    return r;
  }
  const c2 = line.indexOf(':', colon + 1);
  if (c2 < 0 || !LOGGER.test(line.slice(colon + 1, c2))) return null;
  return record(null, level, line.slice(colon + 1, c2), line.slice(c2 + 1), {}, null);
}

function programOf(logger: string | null): string {
  if (logger === null || logger === 'root' || logger === '__main__') return 'python';
  const dot = logger.indexOf('.');
  return own(dot > 0 ? logger.slice(0, dot) : logger);
}

function record(time: number | null, level: Severity | null, logger: string | null, message: string,
  fields: Record<string, string>, program: string | null): ParsedLine {
  if (logger !== null) fields[FIELD.logger] = logger;
  const r: ParsedLine = { time, host: null, program: program ?? programOf(logger), pid: null, level, message, fields };
  if (logger === 'werkzeug') {
    const req = parseWerkzeugRequest(message);
    if (req !== null) {
      Object.assign(fields, req.fields);
      r.time ??= req.time;
      r.foreignText = true;
    }
  }
  return r;
}

/** A line that starts a record (not a continuation), or null. */
export function parseHead(line: string): ParsedLine | null {
  const c = line.charCodeAt(0);
  if (c === 91) return bracketed(line);
  if (c >= 48 && c <= 57) {
    const end = isoishEnd(line, 0);
    if (end < 0) {
      const req = parseWerkzeugRequest(line);
      return req === null ? null : { time: req.time, host: null, program: 'werkzeug', pid: null, level: null, message: line, fields: req.fields, foreignText: true };
    }
    const time = parseIsoish(line, 0, end);
    const head = time === null || line.charCodeAt(end) !== 32 ? null : afterStamp(line, skipSpaces(line, end));
    return head === null ? null : record(time, head.level, head.logger, head.message, {}, null);
  }
  if (c >= 65 && c <= 90) return levelFirst(line);
  if (c === 32 && line.startsWith(' * ')) return record(null, null, null, line.slice(3), {}, 'werkzeug');
  if (c === 58) {
    // werkzeug with an IPv6 client: `::1 - - [...]`
    const req = parseWerkzeugRequest(line);
    return req === null ? null : { time: req.time, host: null, program: 'werkzeug', pid: null, level: null, message: line, fields: req.fields, foreignText: true };
  }
  return null;
}

/** What the parser remembers between lines: the last record (continuations take its time and logger), and whether
 * a traceback is open. A file read in blocks carries it from one block's parser to the next (LogFormat.saveState). */
interface PythonState {
  last: ParsedLine | null;
  inTraceback: boolean;
}

type PythonParser = LineParser & { readonly state: PythonState };

/** A parser that remembers the last record, for the continuation lines of tracebacks. */
function createPythonParser(from: PythonState = { last: null, inTraceback: false }): PythonParser {
  const state: PythonState = { last: from.last, inTraceback: from.inTraceback };
  const continuation = (line: string): ParsedLine => {
    const last = state.last;
    const fields: Record<string, string> = { continuation: 'traceback' };
    const logger = last?.fields[FIELD.logger];
    if (logger !== undefined) fields[FIELD.logger] = logger;
    return { time: last?.time ?? null, host: null, program: last?.program ?? 'python', pid: last?.pid ?? null, level: null, message: line, fields };
  };
  const parse = (line: string): ParsedLine | null => {
    if (line === TRACEBACK || CHAINED.has(line)) {
      state.inTraceback = true;
      return continuation(line);
    }
    const c = line.charCodeAt(0);
    if ((c === 32 || c === 9) && (state.last !== null || state.inTraceback) && !line.startsWith(' * ')) return continuation(line);
    const head = parseHead(line);
    if (head !== null) {
      state.last = head;
      state.inTraceback = false;
      return head;
    }
    if (state.inTraceback && EXCEPTION_LINE.test(line)) {
      state.inTraceback = false;
      return continuation(line);
    }
    return null;
  };
  return Object.assign(parse, { state });
}

/** The state to hand on, as plain data (the last record without the rest of its line); null when there is none. */
function saveState(parser: LineParser): PythonState | null {
  const state = (parser as Partial<PythonParser>).state;
  if (state === undefined || (state.last === null && !state.inTraceback)) return null;
  const { last, inTraceback } = state;
  return { last: last === null ? null : { ...last, fields: { ...last.fields } }, inTraceback };
}

function resumeParser(_ctx: unknown, state: object): LineParser {
  return createPythonParser(state as PythonState);
}

export const pythonLogging: LogFormat = {
  name: 'python',
  description: 'Python logging (common layouts), Flask, werkzeug, gunicorn, uvicorn, with tracebacks',
  // Detection offers a line to a parser only when its probe accepts it: accept the lines a traceback is made of too,
  // so that the stateful parser sees them in order (the parser still decides, from its state, whether they are mine).
  probe(line: string): boolean {
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9 || line === TRACEBACK || CHAINED.has(line)) return true;
    return parseHead(line) !== null || EXCEPTION_LINE.test(line);
  },
  createParser: () => createPythonParser(),
  saveState,
  resumeParser,
  samples: [
    '[2026-11-23 10:00:00,123] ERROR in app: Exception on /api/register [POST]',
    '2026-11-23 10:00:01,456 - app.auth - WARNING - login failed for user alice from 203.0.113.9',
    '2026-11-23 10:00:02,789 ERROR [app.sms] SMS provider timeout for +8613800138000',
    'ERROR:app.auth:password reset requested for bob@example.com',
    'INFO:werkzeug:127.0.0.1 - - [23/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 -',
    '127.0.0.1 - - [23/Nov/2026 10:00:03] "POST /api/register HTTP/1.1" 200 -',
    'Traceback (most recent call last):',
  ],
};
