// The end-of-scan tables, colour off, against text written out here; then widths, colour and the empty case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SOURCE_ROWS, MAX_WIDTH, renderSection, renderSummary, type Cell, type Section } from '../../src/reporters/table.js';
import type { Summary } from '../../src/types.js';
import { colour, emptySummary, plain } from './sample.js';

function summary(): Summary {
  return {
    sources: [
      { name: '/var/log/auth.log', format: 'syslog-3164', bytes: 2048, lines: 1234, parsed: 1200, unparsed: 30, skipped: 4, truncated: 0, events: 57, sanitized: 1 },
      { name: '/var/log/nginx/very/deeply/nested/directory/for/testing/access.log.2.gz', format: null, bytes: 100, lines: 10, parsed: 0, unparsed: 10, skipped: 0, truncated: 0, events: 0, sanitized: 0 },
    ],
    problems: [{ source: '/var/log/secure', message: 'cannot read /var/log/secure: permission denied', code: 'EACCES', level: 'error' }],
    totals: { lines: 1244, parsed: 1200, unparsed: 40, skipped: 4, truncated: 0, events: 57, bytes: 2148 },
    // deliberately out of order: the table sorts by severity, then count
    byType: [
      { type: 'auth.success', severity: 'info', count: 3 },
      { type: 'auth.failure', severity: 'medium', count: 40 },
      { type: 'app.fatal', severity: 'critical', count: 1 },
      { type: 'auth.invalid_user', severity: 'medium', count: 12 },
      { type: 'priv.sudo_failure', severity: 'high', count: 1 },
    ],
    bySeverity: { info: 3, low: 0, medium: 52, high: 1, critical: 1 },
    topSources: [
      { key: '203.0.113.9', count: 1500, failures: 1490, successes: 10 },
      { key: '2001:db8:85a3::8a2e:370:7334', count: 12, failures: 12, successes: 0 },
      { key: '198.51.100.7', count: 2, failures: 2, successes: 0 },
    ],
    topUsers: [
      { key: 'root', count: 30, failures: 29, successes: 1 },
      { key: 'evil\x1b[2Juser-with-a-very-long-name-that-goes-on-and-on-and-on-and-on-forever', count: 3, failures: 3, successes: 0 },
    ],
    topHosts: [{ key: 'srv1', count: 57, failures: 52, successes: 4 }],
    approximate: true,
    maxKeys: 10000,
    firstTime: '2026-11-23T09:59:59.000Z',
    lastTime: '2026-11-24T11:02:03.000Z',
    alerts: [
      { id: 'spray', severity: 'medium', key: 'root', title: 'Password spraying against root', count: 30, first: '2026-11-23T10:00:00.000Z', last: '2026-11-23T10:30:00.000Z', evidence: [] },
      { id: 'brute_force', severity: 'high', key: '203.0.113.9', title: 'SSH brute force', count: 1490, first: '2026-11-23T10:00:00.000Z', last: '2026-11-23T11:00:00.000Z', evidence: [] },
      { id: 'brute_force', severity: 'high', key: '2001:db8:85a3::8a2e:370:7334', title: 'SSH brute force', count: 12, first: null, last: null, evidence: [] },
    ],
  };
}

// Sorted sections; the --top 2 rows; the ESC in a user name escaped and the long name clipped; the path clipped
// from the start; the all-zero "truncated" column left out; one alert hidden; the approximate note.
const EXPECTED = `Events by type
┌───────────────────┬──────────┬───────┐
│ type              │ severity │ count │
├───────────────────┼──────────┼───────┤
│ app.fatal         │ critical │     1 │
│ priv.sudo_failure │ high     │     1 │
│ auth.failure      │ medium   │    40 │
│ auth.invalid_user │ medium   │    12 │
│ auth.success      │ info     │     3 │
└───────────────────┴──────────┴───────┘

Top source addresses
┌──────────────────────────────┬────────┬──────────┬───────────┐
│ address                      │ events │ failures │ successes │
├──────────────────────────────┼────────┼──────────┼───────────┤
│ 203.0.113.9                  │  1,500 │    1,490 │        10 │
│ 2001:db8:85a3::8a2e:370:7334 │     12 │       12 │         0 │
└──────────────────────────────┴────────┴──────────┴───────────┘

Top users
┌──────────────────────────────────────────────┬────────┬──────────┬───────────┐
│ user                                         │ events │ failures │ successes │
├──────────────────────────────────────────────┼────────┼──────────┼───────────┤
│ root                                         │     30 │       29 │         1 │
│ evil\\e[2Juser-with-a-very-long-name-that-go… │      3 │        3 │         0 │
└──────────────────────────────────────────────┴────────┴──────────┴───────────┘

Alerts
┌──────────┬─────────────────┬──────────────────┬────────┬─────────────────────┐
│ severity │ alert           │ key              │ events │ last seen (UTC)     │
├──────────┼─────────────────┼──────────────────┼────────┼─────────────────────┤
│ high     │ SSH brute force │ 203.0.113.9      │  1,490 │ 2026-11-23 11:00:00 │
│ high     │ SSH brute force │ 2001:db8:85a3::… │     12 │                     │
└──────────┴─────────────────┴──────────────────┴────────┴─────────────────────┘
… and 1 more alert (--verbose shows all)

Sources
┌──────────────────────┬─────────────┬───────┬────────┬──────────┬─────────┬────────┬───────────┐
│ path                 │ format      │ lines │ parsed │ unparsed │ skipped │ events │ sanitized │
├──────────────────────┼─────────────┼───────┼────────┼──────────┼─────────┼────────┼───────────┤
│ /var/log/auth.log    │ syslog-3164 │ 1,234 │  1,200 │       30 │       4 │     57 │         1 │
│ …ing/access.log.2.gz │ unknown     │    10 │      0 │       10 │       0 │      0 │         0 │
└──────────────────────┴─────────────┴───────┴────────┴──────────┴─────────┴────────┴───────────┘

Problems
┌─────────────────┬────────────────────────────────────────────────┐
│ source          │ problem                                        │
├─────────────────┼────────────────────────────────────────────────┤
│ /var/log/secure │ cannot read /var/log/secure: permission denied │
└─────────────────┴────────────────────────────────────────────────┘

Time span: 2026-11-23 09:59:59 – 2026-11-24 11:02:03 UTC (1d 01h)
1,244 lines read: 1,200 parsed, 40 unparsed, 4 skipped, 0 truncated
57 events (4.6% of lines)
counts are approximate (more than 10,000 distinct keys)
`;

describe('renderSummary', () => {
  it('renders every section, colour off, as written out', () => {
    assert.equal(renderSummary(summary(), plain, { top: 2 }), EXPECTED);
  });

  it('shows only the footer for an empty scan', () => {
    assert.equal(renderSummary(emptySummary(), plain, { top: 10 }),
      '0 lines read: 0 parsed, 0 unparsed, 0 skipped, 0 truncated\n0 events\n');
  });

  it('says "line" and "event" for one', () => {
    const s = emptySummary();
    s.totals = { lines: 1, parsed: 1, unparsed: 0, skipped: 0, truncated: 0, events: 1, bytes: 10 };
    s.firstTime = '2026-11-23T10:00:00.000Z';
    s.lastTime = '2026-11-23T10:00:00.000Z';
    assert.equal(renderSummary(s, plain, { top: 10 }),
      'Time span: 2026-11-23 10:00:00 UTC\n1 line read: 1 parsed, 0 unparsed, 0 skipped, 0 truncated\n1 event (100% of lines)\n');
  });

  it('with --verbose shows every alert, first-seen times and zero columns', () => {
    const text = renderSummary(summary(), plain, { top: 2, verbose: true });
    assert.ok(text.includes('│ medium   │ Password sp… │ root         │     30 │ 2026-11-23 10:00:00 │ 2026-11-23 10:30:00 │\n'));
    assert.ok(!text.includes('more alert'));
    assert.ok(text.includes('│ path                 │ format      │ lines │ parsed │ unparsed │ skipped │ truncated │ events │ sanitized │\n'));
  });

  // Sources with every counter non-zero is the exception: nine columns of numbers cannot fit 80 with a readable path.
  it('keeps the tables within 80 columns, clipping long cells', () => {
    const s = summary();
    s.sources = [{ ...s.sources[0]!, name: `/var/log/${'z'.repeat(100)}/auth.log`, skipped: 0, sanitized: 0 }];
    s.problems = [{ source: `/var/log/${'x'.repeat(200)}`, message: `cannot read: ${'y'.repeat(300)}`, code: 'EIO', level: 'error' }];
    s.topSources = [{ key: '2001:db8:85a3:0000:0000:8a2e:0370:7334%eth0-a-long-zone-identifier-indeed', count: 1, failures: 1, successes: 0 }];
    for (const line of renderSummary(s, plain, { top: 10 }).split('\n')) assert.ok(line.length <= MAX_WIDTH, `${line.length}: ${line}`);
  });

  it('writes no escape codes with colour off, and bold heads and coloured severities with colour on', () => {
    assert.ok(!renderSummary(summary(), plain, { top: 2 }).includes('\x1b'));
    const text = renderSummary(summary(), colour, { top: 2 });
    assert.ok(text.includes('\x1b[1mtype\x1b[22m'));
    assert.ok(text.includes('\x1b[1mEvents by type\x1b[22m'));
    assert.ok(text.includes('\x1b[31mhigh\x1b[39m'));
    // the ESC from the log is still escaped, not passed through
    assert.ok(text.includes('evil\\e[2Juser'));
  });
});

describe('long tables', () => {
  // Rows of different widths in every piece, wide characters (two columns each), colour codes, a clipped path.
  function section(n: number): Section {
    const rows: Cell[][] = [];
    for (let i = 0; i < n; i++) {
      const name = i % 97 === 0 ? `/var/log/${'d'.repeat(i % 50)}/用户-${i}.log` : `/var/log/app-${i}.log`;
      rows.push([{ text: name }, { text: i % 3 === 0 ? 'high' : 'low', severity: i % 3 === 0 ? 'high' : 'low' }, { text: String(i * 7919 % 100_003) }]);
    }
    return { title: 'Sources', columns: [{ head: 'path', clip: 'start', min: 20 }, { head: 'severity' }, { head: 'events', align: 'right' }], rows };
  }

  it('draws a table in pieces exactly as in one piece', () => {
    for (const n of [1, 99, 100, 101, 777]) {
      for (const style of [plain, colour]) {
        const whole = renderSection(section(n), style, Infinity);
        for (const piece of [1, 7, 100]) assert.equal(renderSection(section(n), style, piece), whole, `${n} rows, pieces of ${piece}`);
      }
    }
    // The widest row comes in a later piece than the first: the first pieces are drawn with its width too.
    const s = section(300);
    s.rows[250]![2] = { text: '123,456,789,012' };
    const lines = renderSection(s, plain, 100).split('\n').slice(1, -1).filter((l) => !l.includes('用户')); // .length: no wide characters
    assert.ok(lines.every((l) => l.length === lines[0]!.length), 'every line as wide as the top border');
    assert.ok(lines[0]!.endsWith(`┬${'─'.repeat(17)}┐`), lines[0]); // the events column: 15 characters and padding
  });
});

describe('many sources', () => {
  function many(n: number): Summary {
    const s = emptySummary();
    // Every seventh file has events (more for later ones), every eleventh unparsed lines; the rest is quiet.
    s.sources = Array.from({ length: n }, (_, i) => ({
      name: `/var/log/app/app.log.${i}`, format: 'syslog', bytes: 100, lines: 10, parsed: i % 11 === 0 ? 7 : 10,
      unparsed: i % 11 === 0 ? 3 : 0, skipped: 0, truncated: 0, events: i % 7 === 0 ? 1 + i : 0, sanitized: 0,
    }));
    return s;
  }
  const listed = (text: string): string[] => [...text.matchAll(/app\.log\.(\d+) /g)].map((m) => m[1]!);

  it(`lists at most ${MAX_SOURCE_ROWS}: those with events first, then lines not understood, in reading order`, () => {
    const text = renderSummary(many(400), plain, { top: 10 });
    const shown = listed(text).map(Number);
    assert.equal(shown.length, MAX_SOURCE_ROWS);
    assert.deepEqual(shown, [...shown].sort((a, b) => a - b));
    // 58 files have events (0, 7, ... 399): the 50 with the most are the last 50 of them.
    assert.deepEqual(shown, Array.from({ length: 58 }, (_, k) => 7 * k).slice(8));
    const hiddenEvents = Array.from({ length: 8 }, (_, k) => 1 + 7 * k).reduce((a, b) => a + b, 0);
    assert.ok(text.includes(`… and 350 more sources (3,500 lines, ${hiddenEvents} events; --verbose shows all)\n`), text.slice(-400));
    // Without events: the files with lines not understood, then the first ones read.
    const quiet = many(60).sources.map((s) => ({ ...s, events: 0 }));
    const q = renderSummary({ ...many(60), sources: quiet }, plain, { top: 10 });
    assert.deepEqual(listed(q).map(Number), [...Array.from({ length: 6 }, (_, k) => 11 * k), ...Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 11 !== 0).slice(0, 44)].sort((a, b) => a - b));
  });

  it('lists every source with --verbose, and all of them when there are few', () => {
    assert.equal(listed(renderSummary(many(400), plain, { top: 10, verbose: true })).length, 400);
    const text = renderSummary(many(MAX_SOURCE_ROWS), plain, { top: 10 });
    assert.equal(listed(text).length, MAX_SOURCE_ROWS);
    assert.ok(!text.includes('more source'));
  });
});
