// Tests the audit record field reader's key sequences (src/formats/audit-fields.ts): each record type's keys are
// first compared with the ones it had last time. Records of one type written with other keys, other orders, keys that
// start like the expected one (a1 and a10), missing `=`, the inner msg='...', GS and __proto__ must read exactly as
// the reader without sequences read them (kept below as the reference).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readAuditFields } from '../../src/formats/audit-fields.js';
import { FIELD } from '../../src/types.js';

// ---- the reader as it was before the key sequences (one character loop and one store per pair)

const MAX_FIELDS = 128;
const HEX_KEYS: ReadonlySet<string> = new Set(['acct', 'cmd', 'comm', 'cwd', 'exe', 'name', 'path', 'proctitle', 'data', 'old-acct', 'new-acct', 'grp', 'new_group', 'old_group', 'ocomm', 'vm', 'watch', 'dir', 'file']);
const isSeparator = (c: number): boolean => c === 32 || c === 0x1d;
const isKeyChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
const isHex = (s: string): boolean => s.length >= 2 && s.length % 2 === 0 && /^[0-9A-F]*$/.test(s);
const decodeHex = (s: string): string => Buffer.from(s, 'hex').toString('utf8').replace(/\0/g, ' ');
function hexKey(key: string, type: string): boolean {
  return HEX_KEYS.has(key) || (type === 'EXECVE' && /^a[0-9]/.test(key));
}

function referenceScan(text: string, i: number, end: number, type: string, out: Record<string, string>, depth: number): void {
  let count = Object.keys(out).length;
  while (i < end && count < MAX_FIELDS) {
    while (i < end && isSeparator(text.charCodeAt(i))) i++;
    const k0 = i;
    while (i < end && isKeyChar(text.charCodeAt(i))) i++;
    if (i === k0 || text.charCodeAt(i) !== 61) {
      while (i < end && !isSeparator(text.charCodeAt(i))) i++;
      continue;
    }
    const key = text.slice(k0, i);
    i++;
    const q = text.charCodeAt(i);
    if (q === 39 || q === 34) {
      const close = text.indexOf(q === 39 ? "'" : '"', i + 1);
      const vEnd = close < 0 || close > end ? end : close;
      if (q === 39 && key === 'msg' && depth === 0) referenceScan(text, i + 1, vEnd, type, out, 1);
      else if (key !== '__proto__') out[key] = text.slice(i + 1, vEnd);
      i = vEnd + 1;
    } else {
      const v0 = i;
      while (i < end && !isSeparator(text.charCodeAt(i))) i++;
      const value = text.slice(v0, i);
      if (key !== '__proto__' && key !== 'msg') out[key] = hexKey(key, type) && isHex(value) ? decodeHex(value) : value;
    }
    count++;
  }
}

function reference(text: string, type: string): Record<string, string> {
  const f: Record<string, string> = {};
  referenceScan(text, 0, text.length, type, f, 0);
  f[FIELD.auditType] = type;
  const acct = f.acct;
  let user: string | null = null;
  if (acct !== undefined && acct !== '?' && acct !== '') user = acct;
  else {
    for (const name of [f.AUID, f.UID]) {
      if (name !== undefined && name !== 'unset' && name !== '?') {
        user = name;
        break;
      }
    }
    const auid = f.auid;
    if (user === null && auid !== undefined && auid !== '4294967295' && auid !== '-1' && auid !== '?') user = auid;
  }
  if (user !== null) f[FIELD.user] = user;
  const addr = f.addr;
  if (addr !== undefined && addr !== '?' && addr !== '') f[FIELD.ip] = addr;
  if (f.res === undefined && f.success !== undefined) f.res = f.success === 'yes' ? 'success' : 'failed';
  return f;
}

// ---- generated records: few types and keys, so that sequences are met, broken and met again

const TYPES = ['SYSCALL', 'EXECVE', 'USER_LOGIN', 'PATH'];
// Keys that start like one another, hex keys, the names the reader maps, and odd ones.
const KEYS = ['a0', 'a1', 'a10', 'a', 'acct', 'ac', 'addr', 'auid', 'AUID', 'UID', 'uid', 'res', 'success', 'exe', 'name', 'pid', 'key', 'msg', '__proto__', 'x-y_1'];
const VALUES = ['0', '1003', '?', 'unset', 'yes', 'no', 'failed', 'root', '726F6F74', '2F62696E', 'ABC', '', '55d742101f64', '"/usr/bin/id"', "'q'", '"a b"'];

const pair = fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)).map(([k, v]) => `${k}=${v}`);
const part = fc.oneof(
  { weight: 8, arbitrary: pair },
  { weight: 1, arbitrary: fc.constantFrom('word', '=x', 'a1', 'a10x=', 'k=') },
  { weight: 1, arbitrary: fc.array(pair, { maxLength: 4 }).map((ps) => `msg='${ps.join(' ')}'`) },
);
const record = fc.tuple(
  fc.constantFrom(...TYPES),
  fc.array(part, { maxLength: 14 }),
  fc.constantFrom(' ', '  ', '\u001d'),
  fc.boolean(),
).map(([type, parts, sep, enriched]) => ({ type, text: parts.join(sep) + (enriched ? '\u001dAUID="alice" UID="root"' : '') }));

/** A record, then the same keys again with other values (the sequence met), then with a key changed. */
const run = fc.array(record, { minLength: 1, maxLength: 12 });

describe('audit record fields: key sequences', () => {
  it('reads every record as the reader without sequences, in the same key order', () => {
    fc.assert(
      fc.property(run, (records) => {
        for (const r of [...records, ...records]) {
          const got = readAuditFields(r.text, 0, r.type);
          assert.deepEqual(Object.entries(got), Object.entries(reference(r.text, r.type)), JSON.stringify(r));
        }
      }),
      { numRuns: 3000, seed: 20261127 },
    );
  });

  it('reads a record whose key only starts like the one there last time', () => {
    readAuditFields('a1=1 a0=2F6574632F736861646F77', 0, 'EXECVE');
    const f = readAuditFields('a10=1 a0=x', 0, 'EXECVE');
    assert.equal(f.a10, '1');
    assert.equal(f.a1, undefined);
    assert.equal(f.a0, 'x');
  });

  it('reads the inner msg in its place, and a record of the same type without it', () => {
    const login = "pid=1 msg='op=login acct=\"bob\" res=failed' UID=\"root\"";
    assert.deepEqual(readAuditFields(login, 0, 'USER_LOGIN'), reference(login, 'USER_LOGIN'));
    const bare = 'pid=1 op=login acct="eve" res=success';
    assert.deepEqual(Object.entries(readAuditFields(bare, 0, 'USER_LOGIN')), Object.entries(reference(bare, 'USER_LOGIN')));
  });
});
