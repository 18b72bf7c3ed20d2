// decide(): what a file seen now is, given the cursor rows stored for its inode and its first line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, type CursorRow } from '../../src/store/cursor.js';
import { firstLine, hashBytes, type FileIdentity } from '../../src/store/fingerprint.js';

const HEAD = Buffer.from('Nov 23 10:00:00 web1 sshd[1]: first\nsecond\n');
const FP = hashBytes(firstLine(HEAD));

function id(over: Partial<FileIdentity> = {}): FileIdentity {
  return { dev: '1', ino: '100', size: 5000, mtime: new Date(0), fingerprint: FP, fpLen: 36, whole: false, head: HEAD, ...over };
}
function row(over: Partial<CursorRow> = {}): CursorRow {
  return { id: 7, path: '/var/log/auth.log', dev: '1', ino: '100', size: 4000, offset: 4000, lines: 40, fingerprint: FP, fp_len: 36, whole: 0, retired: 0, version: 3, ...over };
}

test('the same file grown resumes at the stored offset and line', () => {
  assert.deepEqual(decide(id(), '/var/log/auth.log', [row()], []), { kind: 'resume', row: row(), offset: 4000, lines: 40 });
});

test('a rename keeps the inode: auth.log.1 resumes the row of auth.log', () => {
  assert.equal(decide(id(), '/var/log/auth.log.1', [row()], []).kind, 'resume');
});

test('nothing added: unchanged', () => {
  assert.equal(decide(id({ size: 4000 }), '/var/log/auth.log', [row()], []).kind, 'unchanged');
});

test('copytruncate: same inode, another first line: new, read from 0', () => {
  const other = Buffer.from('Nov 24 00:00:01 web1 cron[2]: new day\n');
  assert.deepEqual(decide(id({ head: other, fingerprint: hashBytes(other), size: 38 }), '/var/log/auth.log', [row()], []), { kind: 'new' });
});

test('same first line but shorter than what was read: truncated, new', () => {
  assert.deepEqual(decide(id({ size: 100 }), '/var/log/auth.log', [row()], []), { kind: 'new' });
});

test('a copy in the same rotation family (other inode, same first line) reads on from the offset', () => {
  const d = decide(id({ ino: '200', size: 4500 }), '/var/log/auth.log.1', [], [row()]);
  assert.deepEqual(d, { kind: 'copy', from: row(), offset: 4000, lines: 40 });
});

test('a .gz copy is read from the decoded offset; a gz seen before with the same size is unchanged', () => {
  const gz = id({ ino: '300', whole: true, size: 900 });
  assert.deepEqual(decide(gz, '/var/log/auth.log.2.gz', [], [row()]), { kind: 'copy', from: row(), offset: 4000, lines: 40 });
  assert.equal(decide(gz, '/var/log/auth.log.2.gz', [row({ ino: '300', whole: 1, size: 900, offset: 6000 })], []).kind, 'unchanged');
});

test('a file with the same first line in another family is not a copy', () => {
  assert.deepEqual(decide(id({ ino: '200' }), '/var/log/nginx/access.log', [], [row()]), { kind: 'new' });
});

test('a row taken while the first line was unfinished still matches by its prefix', () => {
  const partial = HEAD.subarray(0, 10);
  assert.equal(decide(id(), '/var/log/auth.log', [row({ fingerprint: hashBytes(partial), fp_len: 10 })], []).kind, 'resume');
});
