// Reads the key=value pairs of one Linux audit record into record fields: quoted, bare and hex-encoded values, the
// inner `msg='...'` of user-space records, and the enriched names after the 0x1d separator (`AUID="alice"`).
import { FIELD } from '../types.js';
import { copyString, createInterner, sameAt } from './intern.js';

const MAX_FIELDS = 128; // bounds what an attacker-written record can add
const UNSET_ID = '4294967295'; // (uint32)-1: an id that was never set
const GS = 0x1d; // separates the raw record from the names auditd adds with log_format=ENRICHED

// auditd hex-encodes these (untrusted strings) when they contain a space, a quote or a control character; a
// quoted value is plain text, a bare one is hex.
const HEX_KEYS: ReadonlySet<string> = new Set(['acct', 'cmd', 'comm', 'cwd', 'exe', 'name', 'path', 'proctitle', 'data', 'old-acct', 'new-acct', 'grp', 'new_group', 'old_group', 'ocomm', 'vm', 'watch', 'dir', 'file']);

// Keys repeat on every record (type, pid, uid, auid, ses, msg...): one string per key, which V8 turns into a property
// name once, instead of a new slice to hash and look up in its string table at every field of every record.
const internKey = createInterner(1024);

function isSeparator(c: number): boolean {
  return c === 32 || c === GS;
}

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

function isHex(s: string): boolean {
  if (s.length < 2 || s.length % 2 !== 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** proctitle separates the arguments with NUL bytes: show them as spaces. */
function decodeHex(s: string): string {
  return Buffer.from(s, 'hex').toString('utf8').replace(/\0/g, ' ');
}

/** Whether a bare value under `key` is auditd's hex encoding (EXECVE arguments a0, a1... are too). */
function hexKey(key: string, type: string): boolean {
  if (HEX_KEYS.has(key)) return true;
  return type === 'EXECVE' && key.charCodeAt(0) === 97 && key.length > 1 && key.charCodeAt(1) >= 48 && key.charCodeAt(1) <= 57;
}

/**
 * The keys a record type had last time, in the order they were read (the inner `msg='...'` in its place): most
 * records of a type write the same keys in the same order, so the key at each place is first compared with the one
 * there last time, which spares the character classes, the interner and the hex decision. `hex`: hexKey of that key
 * for this type.
 */
interface KeySeq {
  keys: string[];
  hex: boolean[];
}

/** Record types with a sequence remembered: they come from the log, so they are bounded. */
const MAX_TYPES = 256;
const sequences = new Map<string, KeySeq>();

function sequenceOf(type: string): KeySeq {
  let seq = sequences.get(type);
  if (seq === undefined) {
    seq = { keys: [], hex: [] };
    if (sequences.size < MAX_TYPES) sequences.set(type, seq);
  }
  return seq;
}

/** Where scan is: the next character, and the place of the next pair in the type's key sequence. */
interface Cursor {
  i: number;
  at: number;
}

/** Scans text[c.i, end) for key=value pairs into `out`; recurses once into `msg='...'`. */
function scan(text: string, c: Cursor, end: number, type: string, seq: KeySeq, out: Record<string, string>, depth: number): void {
  let count = depth === 0 ? 0 : Object.keys(out).length;
  let i = c.i;
  while (i < end && count < MAX_FIELDS) {
    while (i < end && isSeparator(text.charCodeAt(i))) i++;
    let key: string;
    let hex: boolean;
    const at = c.at;
    const expected = seq.keys[at];
    // The key there last time, whole and followed by `=` (not a key character: the loop below would stop there too).
    if (expected !== undefined && i + expected.length < end && text.charCodeAt(i + expected.length) === 61 && sameAt(text, i, expected)) {
      key = expected;
      hex = seq.hex[at]!;
      i += expected.length;
    } else {
      const k0 = i;
      while (i < end && isKeyChar(text.charCodeAt(i))) i++;
      if (i === k0 || text.charCodeAt(i) !== 61) {
        // not a pair: skip this word
        while (i < end && !isSeparator(text.charCodeAt(i))) i++;
        continue;
      }
      key = internKey(text, k0, i);
      hex = hexKey(key, type);
      if (at < MAX_FIELDS) {
        seq.keys[at] = key;
        seq.hex[at] = hex;
      }
    }
    c.at = at + 1;
    i++;
    const q = text.charCodeAt(i);
    if (q === 39 || q === 34) {
      const close = text.indexOf(q === 39 ? "'" : '"', i + 1);
      const vEnd = close < 0 || close > end ? end : close;
      if (q === 39 && key === 'msg' && depth === 0) {
        c.i = i + 1;
        scan(text, c, vEnd, type, seq, out, 1);
      } else if (key !== '__proto__') out[key] = text.slice(i + 1, vEnd);
      i = vEnd + 1;
    } else {
      const v0 = i;
      while (i < end && !isSeparator(text.charCodeAt(i))) i++;
      const value = text.slice(v0, i);
      if (key !== '__proto__' && key !== 'msg') out[key] = hex && isHex(value) ? decodeHex(value) : value;
    }
    count++;
  }
  c.i = i;
}

/** An enriched name (AUID="alice") that names someone. */
function knownName(name: string | undefined): string | null {
  return name !== undefined && name !== 'unset' && name !== '?' ? name : null;
}

/**
 * The user a record is about: the account it names (acct), else the login user's name or the process user's name
 * (enriched AUID/UID), else the numeric login uid (auid) when set. A bare numeric uid is left out: it is mostly 0
 * for daemons and says little.
 */
function userOf(f: Record<string, string>): string | null {
  const acct = f.acct;
  if (acct !== undefined && acct !== '?' && acct !== '') return acct;
  const name = knownName(f.AUID) ?? knownName(f.UID);
  if (name !== null) return name;
  const auid = f.auid;
  return auid !== undefined && auid !== UNSET_ID && auid !== '-1' && auid !== '?' ? auid : null;
}

/**
 * The fields of the audit record text[start...]: audit_type, every key=value (hex decoded), and the FIELD names
 * the rules read: user, ip (from addr), res (success/failed; SYSCALL's success=yes/no mapped onto it).
 */
export function readAuditFields(text: string, start: number, type: string): Record<string, string> {
  const f: Record<string, string> = {};
  scan(text, { i: start, at: 0 }, text.length, type, sequenceOf(type), f, 0);
  f[FIELD.auditType] = type;
  // user and ip are what counters keep as keys: copies, so that they do not keep the line alive.
  const user = userOf(f);
  if (user !== null) f[FIELD.user] = copyString(user);
  const addr = f.addr;
  if (addr !== undefined && addr !== '?' && addr !== '') f[FIELD.ip] = copyString(addr);
  if (f.res === undefined && f.success !== undefined) f.res = f.success === 'yes' ? 'success' : 'failed';
  return f;
}
