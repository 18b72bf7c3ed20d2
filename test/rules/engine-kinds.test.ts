// The engine on records whose rule lists read no message (access records: field rules only): the message is then not
// looked at, and the events must be the same as when a rule of the lists reads it. Also: rules restricted to other
// formats stay out, users' rules on an access record's message still run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { createRecordStage } from '../../src/formats/stage.js';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { createEngine, type Engine } from '../../src/rules/engine.js';
import type { RuleSpec } from '../../src/rules/spec.js';
import type { LogRecord } from '../../src/types.js';
import { fixture } from '../helpers/paths.js';
import { rec } from './rec.js';

function spec(over: Partial<RuleSpec> & Pick<RuleSpec, 'id'>): RuleSpec {
  return { family: 'test', description: 'test rule', type: 'web.probe', outcome: 'unknown', examples: { match: [] }, ...over } as RuleSpec;
}

// A rule that reads the message of access records and never matches: with it, every access record's lists read the
// message (the engine's other path).
const READER = spec({ id: 'user.reads_message', formats: ['access'], pattern: 'never-in-a-request-\\u0000' });

function seen(engine: Engine, records: readonly LogRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) engine(r, (e) => out.push(`${r.line} ${e.rule} ${e.type} ${e.source.ip} ${e.message}`));
  return out;
}

function recordsOf(path: string): LogRecord[] {
  const records: LogRecord[] = [];
  const stage = createRecordStage({ file: 'access.log', ctx: { reference: new Date('2026-11-26T12:00:00Z') }, forced: null, onRecord: (r) => records.push(r) });
  for (const line of readFileSync(path, 'utf8').split('\n')) if (line !== '') stage.line(line, false);
  stage.end();
  return records;
}

describe('engine: records whose lists read no message', () => {
  test('a field rule on a `message repeated N times` record still counts it N times', () => {
    const rules = compileRules([spec({ id: 'web.x', field: 'url', pattern: '^/admin' })]);
    const reading = compileRules([spec({ id: 'web.x', field: 'url', pattern: '^/admin' }), spec({ id: 'm', pattern: 'zzz' })]);
    const record = rec({ format: 'access', message: 'message repeated 3 times: [ GET /admin HTTP/1.1 200]', fields: { url: '/admin' } });
    const count = (engine: Engine): number => {
      let n = 0;
      engine(record, () => n++);
      return n;
    };
    assert.equal(count(createEngine({ rules })), 3);
    assert.equal(count(createEngine({ rules: reading })), 3);
    assert.equal(count(createEngine({ rules })), 3, 'again, from the memo');
  });

  test('access logs give the same events whether or not a rule of the lists reads the message', () => {
    const builtin = compileRules(BUILTIN_RULES, { builtin: true });
    for (const file of [['attacks', 'access.log'], ['nginx', 'access.log'], ['apache', 'other_vhosts_access.log']]) {
      const records = recordsOf(fixture('logs', ...file));
      assert.ok(records.every((r) => r.format === 'access' && r.foreignText === true), file.join('/'));
      const plain = seen(createEngine({ rules: builtin }), records);
      const reading = seen(createEngine({ rules: [...compileRules([READER]), ...builtin] }), records);
      assert.deepEqual(plain, reading, file.join('/'));
      if (file[0] === 'attacks') assert.ok(plain.length > 10, 'the attack sample yields events');
    }
  });

  test("a user's rule on an access record's message runs; one for other formats does not", () => {
    const rules = compileRules([
      spec({ id: 'user.admin', formats: ['access'], pattern: '^POST /admin' }),
      spec({ id: 'user.syslog_only', formats: ['syslog'], pattern: 'POST' }),
    ]);
    const engine = createEngine({ rules });
    const record = rec({ format: 'access', foreignText: true, host: null, message: 'POST /admin HTTP/1.1 200', fields: { url: '/admin', method: 'POST', status: '200' } });
    assert.deepEqual(seen(engine, [record]).map((s) => s.split(' ')[1]), ['user.admin']);
    assert.deepEqual(seen(engine, [rec({ message: 'POST /admin HTTP/1.1 200' })]).map((s) => s.split(' ')[1]), ['user.syslog_only']);
  });

  test('kernel rules (formats of program text) leave access records alone, syslog records still meet them', () => {
    const engine = createEngine({ rules: compileRules(BUILTIN_RULES, { builtin: true }) });
    const panic = 'Kernel panic - not syncing: Fatal exception';
    const access = rec({ format: 'access', foreignText: true, host: null, message: `GET /${panic} HTTP/1.1 404`, fields: { url: `/${panic}`, method: 'GET', status: '404' } });
    assert.ok(!seen(engine, [access]).some((s) => s.includes('kernel.')));
    assert.ok(seen(engine, [rec({ program: 'kernel', message: panic })]).some((s) => s.includes('kernel.panic')));
  });
});
