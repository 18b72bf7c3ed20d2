// The classic syslog file format (RFC 3164 as written by rsyslog/syslog-ng/sysklogd into auth.log, secure, messages):
// `[<PRI>]Nov 23 10:00:00 host prog[pid]: message`, or rsyslog's RFC 3339 stamp `2026-11-23T10:00:00.123+01:00`.
import { NO_FIELDS, type LineParser, type LogFormat, type ParseContext, type ParsedLine } from '../types.js';
import { readPri, splitPri } from './levels.js';
import { emptyHead, readTailAt } from './syslog-tail.js';
import { bsdStampReader } from './bsd-stamp.js';
import { isoishEnd, parseIsoish, yearResolver, type StampResult } from './time.js';


/**
 * rsyslog's high-precision stamp: RFC 3339 with a 'T' and a zone that is 'Z' or has a colon (`+01:00`). journalctl's
 * short-iso (`+0100`) is left to the journal format, so that detection can tell the two apart.
 */
function readRfc3339(line: string, i: number, out: StampResult): boolean {
  const end = isoishEnd(line, i);
  if (end < 0 || line.charCodeAt(i + 10) !== 84 || line.charCodeAt(end) !== 32) return false;
  const z = line.charCodeAt(end - 1);
  if (z !== 90 && line.charCodeAt(end - 3) !== 58) return false; // 'Z' or `+hh:mm`
  if (z !== 90 && line.charCodeAt(end - 6) !== 43 && line.charCodeAt(end - 6) !== 45) return false;
  const time = parseIsoish(line, i, end);
  if (time === null) return false;
  out.time = time;
  out.end = end;
  return true;
}

function createParser(ctx: ParseContext): LineParser {
  const readBsd = bsdStampReader(yearResolver(ctx.reference), false);
  const stamp: StampResult = { time: 0, end: 0 };
  const tail = emptyHead();
  return (line: string): ParsedLine | null => {
    let i = 0;
    let pri = -1;
    let c = line.charCodeAt(0); // read once: each charCodeAt of a sliced line costs ~50 instructions
    if (c === 60) {
      pri = readPri(line);
      if (pri < 0) return null;
      i = line.indexOf('>') + 1;
      c = line.charCodeAt(i);
    }
    const ok = c >= 48 && c <= 57 ? readRfc3339(line, i, stamp) : readBsd(line, i, stamp);
    if (!ok || line.charCodeAt(stamp.end) !== 32) return null;
    const at = readTailAt(line, stamp.end + 1, tail);
    const info = pri < 0 ? null : splitPri(pri);
    return {
      time: stamp.time,
      host: tail.host,
      program: tail.program,
      pid: tail.pid,
      level: info === null ? null : info.level,
      message: line.slice(at),
      fields: info === null ? NO_FIELDS : info.fields,
    };
  };
}

/** Cheap: a month abbreviation or a digit where the stamp starts (after an optional `<PRI>`). */
function probe(line: string): boolean {
  let i = 0;
  if (line.charCodeAt(0) === 60) {
    i = line.indexOf('>');
    if (i < 2 || i > 4) return false;
    i++;
  }
  const c = line.charCodeAt(i);
  if (c >= 48 && c <= 57) return line.charCodeAt(i + 4) === 45 && line.charCodeAt(i + 10) === 84;
  return c >= 65 && c <= 83 && line.charCodeAt(i + 3) === 32 && line.charCodeAt(i + 6) >= 32 && line.length > 16;
}

export const syslog3164: LogFormat = {
  name: 'syslog',
  description: 'syslog files (RFC 3164): auth.log, secure, messages, syslog; BSD or RFC 3339 stamps, optional <PRI>',
  probe,
  createParser,
  samples: [
    'Nov 23 10:00:00 web1 sshd[4120]: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2',
    'Nov  3 09:14:07 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
    'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ',
    'Nov 23 10:00:02 web1 kernel: [12345.678901] Out of memory: Killed process 2211 (java) total-vm:4194304kB',
    'Nov 23 10:00:03 web1 postfix/smtpd[881]: warning: unknown[198.51.100.7]: SASL LOGIN authentication failed: UGFzc3dvcmQ6',
    'Nov 23 10:00:04 web1 last message repeated 3 times',
    '2026-11-23T10:00:00.123456+01:00 web1 sshd[4121]: Accepted publickey for deploy from 2001:db8::7 port 40022 ssh2',
    '<38>Nov 23 10:00:05 203.0.113.1 dropbear[77]: Bad password attempt for \'root\' from 198.51.100.23:4122',
  ],
};
