// Helpers for the system-format tests: fixture lines as the sources deliver them, records through the stage, ISO times.
import { readFileSync } from 'node:fs';
import { createRecordStage } from '../../src/formats/stage.js';
import type { LineOutcome, LogFormat, LogRecord, ParseContext, ParsedLine } from '../../src/types.js';
import { fixture } from '../helpers/paths.js';

/** The reference every system-format test uses: the file's "mtime". */
export const REFERENCE = new Date('2026-11-26T12:00:00Z');
export const CTX: ParseContext = { reference: REFERENCE };

/** Lines of a fixture as readLines delivers them: UTF-8 with U+FFFD for bad bytes, one trailing '\r' removed. */
export function fixtureLines(...parts: string[]): string[] {
  const text = new TextDecoder().decode(readFileSync(fixture(...parts)));
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A parsed line with its time as ISO text, for deepEqual against hand-written expectations. */
export function view(p: ParsedLine | null | 'skip'): unknown {
  if (p === null || p === 'skip') return p;
  return { ...p, time: iso(p.time), fields: { ...p.fields } };
}

/** Parses every line with one fresh parser of `format`. */
export function parseAll(format: LogFormat, lines: readonly string[], ctx: ParseContext = CTX): unknown[] {
  const parse = format.createParser(ctx);
  return lines.map((l) => view(parse(l)));
}

export interface Delivered {
  records: LogRecord[];
  outcomes: LineOutcome[];
  format: string | null;
  reason: string;
}

/** Runs lines through a record stage and collects what it delivers. */
export function runStage(lines: readonly (string | [string, boolean])[], opts: { forced?: LogFormat | null; detectLines?: number; formats?: readonly LogFormat[]; file?: string } = {}): Delivered {
  const records: LogRecord[] = [];
  const outcomes: LineOutcome[] = [];
  const stage = createRecordStage({
    file: opts.file ?? 'test.log',
    ctx: CTX,
    forced: opts.forced ?? null,
    onRecord: (r, o) => {
      records.push(r);
      outcomes.push(o);
    },
    ...(opts.detectLines === undefined ? {} : { detectLines: opts.detectLines }),
    ...(opts.formats === undefined ? {} : { formats: opts.formats }),
  });
  for (const l of lines) {
    if (typeof l === 'string') stage.line(l, false);
    else stage.line(l[0], l[1]);
  }
  stage.end();
  return { records, outcomes, format: stage.format, reason: stage.reason };
}
