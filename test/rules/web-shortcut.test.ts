// The program index leaves web rules out of an access record's lists when their field memos say they answer NO_MATCH
// (kept answers, QuickNos on new values, the header rules judged by the agent and the referer together). Property:
// on hostile access records that repeat their values (first, second, later sightings), the rules the lists hold
// match exactly what every rule, run on its own without memo or index, matches: no rule that would match is left out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import type { CompiledRule } from '../../src/rules/compile.js';
import { compileRules } from '../../src/rules/compile.js';
import { createEngine } from '../../src/rules/engine.js';
import { fieldGates } from '../../src/rules/field-gate.js';
import { NO_MATCH, createMatcher, type Gate, type Matcher } from '../../src/rules/matcher.js';
import type { Gated } from '../../src/rules/program-index.js';
import { gateOf, indexByProgram } from '../../src/rules/program-index.js';
import { decodeWeb } from '../../src/rules/web/decode.js';
import type { LogRecord, SecurityEvent } from '../../src/types.js';
import { rec } from './rec.js';

interface Item extends Gated {
  readonly match: Matcher;
}

const RULES: CompiledRule[] = compileRules(BUILTIN_RULES, { builtin: true });
// The rules an access record (no program, no level, a request) can meet at all.
const REFERENCE = RULES.filter((r) => !r.programText && (r.programs === null || r.programs.includes(null)));

/**
 * An index with matchers built as the engine builds them: one decode cache per record, cleared after `select` (as
 * runRules does), and each field gate answered once per record number.
 */
function engineLike(): (r: LogRecord) => string[] {
  let no = 0;
  const names: string[] = [];
  const values: string[] = [];
  const decode = (name: string, raw: string): string => {
    const i = names.indexOf(name);
    if (i >= 0) return values[i]!;
    names.push(name);
    values.push(decodeWeb(raw));
    return values[values.length - 1]!;
  };
  const stamped = new Map<RegExp, Gate>();
  const gateFor = (re: RegExp): Gate => {
    const at = [0, 0];
    return (v) => {
      if (at[0] !== no) at.splice(0, 2, no, re.test(v) ? 1 : 0);
      return at[1] === 1;
    };
  };
  const gates = fieldGates(RULES);
  const items: Item[] = RULES.map((rule, slot) => {
    const re = gates.get(rule);
    let gate: Gate | null = null;
    if (re !== undefined) stamped.set(re, (gate = stamped.get(re) ?? gateFor(re)));
    return { rule, slot, gate: gateOf(rule), match: createMatcher(rule, decode, gate) };
  });
  const index = indexByProgram(items);
  return (r) => {
    no++;
    const lists = index.select(r);
    names.length = 0;
    values.length = 0;
    const order = lists.byFirstChar.at(128);
    return [...order.slots, ...order.fallback].filter((s) => items[s]!.match(r, r.message) !== NO_MATCH).map((s) => RULES[s]!.id).sort();
  };
}

/** Every rule on its own: matchers with a decode function of their own, so their memos are new and empty. */
function reference(r: LogRecord): string[] {
  const decode = (_name: string, raw: string): string => decodeWeb(raw);
  return REFERENCE.filter((rule) => createMatcher(rule, decode)(r, r.message) !== NO_MATCH).map((rule) => rule.id).sort();
}

const URL_PIECES = [
  '/', 'products/17', '/static/app.css', '?q=', '&page=2', '%27', "'", ' or 1=1', '+OR+1%3D1', 'union select', 'UnIoN/**/SeLeCt',
  '../', '..%2f', '%252e%252e%252f', '..;/', '<script>', '%3Csvg/onload=', 'javascript:', '&#x3c;', '&lt;', '${jndi:ldap://x}',
  '%24%7Bjndi%3A', '/.env', '/wp-login.php', '/phpmyadmin', '/sms/send', '?phone=13888888888', '/register', ';id', '|whoami',
  '`', '$(', 'cmd.exe', '/etc/passwd', 'php://', '\\x27', '%00', '\u017f', '\u212a', '\u00a0', '/*', '*/', 'sleep(5)', '=',
];
const AGENT_PIECES = [
  'Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5)', 'sqlmap/1.7.2', 'Nikto', 'nuclei', '() { :; };',
  '${jndi:ldap://a/b}', '${${lower:j}ndi:', 'JNDI:', '../../etc/passwd', '..', 'curl/8.5.0', '(', ')', '${', ' ',
];
const REFERER_PIECES = ['https://example.com/', 'blog/x', '()', '() {', '${', 'jNdI:', 'JnDi:', 'jndi', ':', '$', '{', '(', ')', '\u212a', '\u017f', '../', '%24%7B', ' '];

const joined = (pieces: readonly string[], max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: max }).map((a) => a.join(''));

/** Pools of a few values per field, and records that draw from them (so that values repeat). */
const stream = fc.record({
  urls: fc.array(joined(URL_PIECES, 5), { minLength: 1, maxLength: 5 }),
  agents: fc.array(fc.option(joined(AGENT_PIECES, 3), { nil: undefined }), { minLength: 1, maxLength: 4 }),
  referers: fc.array(fc.option(joined(REFERER_PIECES, 3), { nil: undefined }), { minLength: 1, maxLength: 4 }),
  picks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom('GET', 'POST'), fc.constantFrom('200', '201', '401', '403', '404')), { minLength: 1, maxLength: 24 }),
});

function record(url: string, agent: string | undefined, referer: string | undefined, method: string, status: string): LogRecord {
  const fields: Record<string, string> = { ip: '203.0.113.9', method, url, status };
  if (agent !== undefined) fields.agent = agent;
  if (referer !== undefined) fields.referer = referer;
  return rec({ format: 'access', host: null, foreignText: true, message: `${method} ${url} HTTP/1.1 ${status}`, fields });
}

describe('web shortcut: the lists of an access record leave out no rule that matches', () => {
  test('hostile URLs, agents and referers, seen again and again', () => {
    fc.assert(
      fc.property(stream, ({ urls, agents, referers, picks }) => {
        const lists = engineLike();
        for (const [u, a, f, method, status] of picks) {
          const r = record(urls[u % urls.length]!, agents[a % agents.length], referers[f % referers.length], method, status);
          assert.deepEqual(lists(r), reference(r), JSON.stringify(r.fields));
        }
      }),
      { numRuns: 400 },
    );
  });

  test('the engine itself: the event types of each record are those its rules, run on their own, give', () => {
    // On an access record every main rule is additive and yields its type once; a fallback (401, 403) only when no
    // main rule matched. The engine's own order (record number, field gates, decode cache) is what runs here.
    const mains = REFERENCE.filter((r) => r.mode !== 'fallback');
    const fallbacks = REFERENCE.filter((r) => r.mode === 'fallback');
    const expected = (r: LogRecord): string[] => {
      const decode = (_name: string, raw: string): string => decodeWeb(raw);
      const types = mains.filter((rule) => createMatcher(rule, decode)(r, r.message) !== NO_MATCH).map((rule) => rule.type);
      if (types.length === 0) {
        const f = fallbacks.find((rule) => createMatcher(rule, decode)(r, r.message) !== NO_MATCH);
        if (f !== undefined) types.push(f.type);
      }
      return [...new Set(types)].sort();
    };
    fc.assert(
      fc.property(stream, ({ urls, agents, referers, picks }) => {
        const engine = createEngine({ rules: RULES });
        for (const [u, a, f, method, status] of picks) {
          const r = record(urls[u % urls.length]!, agents[a % agents.length], referers[f % referers.length], method, status);
          const got: SecurityEvent[] = [];
          engine(r, (e) => got.push(e));
          assert.deepEqual([...new Set(got.map((e) => e.type))].sort(), expected(r), JSON.stringify(r.fields));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('the built-in examples and their pieces, in one stream', () => {
    const lists = engineLike();
    const urls = ['/', '/index.html', '/.env', "/login?user=admin'--&pass=x", '/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/api/v1/sms/send?phone=13888888888'];
    const agents = [undefined, 'Mozilla/5.0', 'sqlmap/1.7.2#stable (https://sqlmap.org)', '() { :; }; /bin/id', '${jndi:ldap://x/a}', '../../etc/passwd'];
    const referers = [undefined, 'https://example.com/', '() { ignored; }; echo', '${jNdI:ldap://x.example.net/c}'];
    let matched = 0;
    for (let round = 0; round < 3; round++) {
      for (const url of urls) for (const agent of agents) for (const referer of referers) {
        const r = record(url, agent, referer, 'GET', '200');
        const want = reference(r);
        matched += want.length;
        assert.deepEqual(lists(r), want, JSON.stringify(r.fields));
      }
    }
    assert.ok(matched > 300, String(matched)); // the stream holds attacks, not only benign records
  });
});
