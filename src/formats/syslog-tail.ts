// Reads what follows the time stamp in syslog-style lines (RFC 3164 files, journalctl short output, auditd via
// syslog): `host prog[pid]: message`, by position, without regexes. Shared by syslog-3164, journal-short and auditd.
import { createInterner } from './intern.js';

/** Where readTailAt puts the header it read; one per parser, reused for every line. */
export interface TailHead {
  host: string | null;
  program: string | null;
  pid: number | null;
  /** The last host token read (never a tag), and recent plain program names by their first two characters. */
  lastHost: string;
  tags: string[];
}

/** A TailHead before its first line. */
export function emptyHead(): TailHead {
  return { host: null, program: null, pid: null, lastHost: '', tags: new Array<string>(TAG_SLOTS).fill('') };
}

/** Where readTail puts its result; one per parser, reused for every line. */
export interface Tail extends TailHead {
  message: string;
}

export function emptyTail(): Tail {
  return { host: null, program: null, pid: null, lastHost: '', tags: new Array<string>(TAG_SLOTS).fill(''), message: '' };
}

// Shared by every source: hosts and programs repeat across files too.
const hosts = createInterner();
const programs = createInterner();

const TAG_SLOTS = 32; // a power of two
const MAX_TAG = 128; // rsyslog cuts tags at 32; anything much longer is message text, not a tag
const SPACE = 32;
const COLON = 58;

function tokenEnd(line: string, i: number): number {
  const sp = line.indexOf(' ', i);
  return sp < 0 ? line.length : sp;
}

/**
 * Reads `host tag message` starting at `start`. The host may be absent when the first token is itself a tag
 * (`sshd[12]:`, `kernel:`); the tag may be absent (`last message repeated 3 times`, `-- MARK --`): program is then
 * null and the message starts after the host. Always succeeds; the caller has already recognised the time stamp.
 */
export function readTail(line: string, start: number, tail: Tail): void {
  tail.message = line.slice(readTailAt(line, start, tail));
}

/**
 * readTail without the message: fills host, program and pid and returns where the message starts (line.length or
 * more when it is empty). The caller slices it into its own young record: storing a fresh string into a long-lived
 * object costs a write barrier on every line.
 */
export function readTailAt(line: string, start: number, tail: TailHead): number {
  // Most lines repeat the last line's host: matching it, followed by a space, needs neither the token's end
  // (indexOf) nor the interner, and the same text is never a tag (readTag depends on the token's text only). A slice
  // and === cost less than comparing characters one by one (each charCodeAt of a line costs ~50 instructions).
  const last = tail.lastHost;
  let t1 = start + last.length;
  if (last.length === 0 || line.charCodeAt(t1) !== SPACE || line.slice(start, t1) !== last) {
    t1 = tokenEnd(line, start);
    const at = readTag(line, start, t1, tail);
    if (at >= 0) {
      tail.host = null;
      return at;
    }
    if (t1 > start) tail.lastHost = hosts(line, start, t1);
    tail.host = t1 > start ? tail.lastHost : null;
  } else {
    tail.host = last;
    t1++; // past the space just read
  }
  // The spaces skipped here, keeping the character after them for knownTag (each read of a line costs).
  let c2 = line.charCodeAt(t1);
  while (c2 === SPACE) c2 = line.charCodeAt(++t1);
  const known = knownTag(line, t1, c2, tail);
  return known >= 0 ? known : readSecond(line, t1, tail);
}

/** The token after the host: a tag, or the start of the message (then program and pid are null). */
function readSecond(line: string, s2: number, tail: TailHead): number {
  const t2 = tokenEnd(line, s2);
  if (s2 < line.length) {
    const at = readTag(line, s2, t2, tail);
    if (at >= 0) {
      remember(tail, tail.program!);
      return at;
    }
  }
  tail.program = null;
  tail.pid = null;
  // `syslogd 1.4.1: restart.`: a program name followed by its version, as old sysklogd wrote.
  const s3 = t2 + 1;
  const c3 = line.charCodeAt(s3);
  if (t2 > s2 && c3 >= 48 && c3 <= 57) {
    const t3 = tokenEnd(line, s3);
    if (line.charCodeAt(t3 - 1) === COLON && t3 - s3 < 24) {
      tail.program = programs(line, s2, t2);
      return t3 + 1;
    }
  }
  return s2;
}

function tagSlot(a: number, b: number): number {
  return (a * 7 + b) & (TAG_SLOTS - 1);
}

/** Keeps a program name for knownTag when it holds none of `:[]()`, so that only readTag's simplest cases match it. */
function remember(tail: TailHead, program: string): void {
  for (let i = 0; i < program.length; i++) {
    const c = program.charCodeAt(i);
    if (c === COLON || c === 91 || c === 93 || c === 40 || c === 41) return;
  }
  tail.tags[tagSlot(program.charCodeAt(0), program.charCodeAt(1))] = program;
}

/**
 * readTag for a remembered program P at `a` (`ca`: the character there): `P:` or `P[digits]:` followed by a space or
 * the end of the line, as readTag reads them (P holds no `:[]()`, so the last '[' is the one after P and no '::' or
 * ')' rule applies). Returns where the message starts, or -1 to leave the token to readTag.
 */
function knownTag(line: string, a: number, ca: number, tail: TailHead): number {
  const p = tail.tags[tagSlot(ca, line.charCodeAt(a + 1))]!;
  let j = a + p.length;
  const c = line.charCodeAt(j);
  if (p.length === 0 || (c !== COLON && c !== 91) || line.slice(a, j) !== p) return -1; // slice and ===: see readTailAt
  let pid: number | null = null;
  if (c === 91) {
    const d = ++j;
    let n = 0;
    let k = line.charCodeAt(j) - 48;
    for (; k >= 0 && k <= 9 && j - d < 11; k = line.charCodeAt(j) - 48) {
      n = n * 10 + k;
      j++;
    }
    // k is what ended the digits: ']' (93 - 48) after one to ten of them, read once
    if (j === d || j - d > 10 || k !== 93 - 48 || line.charCodeAt(j + 1) !== COLON) return -1;
    pid = n;
    j++;
  }
  // j is at the colon that ends the token
  if (j + 1 - a > MAX_TAG || (j + 1 < line.length && line.charCodeAt(j + 1) !== SPACE)) return -1;
  tail.program = p;
  tail.pid = pid;
  return j + 2;
}

/**
 * A tag occupying line[a, b): `prog:`, `prog[pid]:`, `prog[pid]` (macOS), `sshd(pam_unix)[12]:` (program 'sshd').
 * On success fills program and pid and returns where the message starts (after the following space); else -1.
 */
function readTag(line: string, a: number, b: number, tail: { program: string | null; pid: number | null }): number {
  if (b - a < 2 || b - a > MAX_TAG) return -1;
  let e = b;
  const colon = line.charCodeAt(b - 1) === COLON;
  if (colon) e--;
  let pid: number | null = null;
  if (line.charCodeAt(e - 1) === 93) {
    // ']': a [pid] suffix
    const lb = lastBracket(line, a, e - 1);
    if (lb < 0) return -1;
    pid = readPid(line, lb + 1, e - 1);
    e = lb;
  } else if (!colon || (colon && isIpv6Host(line, a, b))) {
    return -1;
  }
  // `sshd(pam_unix)`: the part in parentheses names the PAM module, not the program.
  if (line.charCodeAt(e - 1) === 41) {
    const lp = line.indexOf('(', a);
    if (lp > a && lp < e) e = lp;
  }
  if (e <= a) return -1;
  tail.program = programs(line, a, e);
  tail.pid = pid;
  return b + 1;
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
