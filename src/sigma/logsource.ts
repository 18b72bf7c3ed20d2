// Which of our records a Sigma rule's `logsource` applies to: product linux (services auth, sshd, sudo, syslog,
// cron, vsftpd, auditd) and category webserver. Any other logsource is skipped, with the reason said.
import { SigmaUnsupported } from './modifiers.js';
import type { RecordKind } from './fields.js';

export interface Gate {
  kind: RecordKind;
  /** Programs the record must have (syslog services); null = any. */
  programs: ReadonlySet<string> | null;
  /** For `audit rules list`: `linux/sshd`, `webserver`. */
  label: string;
}

// The program names each service logs under (Debian, RHEL, Alpine, and OpenSSH 9.8's split daemons).
const SERVICES: Readonly<Record<string, readonly string[] | null>> = {
  sshd: ['sshd', 'sshd-session', 'sshd-auth'],
  sudo: ['sudo'],
  cron: ['cron', 'CRON', 'crond', 'anacron'],
  vsftpd: ['vsftpd'],
  // auth.log and syslog hold every program's lines.
  auth: null,
  syslog: null,
};

// Why the other Linux categories cannot be served from log lines.
const NEEDS: Readonly<Record<string, string>> = {
  process_creation: 'process creation events (Sysmon for Linux, EDR), not log lines',
  file_event: 'file events (Sysmon for Linux, EDR), not log lines',
  network_connection: 'network connection events (Sysmon for Linux, EDR), not log lines',
  file_create: 'file events (Sysmon for Linux, EDR), not log lines',
};

export function gateOf(logsource: unknown): Gate {
  if (logsource === null || typeof logsource !== 'object' || Array.isArray(logsource)) {
    throw new SigmaUnsupported("no 'logsource' mapping");
  }
  const ls = logsource as Record<string, unknown>;
  const product = typeof ls.product === 'string' ? ls.product.toLowerCase() : null;
  const service = typeof ls.service === 'string' ? ls.service.toLowerCase() : null;
  const category = typeof ls.category === 'string' ? ls.category.toLowerCase() : null;
  if (category === 'webserver') return { kind: 'web', programs: null, label: 'webserver' };
  const described = [product && `product ${product}`, service && `service ${service}`, category && `category ${category}`].filter(Boolean).join(', ');
  if (product !== 'linux') throw new SigmaUnsupported(`logsource ${described || '(empty)'}: only product linux and category webserver are read`);
  if (category !== null) {
    const why = NEEDS[category];
    throw new SigmaUnsupported(`logsource ${described}: ${why === undefined ? 'category not supported' : `needs ${why}`}`);
  }
  if (service === null) return { kind: 'syslog', programs: null, label: 'linux' };
  if (service === 'auditd') return { kind: 'auditd', programs: null, label: 'linux/auditd' };
  const programs = SERVICES[service];
  if (programs === undefined) {
    throw new SigmaUnsupported(`logsource ${described}: service not supported (supported: ${[...Object.keys(SERVICES), 'auditd'].join(', ')})`);
  }
  return { kind: 'syslog', programs: programs === null ? null : new Set(programs), label: `linux/${service}` };
}
