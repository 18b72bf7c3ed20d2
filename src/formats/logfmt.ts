// The 'logfmt' format: `time=2026-11-23T10:00:00Z level=warn msg="login failed" user=alice ip=203.0.113.9`
// (Go's logrus/go-kit/slog text handler, Heroku, Grafana).
//
// Record shape: fields = every key as written (quoted values unescaped: \" \\ \n \t \r), then the canonical FIELD
// values from the usual keys, exactly as for 'json' (app-fields.ts). A bare key (`debug`) has the value ''.
// time, level, message, host, program, pid from the usual keys; message falls back to the line.
// A line is logfmt when it starts with key=value, has at least two key=value pairs and no more bare words than
// pairs (so a syslog line with `user=root rhost=...` in its message is not). The probe also wants one of the usual
// keys (time, ts, level, msg ...). auditd's `type=... msg=audit(...)` lines belong to 'auditd' and are refused.
import type { LogFormat, ParsedLine } from '../types.js';
import { appRecord, setField } from './app-fields.js';

const MAX_PAIRS = 200;
const PROBE_KEYS = new Set(['time', 'ts', 't', 'timestamp', 'level', 'lvl', 'msg', 'message', 'severity']);

// Unescapes a quoted value's body; only called when it contains a backslash.
function unescape(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 === body.length) {
      out += c;
      continue;
    }
    const n = body[++i]!;
    out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
  }
  return out;
}

interface Scan {
  fields: Record<string, string>;
  pairs: number;
  bare: number;
  usual: boolean;
}

/** Reads a quoted value whose `"` is at `i`; returns the index after the closing quote, or -1. */
function readQuoted(line: string, i: number, key: string, scan: Scan): number {
  let escaped = false;
  for (let j = i + 1; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 92) {
      escaped = true;
      j++;
    } else if (c === 34) {
      const body = line.slice(i + 1, j);
      setField(scan.fields, key, escaped ? unescape(body) : body);
      return j + 1;
    }
  }
  return -1;
}

/** Tokenises the line; null as soon as it cannot be logfmt. */
function scan(line: string): Scan | null {
  const s: Scan = { fields: {}, pairs: 0, bare: 0, usual: false };
  let i = 0;
  while (i < line.length && s.pairs + s.bare < MAX_PAIRS) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    let k = i;
    while (k < line.length) {
      const d = line.charCodeAt(k);
      if (d === 61 || d === 32 || d === 9 || d === 34) break; // '=' ' ' '\t' '"'
      k++;
    }
    if (k === i || line.charCodeAt(k) === 34) return null;
    const key = line.slice(i, k);
    if (line.charCodeAt(k) !== 61) {
      if (s.pairs === 0) return null; // must start with key=value
      s.bare++;
      setField(s.fields, key, '');
      i = k;
      continue;
    }
    s.pairs++;
    if (PROBE_KEYS.has(key)) s.usual = true;
    const v = k + 1;
    if (line.charCodeAt(v) === 34) {
      i = readQuoted(line, v, key, s);
      if (i < 0) return null;
      continue;
    }
    let e = v;
    while (e < line.length && line.charCodeAt(e) !== 32 && line.charCodeAt(e) !== 9) e++;
    const value = line.slice(v, e);
    if (key === 'msg' && value.startsWith('audit(')) return null; // auditd
    setField(s.fields, key, value);
    i = e;
  }
  return s.pairs >= 2 && s.bare <= s.pairs ? s : null;
}

/** One logfmt line -> record, or null. */
export function parseLogfmt(line: string): ParsedLine | null {
  const s = scan(line);
  if (s === null) return null;
  return appRecord(s.fields, line.trim());
}

export const logfmt: LogFormat = {
  name: 'logfmt',
  description: 'logfmt key=value lines (logrus, go-kit, slog, Heroku)',
  probe(line: string): boolean {
    const eq = line.indexOf('=');
    if (eq <= 0 || eq > 64) return false;
    const s = scan(line);
    return s !== null && s.usual;
  },
  createParser() {
    return parseLogfmt;
  },
  samples: [
    'time=2026-11-23T10:00:00Z level=warn msg="login failed" user=alice ip=203.0.113.9',
    'time="2026-11-23T10:00:01+01:00" level=info msg="verification code sent" phone="+44 7700 900123" ip=198.51.100.7 service=auth',
    'ts=2026-11-23T10:00:02.345Z lvl=error caller=server.go:214 msg="request failed" method=GET path="/admin/config?debug=1" status=403 remote_addr=2001:db8::42 err="permission denied"',
  ],
};
