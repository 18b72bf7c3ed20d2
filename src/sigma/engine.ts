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
  const kindOf = (kind: RecordKind): { list: Item[]; needs: NeedScans } => {
    const own = rules.filter((rule) => rule.gate.kind === kind);
    const list = own.map((rule) => ({
      rule,
      stand: standIn(rule),
      info: sigmaInfoOf(rule),
    }));
    return { list, needs: new NeedScans(own) };
  };
  const byKind = { web: kindOf('web'), auditd: kindOf('auditd'), syslog: kindOf('syslog') };
  const build = createEventBuilder();
  return (record: LogRecord, emit: (e: SecurityEvent) => void) => {
    const kind = recordKind(record);
    const { list, needs } = byKind[kind];
    if (list.length === 0) return;
    let view: FieldView | null = null;
    for (let i = 0; i < list.length; i++) {
      const x = list[i]!;
      const programs = x.rule.gate.programs;
      if (programs !== null && (record.program === null || !programs.has(record.program))) continue;
      if (view === null) {
        view = new FieldView(record, kind);
        needs.scan(view);
      }
      if (!needs.holds(i)) continue;
      if (!x.rule.match(view)) continue;
      emit({ ...build(record, x.stand, undefined), sigma: x.info });
    }
  };
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
 * holds. A rule runs when every one of its clauses is marked. Marks are record numbers, never cleared.
 */
class NeedScans {
  private readonly fields: string[] = [];
  private readonly scans: LiteralScan[] = [];
  /** Rule i's clauses are the slots first[i] to first[i + 1] - 1. */
  private readonly first: Int32Array;
  private readonly marked: Int32Array;
  private no = 0;

  constructor(rules: readonly SigmaRule[]) {
    const byField = new Map<string, Marked[]>();
    this.first = new Int32Array(rules.length + 1);
    let slot = 0;
    rules.forEach((rule, i) => {
      this.first[i] = slot;
      for (const clause of rule.need) {
        for (const t of clause) {
          let list = byField.get(t.field);
          if (list === undefined) byField.set(t.field, (list = []));
          list.push({ rule: { literals: [t.text] }, slot });
        }
        slot++;
      }
    });
    this.first[rules.length] = slot;
    for (const [field, marked] of byField) {
      this.fields.push(field);
      this.scans.push(new LiteralScan(marked));
    }
    this.marked = new Int32Array(slot);
  }

  /** A new record: marks the clauses whose texts its view holds. */
  scan(view: FieldView): void {
    if (++this.no === NONE) {
      this.marked.fill(0);
      this.no = 1;
    }
    for (let f = 0; f < this.fields.length; f++) {
      const v = view.lower(this.fields[f]!);
      if (v !== undefined) this.scans[f]!.mark(v, this.marked, this.no);
    }
  }

  /** Whether the record scanned last holds every clause rule `i` needs (a rule without any: always). */
  holds(i: number): boolean {
    for (let s = this.first[i]!, end = this.first[i + 1]!; s < end; s++) if (this.marked[s] !== this.no) return false;
    return true;
  }
}
