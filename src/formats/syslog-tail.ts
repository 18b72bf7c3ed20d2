// Reads what follows the time stamp in syslog-style lines (RFC 3164 files, journalctl short output, auditd via
// syslog): `host prog[pid]: message`, by position, without regexes. Shared by syslog-3164, journal-short and auditd.
import { createInterner } from './intern.js';

/** Where readTail puts its result; one per parser, reused for every line. */
export interface Tail {
  host: string | null;
  program: string | null;
  pid: number | null;
  message: string;
}

export function emptyTail(): Tail {
  return { host: null, program: null, pid: null, message: '' };
}

// Shared by every source: hosts and programs repeat across files too.
const hosts = createInterner();
const programs = createInterner();

const MAX_TAG = 128; // rsyslog cuts tags at 32; anything much longer is message text, not a tag
const SPACE = 32;
const COLON = 58;

function tokenEnd(line: string, i: number): number {
  const sp = line.indexOf(' ', i);
  return sp < 0 ? line.length : sp;
}

function skipSpaces(line: string, i: number): number {
  while (line.charCodeAt(i) === SPACE) i++;
  return i;
}

/**
 * Reads `host tag message` starting at `start`. The host may be absent when the first token is itself a tag
 * (`sshd[12]:`, `kernel:`); the tag may be absent (`last message repeated 3 times`, `-- MARK --`): program is then
 * null and the message starts after the host. Always succeeds; the caller has already recognised the time stamp.
 */
export function readTail(line: string, start: number, tail: Tail): void {
  const t1 = tokenEnd(line, start);
  if (readTag(line, start, t1, tail)) {
    tail.host = null;
    return;
  }
  tail.host = t1 > start ? hosts(line, start, t1) : null;
  const s2 = skipSpaces(line, t1);
  const t2 = tokenEnd(line, s2);
  if (s2 < line.length && readTag(line, s2, t2, tail)) return;
  tail.program = null;
  tail.pid = null;
  // `syslogd 1.4.1: restart.`: a program name followed by its version, as old sysklogd wrote.
  const s3 = t2 + 1;
  const c3 = line.charCodeAt(s3);
  if (t2 > s2 && c3 >= 48 && c3 <= 57) {
    const t3 = tokenEnd(line, s3);
    if (line.charCodeAt(t3 - 1) === COLON && t3 - s3 < 24) {
      tail.program = programs(line, s2, t2);
      tail.message = t3 + 1 < line.length ? line.slice(t3 + 1) : '';
      return;
    }
  }
  tail.message = s2 < line.length ? line.slice(s2) : '';
}

/**
 * A tag occupying line[a, b): `prog:`, `prog[pid]:`, `prog[pid]` (macOS), `sshd(pam_unix)[12]:` (program 'sshd').
 * On success fills program, pid and message (the text after the following space) and returns true.
 */
function readTag(line: string, a: number, b: number, tail: Tail): boolean {
  if (b - a < 2 || b - a > MAX_TAG) return false;
  let e = b;
  const colon = line.charCodeAt(b - 1) === COLON;
  if (colon) e--;
  let pid: number | null = null;
  if (line.charCodeAt(e - 1) === 93) {
    // ']': a [pid] suffix
    const lb = lastBracket(line, a, e - 1);
    if (lb < 0) return false;
    pid = readPid(line, lb + 1, e - 1);
    e = lb;
  } else if (!colon || (colon && isIpv6Host(line, a, b))) {
    return false;
  }
  // `sshd(pam_unix)`: the part in parentheses names the PAM module, not the program.
  if (line.charCodeAt(e - 1) === 41) {
    const lp = line.indexOf('(', a);
    if (lp > a && lp < e) e = lp;
  }
  if (e <= a) return false;
  tail.program = programs(line, a, e);
  tail.pid = pid;
  tail.message = b + 1 < line.length ? line.slice(b + 1) : '';
  return true;
}

/**
 * A token ending in ':' that is an IPv6 address (`2001:db8::`), not a tag: it contains '::'. A loop over the token
 * only: indexOf would search the whole rest of the line, and most tags (`sudo:`) have no '::'.
 */
function isIpv6Host(line: string, a: number, b: number): boolean {
  for (let i = a; i < b - 1; i++) {
    if (line.charCodeAt(i) === COLON && line.charCodeAt(i + 1) === COLON) return true;
  }
  return false;
}

/** The last '[' in line(a, e], or -1 (a '[' at `a` itself opens no pid). Short tags: cheaper than lastIndexOf. */
function lastBracket(line: string, a: number, e: number): number {
  for (let i = e; i > a; i--) {
    if (line.charCodeAt(i) === 91) return i;
  }
  return -1;
}

function readPid(line: string, a: number, b: number): number | null {
  if (b <= a || b - a > 10) return null;
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = line.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n;
}

/** A pid written as decimal digits in text[a, b) -> number; null when empty, too long or not digits. */
export function parsePid(text: string, a = 0, b = text.length): number | null {
  return readPid(text, a, b);
}

/** Interns a host name from text[a, b) (shared with the other system formats). */
export function internHost(text: string, a: number, b: number): string {
  return hosts(text, a, b);
}

/** Interns a program name from text[a, b). */
export function internProgram(text: string, a: number, b: number): string {
  return programs(text, a, b);
}
