// Turns a rule's examples into LogRecords, so that tests (and a later `audit rules test`) can run them through an
// engine built from all the rules, in their real order: an example matches only if its own rule is the one that
// fires.
import type { LogRecord } from '../types.js';
import type { Example, RuleExample, RuleSpec } from './spec.js';

/** The example as a RuleExample (a bare string is the text of the field the rule reads first). */
export function normaliseExample(spec: RuleSpec, ex: Example): RuleExample {
  if (typeof ex !== 'string') return ex;
  const first = spec.field === undefined ? 'message' : typeof spec.field === 'string' ? spec.field : spec.field[0]!;
  return first === 'message' ? { message: ex } : { fields: { [first]: ex } };
}

/** A record as a format would give it for this example: program, format and level default from the rule. */
export function exampleRecord(spec: RuleSpec, ex: Example, line = 1): LogRecord {
  const e = normaliseExample(spec, ex);
  const program = spec.programs?.find((p): p is string => p !== null && !p.endsWith('*')) ?? null;
  return {
    file: `example:${spec.id}`,
    line,
    format: e.format !== undefined ? e.format : (spec.formats?.[0] ?? 'syslog'),
    time: Date.UTC(2026, 10, 23, 10, 0, 0),
    host: 'example-host',
    program: e.program !== undefined ? e.program : program,
    pid: 4242,
    level: e.level !== undefined ? e.level : (spec.levels?.[0] ?? null),
    message: e.message ?? '',
    fields: e.fields ?? {},
    raw: e.message ?? '',
  };
}
