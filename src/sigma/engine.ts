// Runs Sigma rules on records: the logsource gate (record kind, program) first, then the rule's closure over one
// shared FieldView per record. A match is a `sigma.match` event carrying the rule's id, title, level and tags.
import type { CompiledRule } from '../rules/compile.js';
import type { Engine } from '../rules/engine.js';
import { createEventBuilder } from '../rules/event.js';
import type { LogRecord, SecurityEvent } from '../types.js';
import type { SigmaRule } from './compile.js';
import { FieldView, recordKind } from './fields.js';

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
  const items = rules.map((rule) => ({
    rule,
    stand: standIn(rule),
    info: Object.freeze({ id: rule.id, title: rule.title, level: rule.level, tags: Object.freeze([...rule.tags]) }),
  }));
  const byKind = {
    web: items.filter((x) => x.rule.gate.kind === 'web'),
    auditd: items.filter((x) => x.rule.gate.kind === 'auditd'),
    syslog: items.filter((x) => x.rule.gate.kind === 'syslog'),
  };
  const build = createEventBuilder();
  return (record: LogRecord, emit: (e: SecurityEvent) => void) => {
    const kind = recordKind(record);
    const list = byKind[kind];
    if (list.length === 0) return;
    let view: FieldView | null = null;
    for (const x of list) {
      const programs = x.rule.gate.programs;
      if (programs !== null && (record.program === null || !programs.has(record.program))) continue;
      view ??= new FieldView(record, kind);
      if (!x.rule.match(view)) continue;
      emit({ ...build(record, x.stand, undefined), sigma: x.info });
    }
  };
}
