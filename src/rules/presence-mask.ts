// The function that reads, for the program index, which gate fields a record's fields object has and which `where`
// value conditions it meets, as one bit mask: built once per rule list from the names, with each name a constant key.
import type { LogRecord } from '../types.js';
import type { WhereCondition } from './compile.js';

/**
 * The bit mask of the names a fields object has (bit i: `names[i]` is not undefined there), then of the conditions
 * it meets (bit names.length + k: the value of `conditions[k].field` is one of its values, as the matcher's `where`
 * check reads it), as a function built with each name as a constant key: each read then has its own inline cache,
 * which sees the few shapes the fields of one format take. A loop reading `fields[names[i]]` is one megamorphic
 * read for all names: 11 gate names cost ~220 ns per record against ~25 (measured on access-like objects), most of
 * it for the names a record lacks. A plain read, not hasOwnProperty: an inherited name only lets a rule through that
 * its matcher then rejects. Names and values (from rule specs, possibly a user's) are written as JSON string
 * literals: they can only ever be a key and strings to compare with.
 */
export function presenceMask(names: readonly string[], conditions: readonly WhereCondition[]): (fields: LogRecord['fields']) => number {
  const lit = (s: string): string => JSON.stringify(s);
  // One read per field (`audit_type` has seven conditions): its presence bit, then the conditions on its value.
  const bits = new Map<string, number>();
  const tests = new Map<string, string[]>();
  names.forEach((name, i) => bits.set(name, (bits.get(name) ?? 0) | (1 << i)));
  conditions.forEach((c, k) => {
    const equal = c.values!.map((v) => `v === ${lit(v)}`).join(' || ');
    const t = tests.get(c.field) ?? (tests.set(c.field, []).get(c.field)!);
    t.push(`if (${equal}) m |= ${1 << (names.length + k)};`);
    if (!bits.has(c.field)) bits.set(c.field, 0);
  });
  // A field's conditions are a function of their own, called when the field is there: V8 inlines a record's whole
  // path into one function within a budget of bytecode, and the compares for fields an access record never has
  // (auditd's `audit_type`, seven of them) spent that budget for nothing.
  const helpers = [...tests.values()].map((t, i) => `const c${i} = (v) => { let m = 0; ${t.join(' ')} return m; };`);
  const helperOf = new Map([...tests.keys()].map((field, i) => [field, `c${i}`]));
  const reads = [...bits].map(([field, b]) => {
    const helper = helperOf.get(field);
    return `{ const v = f[${lit(field)}]; if (v !== undefined) m |= ${helper === undefined ? b : `${b} | ${helper}(v)`}; }`;
  });
  try {
    const make = new Function(`${helpers.join('\n')}\nreturn (f) => {\nlet m = 0;\n${reads.join('\n')}\nreturn m;\n};`) as () => (fields: LogRecord['fields']) => number;
    return make();
  } catch {
    // Code generation refused (node --disallow-code-generation-from-strings): the same answers, read in a loop.
    return (f) => {
      let m = 0;
      for (let i = 0; i < names.length; i++) if (f[names[i]!] !== undefined) m |= 1 << i;
      for (let k = 0; k < conditions.length; k++) {
        const c = conditions[k]!;
        if (c.values!.includes(f[c.field] as string)) m |= 1 << (names.length + k);
      }
      return m;
    };
  }
}

/** What judgeMask asks: a field memo (value-memo.ts ValueMemo), given the field's value read by the caller. */
export interface Judge {
  nothingMatchesIn(fields: LogRecord['fields'], value: unknown): boolean;
  /** The same answer, for a judge that keeps values (ValueMemo.active), and for one that does not. */
  nothingKeptIn(fields: LogRecord['fields'], value: unknown): boolean;
  nothingQuickIn(value: unknown): boolean;
}

/**
 * The bits (1 << (shift + i)) of the judges that say no rule they answer for matches the record: judge i is asked
 * about the value of `names[i]`, read with a constant key as in presenceMask (the memo's own `fields[name]` read is
 * shared by every field: ~140 instructions a read, against ~10).
 */
export function judgeMask(names: readonly string[], shift: number, keeps: readonly boolean[]): (fields: LogRecord['fields'], judges: readonly Judge[]) => number {
  // Each judge asked by its kind (keeps[i]), which its caller knows when it makes the mask: a call site then holds one
  // kind's path, not both.
  const asks = names.map((name, i) => {
    const v = `f[${JSON.stringify(name)}]`;
    return `if (${keeps[i] === true ? `j[${i}].nothingKeptIn(f, ${v})` : `j[${i}].nothingQuickIn(${v})`}) m |= ${1 << (shift + i)};`;
  });
  try {
    return new Function('f', 'j', `let m = 0;\n${asks.join('\n')}\nreturn m;`) as (fields: LogRecord['fields'], judges: readonly Judge[]) => number;
  } catch {
    return (f, j) => {
      let m = 0;
      for (let i = 0; i < names.length; i++) if (j[i]!.nothingMatchesIn(f, f[names[i]!])) m |= 1 << (shift + i);
      return m;
    };
  }
}
