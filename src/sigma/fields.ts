// Sigma field names -> values of our records: W3C web server fields from access logs, audit record keys from auditd,
// and the message (keywords) for syslog. A FieldView caches lowercased values for one record, for all rules.
import { FIELD, type LogRecord } from '../types.js';

/** What kind of log a record is, for logsource gating and field mapping. */
export type RecordKind = 'web' | 'auditd' | 'syslog';

export function recordKind(r: LogRecord): RecordKind {
  const f = r.fields;
  if (has(f, FIELD.auditType)) return 'auditd';
  if (has(f, FIELD.method) && has(f, FIELD.url)) return 'web';
  return 'syslog';
}

function has(f: LogRecord['fields'], k: string): boolean {
  return Object.prototype.hasOwnProperty.call(f, k);
}

/**
 * Web server fields. SigmaHQ's webserver rules use `cs-uri-query` for the whole request target (path and query:
 * `cs-uri-query|contains: '/vpns/cfg/smb.conf'`), so it maps to the URL as written, like `cs-uri`; `cs-uri-stem`
 * is the path alone.
 */
const WEB: Readonly<Record<string, string>> = {
  'cs-method': FIELD.method,
  'cs-uri-query': FIELD.url,
  'cs-uri': FIELD.url,
  'cs-user-agent': FIELD.agent,
  'cs-referer': FIELD.referer,
  'sc-status': FIELD.status,
  'c-ip': FIELD.ip,
  'cs-host': FIELD.vhost,
  'cs-version': FIELD.protocol,
  'cs-username': FIELD.user,
  'sc-bytes': FIELD.bytes,
};

/** Names every kind understands, from the record itself. */
function common(r: LogRecord, name: string): string | undefined {
  switch (name) {
    case 'message':
    case 'Message':
      return r.message;
    case 'host':
    case 'hostname':
    case 'Hostname':
      return r.host ?? undefined;
    case 'program':
    case 'process':
      return r.program ?? undefined;
    case 'pid':
      return r.pid === null ? undefined : String(r.pid);
    default:
      return undefined;
  }
}

/** The value of Sigma field `name` in the record, or undefined when the record has no such field. */
export function sigmaField(r: LogRecord, kind: RecordKind, name: string): string | undefined {
  const f = r.fields;
  if (kind === 'web') {
    if (name === 'cs-uri-stem') {
      const url = f[FIELD.url];
      if (url === undefined) return undefined;
      const q = url.indexOf('?');
      return q < 0 ? url : url.slice(0, q);
    }
    const mapped = WEB[name];
    if (mapped !== undefined) return has(f, mapped) ? f[mapped] : undefined;
  } else if (kind === 'auditd' && name === 'type') {
    return f[FIELD.auditType];
  }
  if (has(f, name)) return f[name];
  return common(r, name);
}

/** The text keywords are searched in: the syslog message; the whole line for access logs and audit records. */
export function keywordText(r: LogRecord, kind: RecordKind): string {
  return kind === 'syslog' ? r.message : r.raw;
}

/** One record's values as Sigma sees them; lowercased values cached (several rules read the same field). */
export class FieldView {
  private readonly names: string[] = [];
  private readonly lowered: (string | undefined)[] = [];
  constructor(readonly record: LogRecord, readonly kind: RecordKind) {}

  get(name: string): string | undefined {
    return name === '' ? keywordText(this.record, this.kind) : sigmaField(this.record, this.kind, name);
  }

  lower(name: string): string | undefined {
    const i = this.names.indexOf(name);
    if (i >= 0) return this.lowered[i];
    const v = this.get(name)?.toLowerCase();
    this.names.push(name);
    this.lowered.push(v);
    return v;
  }
}
