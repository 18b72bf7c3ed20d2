// RFC 5424 syslog: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD-ID k="v" ...] MSG`, '-' for nil values, structured data
// params kept as fields `sd.<id>.<param>`, a UTF-8 BOM before MSG dropped.
import type { LineParser, LogFormat, ParsedLine, Severity } from '../types.js';
import { readPri, splitPri } from './levels.js';
import { internHost, internProgram, parsePid } from './syslog-tail.js';
import { isoishEnd, parseIsoish } from './time.js';

const MAX_SD_PARAMS = 64; // an attacker-written SD block cannot grow a record without bound

interface Header {
  pos: number; // where the next token starts
}

/** The token at h.pos up to the next space (or null for the nil value '-'); advances past the space. */
function token(line: string, h: Header, intern: (t: string, a: number, b: number) => string): string | null | undefined {
  const a = h.pos;
  const b = line.indexOf(' ', a);
  if (b <= a) return undefined; // missing or empty token: not RFC 5424
  h.pos = b + 1;
  if (b === a + 1 && line.charCodeAt(a) === 45) return null;
  return intern(line, a, b);
}

const sliceOf = (t: string, a: number, b: number): string => t.slice(a, b);

/**
 * Structured data at `i`: one or more `[id name="value" ...]`; values may contain `\"`, `\\` and `\]`. Fills
 * `fields` and returns the index after the last ']', or -1 when malformed.
 */
function readSd(line: string, i: number, fields: Record<string, string>): number {
  let count = 0;
  while (line.charCodeAt(i) === 91) {
    const idEnd = nameEnd(line, i + 1);
    if (idEnd === i + 1) return -1;
    const id = line.slice(i + 1, idEnd);
    i = idEnd;
    while (line.charCodeAt(i) === 32) {
      const ne = nameEnd(line, i + 1);
      if (ne === i + 1 || line.charCodeAt(ne) !== 61 || line.charCodeAt(ne + 1) !== 34) return -1; // `name="`
      const value = readQuoted(line, ne + 2);
      if (value === null) return -1;
      if (count++ < MAX_SD_PARAMS) fields[`sd.${id}.${line.slice(i + 1, ne)}`] = value.text;
      i = value.end;
    }
    if (line.charCodeAt(i) !== 93) return -1;
    i++;
  }
  return i;
}

/** SD-NAME: printable ASCII except space, '=', ']', '"'. */
function nameEnd(line: string, i: number): number {
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c <= 32 || c > 126 || c === 61 || c === 93 || c === 34) break;
    i++;
  }
  return i;
}

/** A PARAM-VALUE starting after its opening quote; unescapes `\"`, `\\`, `\]`. */
function readQuoted(line: string, i: number): { text: string; end: number } | null {
  let out = '';
  let from = i;
  for (let j = i; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 92) {
      const n = line.charCodeAt(j + 1);
      if (n === 34 || n === 92 || n === 93) {
        out += line.slice(from, j);
        from = j + 1;
        j++;
      }
    } else if (c === 34) {
      return { text: out + line.slice(from, j), end: j + 1 };
    }
  }
  return null;
}

function parse(line: string): ParsedLine | null {
  let pos = 0;
  let info = null;
  if (line.charCodeAt(0) === 60) {
    const pri = readPri(line);
    if (pri < 0) return null;
    info = splitPri(pri);
    pos = line.indexOf('>') + 1;
  }
  if (line.charCodeAt(pos) !== 49 || line.charCodeAt(pos + 1) !== 32) return null; // VERSION 1
  const h: Header = { pos: pos + 2 };
  let time: number | null = null;
  if (line.charCodeAt(h.pos) === 45 && line.charCodeAt(h.pos + 1) === 32) h.pos += 2;
  else {
    const end = isoishEnd(line, h.pos);
    if (end < 0 || line.charCodeAt(end) !== 32) return null;
    time = parseIsoish(line, h.pos, end);
    if (time === null) return null;
    h.pos = end + 1;
  }
  const host = token(line, h, internHost);
  const program = token(line, h, internProgram);
  const procid = token(line, h, sliceOf);
  const msgEnd = line.indexOf(' ', h.pos);
  const msgid = msgEnd < 0 ? line.slice(h.pos) : line.slice(h.pos, msgEnd);
  if (host === undefined || program === undefined || procid === undefined || msgid.length === 0) return null;
  const fields: Record<string, string> = {};
  if (info !== null) {
    fields.facility = info.facility;
    fields.priority = info.priority;
  }
  if (msgid !== '-') fields.msgid = msgid;
  const pid = procid === null ? null : parsePid(procid);
  if (procid !== null && pid === null) fields.procid = procid;
  const message = readBody(line, msgEnd < 0 ? line.length : msgEnd + 1, fields);
  if (message === null) return null;
  const level: Severity | null = info === null ? null : info.level;
  return { time, host, program, pid, level, message, fields };
}

/** `STRUCTURED-DATA [SP MSG]` at `i`: fills the SD params into `fields`, returns MSG without its BOM (null: malformed). */
function readBody(line: string, i: number, fields: Record<string, string>): string | null {
  if (line.charCodeAt(i) === 45) i++;
  else if (i < line.length) {
    i = readSd(line, i, fields);
    if (i < 0) return null;
  }
  if (i < line.length && line.charCodeAt(i) !== 32) return null;
  if (line.charCodeAt(i + 1) === 0xfeff) i++;
  return i + 1 < line.length ? line.slice(i + 1) : '';
}

function createParser(): LineParser {
  return parse;
}

/** Cheap: `<PRI>1 ` at the start (or a bare `1 ` before a stamp, as some relays write). */
function probe(line: string): boolean {
  let i = 0;
  if (line.charCodeAt(0) === 60) {
    i = line.indexOf('>') + 1;
    if (i < 3 || i > 5) return false;
  }
  return line.charCodeAt(i) === 49 && line.charCodeAt(i + 1) === 32;
}

export const syslog5424: LogFormat = {
  name: 'syslog-5424',
  description: 'RFC 5424 syslog: <PRI>1 stamp host app procid msgid [structured data] message',
  probe,
  createParser,
  samples: [
    '<34>1 2026-11-23T10:00:00.003Z web1.example.com sshd 4120 - - Failed password for root from 203.0.113.9 port 52144 ssh2',
    '<165>1 2026-11-23T10:00:01.000+01:00 mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \ufeffAn application event log entry',
    '<86>1 2026-11-23T10:00:02+00:00 web1 sudo 5120 - [meta sequenceId="7" note="a \\"quoted\\" \\] bracket"] alice : TTY=pts/0 ; USER=root ; COMMAND=/bin/sh',
    '<13>1 - - - - - -',
  ],
};
