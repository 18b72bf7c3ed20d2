// journalctl's text outputs: `short` (as syslog), `short-precise` (`Nov 23 10:00:00.123456`), `short-iso`
// (`2026-11-23T10:00:00+0100`, also -precise), `short-full` (`Mon 2026-11-23 10:00:00 CET`), `short-unix`
// (`1700733600.123456`), and its `-- Boot ... --` markers, which are SKIP.
import { NO_FIELDS, SKIP, type LineParser, type LogFormat, type ParseContext, type ParsedLine } from '../types.js';
import { emptyTail, readTail } from './syslog-tail.js';
import { bsdStampReader, type BsdStampReader } from './bsd-stamp.js';
import { digits, digitsEnd, fractionMs, isoishEnd, localTime, parseIsoish, yearResolver, zonedTime, type StampResult } from './time.js';


/** `-- Logs begin at ... --`, `-- Journal begins at ...`, `-- Boot 0123abcd... --`, `-- No entries --`, `-- Reboot --`. */
function isMarker(line: string): boolean {
  return line.startsWith('-- ') && (line.endsWith(' --') || line.startsWith('-- Journal begins') || line.startsWith('-- Logs begin'));
}

/** `Mon 2026-11-23 10:00:00 CET`: the zone is an abbreviation (local, unless UTC/GMT) or a numeric `+03`/`+0530`. */
function readFull(line: string, out: StampResult): boolean {
  if (line.charCodeAt(3) !== 32 || line.charCodeAt(14) !== 32) return false;
  const end = isoishEnd(line, 4);
  if (end !== 23 || line.charCodeAt(23) !== 32) return false;
  const y = digits(line, 4, 4);
  const mo = digits(line, 9, 2);
  const d = digits(line, 12, 2);
  const h = digits(line, 15, 2);
  const mi = digits(line, 18, 2);
  const s = digits(line, 21, 2);
  if (parseIsoish(line, 4, 23) === null) return false; // validates the date and clock
  const zEnd = line.indexOf(' ', 24);
  if (zEnd < 0) return false;
  const z = line.charCodeAt(24);
  if (z === 43 || z === 45) {
    const hh = digits(line, 25, 2);
    const mm = zEnd - 25 === 4 ? digits(line, 27, 2) : 0;
    if (hh < 0 || mm < 0 || (zEnd - 25 !== 2 && zEnd - 25 !== 4)) return false;
    out.time = zonedTime(y, mo, d, h, mi, s, 0, (z === 45 ? -1 : 1) * (hh * 60 + mm));
  } else if (line.startsWith('UTC ', 24) || line.startsWith('GMT ', 24)) {
    out.time = zonedTime(y, mo, d, h, mi, s, 0, 0);
  } else {
    out.time = localTime(y, mo, d, h, mi, s, 0); // an abbreviation journalctl printed for this box's zone
  }
  out.end = zEnd;
  return true;
}

/** `1700733600.123456`: seconds since the epoch with microseconds (short-unix). */
function readUnix(line: string, out: StampResult): boolean {
  const se = digitsEnd(line, 0);
  if (se < 9 || se > 11 || line.charCodeAt(se) !== 46) return false;
  const fe = digitsEnd(line, se + 1);
  if (fe === se + 1) return false;
  out.time = Number(line.slice(0, se)) * 1000 + fractionMs(line, se + 1, fe);
  out.end = fe;
  return true;
}

/** `2026-11-23T10:00:00+0100` (short-iso) or with fraction digits (short-iso-precise). */
function readIso(line: string, out: StampResult): boolean {
  const end = isoishEnd(line, 0);
  if (end < 0 || line.charCodeAt(10) !== 84) return false;
  const time = parseIsoish(line, 0, end);
  if (time === null) return false;
  out.time = time;
  out.end = end;
  return true;
}

function readStamp(line: string, readBsd: BsdStampReader, out: StampResult): boolean {
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57) return line.charCodeAt(4) === 45 ? readIso(line, out) : readUnix(line, out);
  if (line.charCodeAt(3) === 32 && line.charCodeAt(8) === 45) return readFull(line, out);
  return readBsd(line, 0, out);
}

function createParser(ctx: ParseContext): LineParser {
  const readBsd = bsdStampReader(yearResolver(ctx.reference), true);
  const stamp: StampResult = { time: 0, end: 0 };
  const tail = emptyTail();
  return (line: string): ParsedLine | null | typeof SKIP => {
    if (line.charCodeAt(0) === 45) return isMarker(line) ? SKIP : null;
    if (!readStamp(line, readBsd, stamp) || line.charCodeAt(stamp.end) !== 32) return null;
    readTail(line, stamp.end + 1, tail);
    return { time: stamp.time, host: tail.host, program: tail.program, pid: tail.pid, level: null, message: tail.message, fields: NO_FIELDS };
  };
}

/** Cheap: a marker, a digit, or a capital letter followed by two letters and a space (month or weekday). */
function probe(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 45) return line.charCodeAt(1) === 45 && line.charCodeAt(2) === 32;
  if (c >= 48 && c <= 57) return line.charCodeAt(4) === 45 || line.charCodeAt(10) === 46;
  return c >= 65 && c <= 90 && line.charCodeAt(3) === 32;
}

export const journalShort: LogFormat = {
  name: 'journal',
  description: 'journalctl text output: short, short-precise, short-iso, short-full, short-unix; `-- Boot --` markers skipped',
  probe,
  createParser,
  samples: [
    '-- Logs begin at Mon 2026-11-16 08:00:01 UTC, end at Mon 2026-11-23 10:15:02 UTC. --',
    '-- Boot 5c0b1d3a9e2f4e47b6e8f0a1c2d3e4f5 --',
    'Nov 23 10:00:00 web1 sshd[4120]: Failed password for root from 203.0.113.9 port 52144 ssh2',
    'Nov 23 10:00:00.123456 web1 sshd[4120]: Connection closed by authenticating user root 203.0.113.9 port 52144 [preauth]',
    '2026-11-23T10:00:01+0100 web1 systemd[1]: Started session-42.scope - Session 42 of User alice.',
    '2026-11-23T10:00:01.654321+0100 web1 sudo[5120]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash',
    'Mon 2026-11-23 10:00:02 UTC web1 systemd-logind[610]: New session 42 of user alice.',
    '1795428003.000123 web1 kernel: Out of memory: Killed process 2211 (java) total-vm:4194304kB',
    '-- No entries --',
  ],
};
