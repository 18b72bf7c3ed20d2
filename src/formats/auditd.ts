// Linux audit records: /var/log/audit/audit.log (`type=USER_LOGIN msg=audit(1700000000.123:456): pid=... msg='...'`,
// optionally `node=host ` first) and the same records forwarded through syslog (`audispd: node=... type=...`,
// `kernel: audit: type=1400 audit(...)`, journald's `audit[123]: USER_LOGIN pid=...`).
import type { LineParser, LogFormat, ParseContext, ParsedLine } from '../types.js';
import { readAuditFields } from './audit-fields.js';
import { createInterner } from './intern.js';
import { readPri } from './levels.js';
import { emptyTail, internHost, internProgram, parsePid, readTail } from './syslog-tail.js';
import { bsdStampReader } from './bsd-stamp.js';
import { yearResolver, type StampResult } from './time.js';

// Numeric record types as the kernel writes them when no name is known to the writer (`audit: type=1400`).
const TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ['1100', 'USER_AUTH'], ['1101', 'USER_ACCT'], ['1102', 'USER_MGMT'], ['1103', 'CRED_ACQ'], ['1104', 'CRED_DISP'],
  ['1105', 'USER_START'], ['1106', 'USER_END'], ['1107', 'USER_AVC'], ['1108', 'USER_CHAUTHTOK'], ['1109', 'USER_ERR'],
  ['1110', 'CRED_REFR'], ['1111', 'USYS_CONFIG'], ['1112', 'USER_LOGIN'], ['1113', 'USER_LOGOUT'], ['1114', 'ADD_USER'],
  ['1115', 'DEL_USER'], ['1116', 'ADD_GROUP'], ['1117', 'DEL_GROUP'], ['1123', 'USER_CMD'], ['1130', 'SERVICE_START'],
  ['1131', 'SERVICE_STOP'], ['1300', 'SYSCALL'], ['1302', 'PATH'], ['1307', 'CWD'], ['1309', 'EXECVE'],
  ['1327', 'PROCTITLE'], ['1400', 'AVC'], ['1701', 'ANOM_ABEND'],
]);

const UNSET_ID = '4294967295'; // auid/uid of a process that never logged in

// A few dozen record types repeat on every line: one string each (a Map key downstream: audit-fields.ts sequences).
const internType = createInterner(256);

interface Body {
  host: string | null;
  type: string;
  time: number | null;
  rest: number; // where the text after `msg=audit(...):` (or after the type) starts
}

/**
 * The usual stamp, `1700000000.123`: 1 to 12 digits, a dot and 3 digits (auditd writes milliseconds), read without a
 * slice or a number parse; -1 for any other form, which the general reading below takes as it comes.
 */
function stampMs(line: string, from: number, dot: number, colon: number): number {
  if (dot === from || dot - from > 12 || colon - dot !== 4) return -1;
  let secs = 0;
  for (let k = from; k < dot; k++) {
    const d = line.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    secs = secs * 10 + d;
  }
  let ms = 0;
  for (let k = dot + 1; k < colon; k++) {
    const d = line.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    ms = ms * 10 + d;
  }
  return secs * 1000 + ms;
}

/** `audit(1700000000.123:456):` at `i` -> ms since the epoch; sets body.rest past the colon. */
function readStamp(line: string, i: number, body: Body): boolean {
  if (!line.startsWith('audit(', i)) return false;
  const close = line.indexOf(')', i + 6);
  if (close < 0 || close - i > 40) return false;
  const dot = line.indexOf('.', i + 6);
  const colon = line.indexOf(':', i + 6);
  if (dot < 0 || dot > close || colon < dot || colon > close) return false;
  const fast = stampMs(line, i + 6, dot, colon);
  if (fast >= 0) body.time = fast;
  else {
    const secs = Number(line.slice(i + 6, dot));
    const ms = Number(line.slice(dot + 1, colon).padEnd(3, '0').slice(0, 3));
    if (!Number.isInteger(secs) || !Number.isInteger(ms) || secs < 0) return false;
    body.time = secs * 1000 + ms;
  }
  body.rest = line.charCodeAt(close + 1) === 58 ? close + 2 : close + 1;
  return true;
}

/**
 * `[node=host ]type=NAME msg=audit(...): rest` (audit.log and audisp forwarding) or `audit: type=1400 audit(...): rest`
 * (the kernel through syslog) at `i`.
 */
function readRecord(line: string, i: number, body: Body): boolean {
  if (line.startsWith('audit: ', i)) i += 7;
  if (line.startsWith('node=', i)) {
    const sp = line.indexOf(' ', i + 5);
    if (sp < 0) return false;
    body.host = internHost(line, i + 5, sp);
    i = sp + 1;
  }
  if (!line.startsWith('type=', i)) return false;
  const sp = line.indexOf(' ', i + 5);
  if (sp < 0 || sp === i + 5) return false;
  const raw = internType(line, i + 5, sp);
  body.type = TYPE_NAMES.get(raw) ?? raw;
  i = sp + 1;
  if (line.startsWith('msg=', i)) i += 4;
  return readStamp(line, i, body);
}

/** journald's form of a forwarded record: program `audit`, message `USER_LOGIN pid=... msg='...'`, no stamp. */
function readJournalRecord(message: string, body: Body): boolean {
  const sp = message.indexOf(' ');
  if (sp < 2 || sp > 24 || !message.includes('=', sp)) return false;
  for (let k = 0; k < sp; k++) {
    const c = message.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || c === 95)) return false; // an upper-case record type name
  }
  body.type = message.slice(0, sp);
  body.rest = sp + 1;
  return true;
}

function build(text: string, body: Body, fallbackHost: string | null, fallbackPid: number | null): ParsedLine {
  const fields = readAuditFields(text, body.rest, body.type);
  const exe = fields.exe;
  const slash = exe === undefined ? -1 : exe.lastIndexOf('/');
  const pidText = fields.pid;
  return {
    time: body.time,
    host: body.host ?? fallbackHost,
    program: exe === undefined || slash === exe.length - 1 ? 'auditd' : internProgram(exe, slash + 1, exe.length),
    pid: pidText === undefined ? fallbackPid : parsePid(pidText),
    level: null,
    message: text.slice(body.rest).trimStart(),
    fields,
    // key=value text with what users chose in it (EXECVE: a command's arguments): no rule for program text reads it
    foreignText: true,
  };
}

function createParser(ctx: ParseContext): LineParser {
  const readBsd = bsdStampReader(yearResolver(ctx.reference), true);
  const stamp: StampResult = { time: 0, end: 0 };
  const tail = emptyTail();
  const body: Body = { host: null, type: '', time: null, rest: 0 };
  return (line: string): ParsedLine | null => {
    body.host = null;
    body.time = null;
    const c = line.charCodeAt(0);
    if (c === 116 || c === 110) return readRecord(line, 0, body) ? build(line, body, null, null) : null; // 't' 'n'
    // Forwarded through syslog: read the syslog header, then the record in its message.
    const start = c === 60 && readPri(line) >= 0 ? line.indexOf('>') + 1 : 0;
    if (!readBsd(line, start, stamp) || line.charCodeAt(stamp.end) !== 32) return null;
    readTail(line, stamp.end + 1, tail);
    const msg = tail.message;
    if (readRecord(msg, 0, body)) return build(msg, body, tail.host, null);
    if (tail.program === 'audit' && readJournalRecord(msg, body)) {
      body.time = stamp.time;
      return build(msg, body, tail.host, tail.pid);
    }
    return null;
  };
}

/**
 * Whether a record of another format (a syslog file, the journal) is an audit record forwarded there: journald's
 * `audit[123]: EXECVE argc=2 a0=...`, audisp's `audispd:` and `audisp-syslog:` lines, the kernel's `audit: type=1400
 * audit(...): apparmor=...`. Its text holds what users chose (a command's arguments, a file name) as an audit.log
 * record does: the record stage marks it as text its program did not word (LogRecord.foreignText). Asked of every
 * record with a program: +0.35-0.45% of the instructions of a scan of auth.log (valgrind, 300,000 lines; asking
 * only for programs starting with 'a' or 'k' made no difference).
 */
export function forwardedAudit(program: string, message: string): boolean {
  if (program === 'kernel') return message.startsWith('audit: ');
  return program === 'audit' || program === 'audispd' || program === 'audisp-syslog';
}

/** Cheap: audit.log lines start with `type=` or `node=`; forwarded ones contain `type=` or journald's ` audit[`. */
function probe(line: string): boolean {
  if (line.startsWith('type=') || line.startsWith('node=')) return true;
  return line.includes('type=') || line.includes(' audit[');
}

export const auditd: LogFormat = {
  name: 'auditd',
  description: 'Linux audit records (audit.log, or forwarded through syslog/journald)',
  probe,
  createParser,
  samples: [
    `type=USER_LOGIN msg=audit(1795428000.123:456): pid=4120 uid=0 auid=${UNSET_ID} ses=${UNSET_ID} subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=login acct="root" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.9 terminal=ssh res=failed'`,
    `node=web1 type=USER_AUTH msg=audit(1795428001.000:457): pid=4121 uid=0 auid=${UNSET_ID} ses=${UNSET_ID} msg='op=PAM:authentication grantors=? acct=726F6F74 exe="/usr/sbin/sshd" hostname=203.0.113.9 addr=203.0.113.9 terminal=ssh res=failed'`,
    'type=USER_CMD msg=audit(1795428002.500:458): pid=5120 uid=1000 auid=1000 ses=3 msg=\'cwd="/home/alice" cmd=6964 exe="/usr/bin/sudo" terminal=pts/0 res=success\'\u001dUID="alice" AUID="alice"',
    'type=ADD_USER msg=audit(1795428003.000:459): pid=6001 uid=0 auid=1000 ses=3 msg=\'op=add-user id=1001 exe="/usr/sbin/useradd" hostname=web1 addr=? terminal=pts/0 res=success\'',
    'type=SYSCALL msg=audit(1795428004.000:460): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=5120 pid=5121 auid=1000 uid=0 gid=0 euid=0 comm="id" exe="/usr/bin/id" key="rootcmd"',
    'type=EXECVE msg=audit(1795428004.000:460): argc=2 a0="cat" a1=2F6574632F736861646F77',
    'Nov 23 10:00:05 web1 audit[4122]: USER_LOGIN pid=4122 uid=0 auid=4294967295 ses=4294967295 msg=\'op=login acct="admin" exe="/usr/sbin/sshd" hostname=? addr=198.51.100.23 terminal=sshd res=failed\'',
    'Nov 23 10:00:06 web1 audispd: node=web1 type=DEL_USER msg=audit(1795428006.000:461): pid=6002 uid=0 auid=1000 ses=3 msg=\'op=delete-user id=1001 exe="/usr/sbin/userdel" hostname=web1 addr=? terminal=pts/0 res=success\'',
  ],
};
