// A generated pair of logs whose times interleave (with ties), for comparing a parallel scan with a single-threaded
// one: an auth.log with logins, garbage and blank lines, CRLF endings and over-long lines, and an access log with
// 404 bursts (the web_scan detector reads those records) and SQL injection. The line counts are known by construction.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';

export interface Pair {
  dir: string;
  auth: string;
  access: string;
  /** What each file holds, counted while writing it. */
  counts: Record<'auth' | 'access', { lines: number; unparsed: number; skipped: number; truncated: number }>;
}

/** --max-line-bytes to scan the pair with: the long lines of auth.log are longer. */
export const MAX_LINE_BYTES = 4096;

const two = (n: number): string => String(n).padStart(2, '0');

/** `Nov 24 10:00:00` plus `s` seconds (within the day). */
function bsd(s: number): string {
  return `Nov 24 ${two(10 + Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

function clf(s: number): string {
  return `24/Nov/2026:${two(10 + Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)} +0000`;
}

function authLine(i: number, counts: Pair['counts']['auth']): string {
  const at = `${bsd(Math.floor(i / 3))} web1 sshd[${1000 + (i % 50)}]: `;
  switch (i % 5) {
    case 0: return `${at}Failed password for root from 203.0.113.${i % 40} port ${40000 + (i % 1000)} ssh2`;
    case 1: return `${at}Accepted publickey for deploy from 198.51.100.${i % 7} port ${50000 + (i % 999)} ssh2\r`;
    case 2: return `${at}Invalid user admin${i % 13} from 2001:db8::${(i % 90).toString(16)} port 22`;
    case 3:
      if (i % 997 === 3) {
        counts.truncated++;
        return `${at}Connection closed by 192.0.2.1 port 22 ${'x'.repeat(MAX_LINE_BYTES + 100)}`;
      }
      return `${at}Connection closed by 192.0.2.${i % 200} port 22 [preauth]`;
    default:
      if (i % 10 === 4) {
        counts.unparsed++;
        return `garbage without a time ${i}`; // sorts with the line before it
      }
      counts.skipped++;
      return '';
  }
}

function accessLine(j: number, counts: Pair['counts']['access']): string {
  if (j % 101 === 100) {
    counts.unparsed++;
    return `not a request ${j}`;
  }
  const at = `[${clf(Math.floor(j / 2))}]`;
  switch (j % 6) {
    case 0: return `203.0.113.200 - - ${at} "GET /wp-admin/x${j}.php HTTP/1.1" 404 153 "-" "Mozilla/5.0 zgrab/0.x"`;
    case 1: return `198.51.100.20 - - ${at} "GET /item.php?id=1%27%20OR%201=1-- HTTP/1.1" 200 512 "-" "curl/8.5.0"`;
    case 2: return `2001:db8::7 - - ${at} "GET /missing/${j % 17} HTTP/1.1" 404 120 "-" "Mozilla/5.0"`;
    default: return `198.51.100.${j % 30} - - ${at} "GET /static/app.${j % 3}.css HTTP/2.0" 200 18211 "https://shop.example.com/" "Mozilla/5.0"`;
  }
}

/** Writes auth.log (`authLines` lines) and access.log (`accessLines` lines) into a new temporary directory. */
export function writePair(authLines: number, accessLines: number): Pair {
  const dir = tempDir('audit-parallel-');
  const counts: Pair['counts'] = {
    auth: { lines: authLines, unparsed: 0, skipped: 0, truncated: 0 },
    access: { lines: accessLines, unparsed: 0, skipped: 0, truncated: 0 },
  };
  const auth = join(dir, 'auth.log');
  const access = join(dir, 'access.log');
  writeFileSync(auth, Array.from({ length: authLines }, (_, i) => authLine(i, counts.auth) + '\n').join(''));
  writeFileSync(access, Array.from({ length: accessLines }, (_, j) => accessLine(j, counts.access) + '\n').join(''));
  return { dir, auth, access, counts };
}

/**
 * Writes a syslog file with Python tracebacks in it (3,000 sshd lines; every seventh followed by an application
 * line, its traceback and a continuation line): cut into blocks, a block that starts inside a traceback needs the
 * parser state of the block before, so it is read again (block-lane.ts).
 */
export function writeTracebackLog(path: string): void {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const t = `10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    lines.push(`Nov 24 ${t} web1 sshd[${i}]: Failed password for admin from 198.51.100.${i % 5} port 22 ssh2`);
    if (i % 7 === 6) {
      lines.push(`2026-11-24 ${t},123 ERROR app.auth: login failed for user=bob${i % 4} ip=198.51.100.${i % 5}`);
      lines.push('Traceback (most recent call last):', '  File "app.py", line 4, in login', '    raise ValueError(user)', 'ValueError: bob');
      lines.push(`    continued detail ${i}`);
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
}
