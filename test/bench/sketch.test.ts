// Tests for the bench's sketch of a minimal auth.log scanner: it must read every line and find what it claims to
// find, or its time says nothing about what a scan must cost.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SKETCH = fileURLToPath(new URL('./sketch.js', import.meta.url));

/** Twelve failures from one address within four minutes, then one of each other kind, a CRON line and a stray line. */
function sample(): string {
  const lines: string[] = [];
  for (let k = 0; k < 12; k++) {
    const stamp = `Mar  2 00:0${Math.floor(k / 3)}:${String((k % 3) * 20).padStart(2, '0')}`; // every 20 s from 00:00:00
    lines.push(`${stamp} web-01 sshd[${100 + k}]: Failed password for root from 203.0.113.9 port ${40000 + k} ssh2`);
  }
  lines.push(
    'Mar  2 00:05:00 web-01 sshd[200]: Invalid user admin from 2001:db8::7 port 50000',
    'Mar  2 00:05:01 web-01 sshd[201]: Accepted publickey for deploy from 10.0.0.5 port 50001 ssh2: ED25519 SHA256:x',
    'Mar  2 00:05:02 web-01 sshd[202]: Connection closed by 198.51.100.7 port 50002 [preauth]',
    'Mar  2 00:05:03 web-01 sudo:   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
    'Mar  2 00:05:04 web-01 sshd[203]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.8  user=bob',
    'Mar  2 00:05:05 web-01 CRON[204]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
    'not a syslog line',
  );
  return lines.join('\n') + '\n';
}

test('sketch: reads every line, makes an event of each kind it knows, and one brute-force alert', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-sketch-'));
  try {
    const file = join(dir, 'auth.log');
    writeFileSync(file, sample());
    const out = execFileSync(process.execPath, [SKETCH, file, file], { encoding: 'utf8' });
    // twice the file: 19 lines, 18 of them syslog, and 17 events each; the second copy's failures fall in the
    // cooldown of the first alert
    assert.equal(out, '38 36 34 1\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sketch: without a file it prints its usage and exits 2', () => {
  const r = spawnSync(process.execPath, [SKETCH], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^usage: /);
});

test('sketch: a file it cannot read is one line on stderr and exit 2, no stack trace', () => {
  const r = spawnSync(process.execPath, [SKETCH, join(tmpdir(), 'audit-sketch-no-such-file.log')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^sketch: .*no-such-file\.log/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
