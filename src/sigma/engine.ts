// Runs Sigma rules on records: the logsource gate (record kind, program) first, then the text the rule needs
// (needs.ts: one scan per field finds it for every rule), then the rule's closure over one shared FieldView per
// record. A match is a `sigma.match` event carrying the rule's id, title, level and tags.
import type { CompiledRule } from '../rules/compile.js';
import type { Engine } from '../rules/engine.js';
import { createEventBuilder } from '../rules/event.js';
import { LiteralScan, type Marked } from '../rules/literal-scan.js';
import type { LogRecord, SecurityEvent, SigmaInfo } from '../types.js';
import type { SigmaRule } from './compile.js';
import { FieldView, recordKind, type RecordKind } from './fields.js';

/**
 * The event builder takes a CompiledRule: each Sigma rule gets a stand-in that says only what an event needs
 * (type, severity, outcome, id, where ip/user/port come from). fromMessage: syslog lines name addresses and
 * users only in their text.
 */
function standIn(rule: SigmaRule): CompiledRule {
  return {
    id: `sigma:${rule.id}`, family: 'sigma', description: rule.title, type: 'sigma.match', severity: rule.severity,
    outcome: 'unknown', formats: null, programs: null, levels: null, where: [], fields: ['message'], decode: null,
    literals: [], regex: null, prefix: '', take: { ip: 'ip', port: 'port', user: 'user', phone: 'phone' },
    fromMessage: rule.gate.kind === 'syslog', gate: [], programText: false, mode: 'additive',
    spec: { id: `sigma:${rule.id}`, family: 'sigma', description: rule.title, type: 'sigma.match', outcome: 'unknown', examples: { match: [] } },
  };
}

export function createSigmaEngine(rules: readonly SigmaRule[]): Engine {
  // Per kind of record: its rules, and the scans of the texts they need (a web record is never scanned for what
  // the syslog rules' keywords need).
  const kindOf = (kind: RecordKind): Kind => {
    const own = rules.filter((rule) => rule.gate.kind === kind);
    const programs = new Set<string>();
    for (const rule of own) for (const p of rule.gate.programs ?? []) programs.add(p);
    return {
      list: own.map((rule) => ({ rule, stand: standIn(rule), info: sigmaInfoOf(rule) })),
      needs: new NeedScans(own),
      // a record of another program meets no rule: not even scanned
      programs: own.some((rule) => rule.gate.programs === null) ? null : programs,
    };
  };
  const byKind = { web: kindOf('web'), auditd: kindOf('auditd'), syslog: kindOf('syslog') };
  const build = createEventBuilder();
  return (record: LogRecord, emit: (e: SecurityEvent) => void) => {
    const kind = recordKind(record);
    const { list, needs, programs } = byKind[kind];
    if (list.length === 0 || (programs !== null && (record.program === null || !programs.has(record.program)))) return;
    const view = new FieldView(record, kind);
    const run = needs.candidates(view);
    for (let k = 0; k < run.length; k++) {
      const x = list[run[k]!]!;
      const gate = x.rule.gate.programs;
      if (gate !== null && (record.program === null || !gate.has(record.program))) continue;
      if (!x.rule.match(view)) continue;
      emit({ ...build(record, x.stand, undefined), sigma: x.info });
    }
  };
}

interface Kind {
  list: Item[];
  needs: NeedScans;
  /** Every program one of the rules is for; null when one of them is for any program. */
  programs: ReadonlySet<string> | null;
}

/** What a match of the rule carries (the event's `sigma` key): the same object for all its events. */
export function sigmaInfoOf(rule: SigmaRule): Readonly<SigmaInfo> {
  return Object.freeze({ id: rule.id, title: rule.title, level: rule.level, tags: Object.freeze([...rule.tags]) });
}

interface Item {
  readonly rule: SigmaRule;
  readonly stand: CompiledRule;
  readonly info: Readonly<SigmaInfo>;
}

const NONE = 0x7fffffff;

/**
 * The texts the rules of one kind need, by field: one literal scan per field (rules/literal-scan.ts, the built-in
 * rules' prefilter) over a record's lowercased value, marking each clause (needs.ts) one of whose texts the value
 * holds. A rule runs when every one of its clauses is marked, or when it has none. Marks are record numbers, never
 * cleared; the rules a record runs are found from the clauses marked (most records mark few or none), not by asking
 * every rule.
 */
class NeedScans {
  private readonly fields: string[] = [];
  private readonly scans: LiteralScan[] = [];
  /** Rule i's clauses are the slots first[i] to first[i + 1] - 1. */
  private readonly first: Int32Array;
  /** Clause slot -> its rule. */
  private readonly ruleOf: Int32Array;
  /** The rules with no clause: they run on every record of their kind. */
  private readonly always: number[] = [];
  private readonly marked: Int32Array;
  /** Per rule: the record its clauses were last looked at. */
  private readonly looked: Int32Array;
  private no = 0;
  // per record, reused
  private readonly found: number[] = [];
  private readonly run: number[] = [];

  constructor(rules: readonly SigmaRule[]) {
    const byField = new Map<string, Marked[]>();
    const ruleOf: number[] = [];
    this.first = new Int32Array(rules.length + 1);
    rules.forEach((rule, i) => {
      this.first[i] = ruleOf.length;
      if (rule.need.length === 0) this.always.push(i);
      for (const clause of rule.need) {
        for (const t of clause) {
          let list = byField.get(t.field);
          if (list === undefined) byField.set(t.field, (list = []));
          list.push({ rule: { literals: [t.text] }, slot: ruleOf.length });
        }
        ruleOf.push(i);
      }
    });
    this.first[rules.length] = ruleOf.length;
    this.ruleOf = Int32Array.from(ruleOf);
    for (const [field, marked] of byField) {
      this.fields.push(field);
      this.scans.push(new LiteralScan(marked));
    }
    this.marked = new Int32Array(ruleOf.length);
    this.looked = new Int32Array(rules.length);
  }

  /** The rules the record may match, in rule order: those with no clause, and those whose every clause it holds. */
  candidates(view: FieldView): readonly number[] {
    if (++this.no === NONE) {
      this.marked.fill(0);
      this.looked.fill(0);
      this.no = 1;
    }
    const { found, run, no } = this;
    found.length = 0;
    for (let f = 0; f < this.fields.length; f++) {
      const v = view.lower(this.fields[f]!);
      if (v !== undefined) this.scans[f]!.collect(v, this.marked, no, found);
    }
    run.length = 0;
    for (let k = 0; k < this.always.length; k++) run.push(this.always[k]!);
    for (let k = 0; k < found.length; k++) {
      const i = this.ruleOf[found[k]!]!;
      if (this.looked[i] === no) continue;
      this.looked[i] = no;
      if (this.holds(i)) run.push(i);
    }
    if (run.length > 1 && found.length > 0) run.sort(byNumber);
    return run;
  }

  private holds(i: number): boolean {
    for (let s = this.first[i]!, end = this.first[i + 1]!; s < end; s++) if (this.marked[s] !== this.no) return false;
    return true;
  }
}

function byNumber(a: number, b: number): number {
  return a - b;
}
