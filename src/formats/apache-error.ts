// The 'apache-error' format: Apache httpd's error_log, 2.2 style `[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] ...`
// and 2.4 style `[Mon Nov 23 10:00:00.123456 2026] [core:error] [pid 1234:tid 140] [client 203.0.113.9:52100] AH00126: ...`.
//
// Record shape:
//   time     the stamp, local time (Apache writes no zone).   level  the word after the optional `module:`
//   pid      from `[pid N]` / `[pid N:tid T]` (fields.tid).    program 'apache'
//   message  the text after the bracketed groups, as written (`AH00126: Invalid URI in request ...`)
//   fields   module, ip (+ port) from `[client ...]`, else from `[remote ...]` (fields.remote keeps the peer when both
//            are present), code (`AH00126`), referer from a trailing `, referer: ...`.
// Apache 2.4 writes `[client ADDR:PORT]` with IPv6 addresses unbracketed (`[client 2001:db8::1:52100]`): the last
// `:digits` is the port on 2.4 lines (those with `module:level` or `[pid`), never on 2.2 lines, which have no port.
import type { LogFormat, ParsedLine, Severity } from '../types.js';
import { FIELD } from '../types.js';
import { levelFromWord } from './levels.js';
import { clockSeconds, digits, digitsEnd, fractionMs, isValidDate, localTime, monthFromName } from './time.js';

/** `Sun Nov 23 10:00:00[.123456] 2026` between `[` at 0 and `]` -> ms and where the `]` is; null otherwise. */
function stamp(line: string): { time: number; end: number } | null {
  if (line.charCodeAt(4) !== 32 || line.charCodeAt(8) !== 32 || line.charCodeAt(11) !== 32) return null;
  const mo = monthFromName(line, 5);
  const d = line.charCodeAt(9) === 32 ? digits(line, 10, 1) : digits(line, 9, 2);
  const secs = clockSeconds(line, 12);
  if (mo === 0 || d < 0 || secs < 0) return null;
  let i = 20;
  let ms = 0;
  if (line.charCodeAt(i) === 46) {
    const fe = digitsEnd(line, i + 1);
    ms = fractionMs(line, i + 1, fe);
    i = fe;
  }
  const y = digits(line, i + 1, 4);
  if (line.charCodeAt(i) !== 32 || line.charCodeAt(i + 5) !== 93 || !isValidDate(y, mo, d)) return null;
  const time = localTime(y, mo, d, Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60, ms);
  return { time, end: i + 5 };
}

/** `[core:error]` / `[error]` content -> level and module. */
function readLevel(text: string, fields: Record<string, string>): Severity | null {
  const colon = text.indexOf(':');
  const word = colon < 0 ? text : text.slice(colon + 1);
  // 2.4's trace1 ... trace8
  const level = word.startsWith('trace') && word.length === 6 ? 'info' : levelFromWord(word);
  if (level !== null && colon > 0) fields.module = text.slice(0, colon);
  return level;
}

/** `[client 2001:db8::1:52100]`, `[client [2001:db8::1]:52100]`, `[client 1.2.3.4]` -> ip and port. */
function splitAddress(addr: string, hasPort: boolean): { ip: string; port: string | null } {
  if (addr.charCodeAt(0) === 91) {
    const close = addr.indexOf(']');
    if (close > 0) {
      const port = addr.charCodeAt(close + 1) === 58 ? addr.slice(close + 2) : '';
      return { ip: addr.slice(1, close), port: port === '' ? null : port };
    }
  }
  const colon = addr.lastIndexOf(':');
  const digitsOnly = colon >= 0 && colon + 1 < addr.length && digitsEnd(addr, colon + 1) === addr.length;
  // An IPv4 address has one colon before its port, even on a 2.2 line that never has a port.
  if (digitsOnly && (hasPort || addr.indexOf(':') === colon)) return { ip: addr.slice(0, colon), port: addr.slice(colon + 1) };
  return { ip: addr, port: null };
}

/** The end (exclusive) of a `[...]` group opening at `i`; a bracketed IPv6 inside nests one level. */
function groupEnd(line: string, i: number): number {
  let depth = 0;
  for (let j = i; j < line.length && j < i + 128; j++) {
    const c = line.charCodeAt(j);
    if (c === 91) depth++;
    else if (c === 93 && --depth === 0) return j + 1;
  }
  return -1;
}

/** The `[pid ...]`, `[client ...]`, `[remote ...]` groups; returns where the message starts. */
function readGroups(line: string, i: number, hasPort: boolean, fields: Record<string, string>): { at: number; pid: number | null } {
  let pid: number | null = null;
  let client: { ip: string; port: string | null } | null = null;
  let remote: { ip: string; port: string | null } | null = null;
  for (let n = 0; n < 4 && line.startsWith(' [', i); n++) {
    const end = groupEnd(line, i + 1);
    if (end < 0) break;
    const body = line.slice(i + 2, end - 1);
    if (body.startsWith('pid ')) {
      const pe = digitsEnd(body, 4);
      if (pe === 4) break;
      pid = Number(body.slice(4, pe));
      if (body.startsWith(':tid ', pe)) fields.tid = body.slice(pe + 5);
    } else if (body.startsWith('client ')) {
      client = splitAddress(body.slice(7), hasPort);
    } else if (body.startsWith('remote ')) {
      remote = splitAddress(body.slice(7), hasPort);
    } else {
      break; // a bracket that belongs to the message
    }
    i = end;
  }
  // The client is who sent the request (after mod_remoteip); the remote is the peer, kept when both are given.
  const who = client ?? remote;
  if (who !== null) {
    fields[FIELD.ip] = who.ip;
    if (who.port !== null) fields[FIELD.port] = who.port;
  }
  if (client !== null && remote !== null) fields.remote = remote.ip;
  return { at: line.charCodeAt(i) === 32 ? i + 1 : i, pid };
}

// `AH00126: ` message codes of 2.4
function readCode(message: string, fields: Record<string, string>): void {
  if (message.charCodeAt(0) === 65 && message.charCodeAt(1) === 72 && message.charCodeAt(7) === 58 && digitsEnd(message, 2) === 7) {
    fields.code = message.slice(0, 7);
  }
  const r = message.lastIndexOf(', referer: ');
  if (r > 0) fields[FIELD.referer] = message.slice(r + 11);
}

/** One error-log line -> record, or null. */
export function parseApacheError(line: string): ParsedLine | null {
  if (line.charCodeAt(0) !== 91) return null;
  const st = stamp(line);
  if (st === null || !line.startsWith('] [', st.end)) return null;
  const lvlStart = st.end + 3;
  const lvlEnd = line.indexOf(']', lvlStart);
  if (lvlEnd < 0 || lvlEnd - lvlStart > 40) return null;
  const fields: Record<string, string> = {};
  const level = readLevel(line.slice(lvlStart, lvlEnd), fields);
  if (level === null) return null;
  const hasPort = fields.module !== undefined || line.startsWith(' [pid ', lvlEnd + 1);
  const { at, pid } = readGroups(line, lvlEnd + 1, hasPort, fields);
  const message = line.slice(at);
  readCode(message, fields);
  return { time: st.time, host: null, program: 'apache', pid, level, message, fields };
}

export const apacheError: LogFormat = {
  name: 'apache-error',
  description: 'Apache httpd error_log, 2.2 and 2.4 styles',
  probe(line: string): boolean {
    return line.charCodeAt(0) === 91 && line.charCodeAt(4) === 32 && line.charCodeAt(8) === 32 && line.indexOf('] [', 20) > 0;
  },
  createParser() {
    return parseApacheError;
  },
  samples: [
    '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties',
    '[Sun Dec 04 04:51:18 2005] [error] [client 81.199.21.119] Directory index forbidden by rule: /var/www/html/',
    '[Mon Nov 23 10:00:00.123456 2026] [core:error] [pid 1234:tid 140] [client 203.0.113.9:52100] AH00126: Invalid URI in request GET /..%2f..%2fetc/passwd HTTP/1.1',
    '[Mon Nov 23 10:00:05.000017 2026] [authz_core:error] [pid 1235:tid 141] [client 2001:db8::9:41522] AH01630: client denied by server configuration: /var/www/html/.git/config',
    '[Mon Nov 23 10:01:00.500000 2026] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.58 (Unix) configured -- resuming normal operations',
  ],
};
