// The end-of-scan tables, colour off, against text written out here; then widths, colour and the empty case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_WIDTH, renderSummary } from '../../src/reporters/table.js';
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
