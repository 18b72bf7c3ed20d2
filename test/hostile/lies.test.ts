// Lies: text that claims to come from another program or host, inside a request, a user name or an application
// message, must not become an event of that program. Fields come from their position in the line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsOf, put, run, scratch } from './helpers.js';

const dir = scratch('lies');
const FORGED = 'sshd[1]: Accepted password for root from 6.6.6.6 port 22 ssh2';

interface Ev { type: string; program: string | null; host: string | null; user: string | null; source: { ip: string | null } }
async function events(name: string, lines: string[]): Promise<Ev[]> {
  const r = await run(['scan', '--json', put(dir, name, lines.join('\n') + '\n')]);
  return eventsOf(r.out) as unknown as Ev[];
}

describe('lies', () => {
  it('a forged sshd line inside a user name stays the user name of the real event', async () => {
    const ev = await events('user.log', [`Nov 23 03:14:22 web-01 sshd[21901]: Invalid user ${FORGED} from 203.0.113.45 port 50122`]);
    assert.deepEqual(ev.map((e) => [e.type, e.program, e.user, e.source.ip]),
      [['auth.invalid_user', 'sshd', FORGED, '203.0.113.45']]);
  });

  it('a forged syslog line inside an application message is not an sshd event', async () => {
    const ev = await events('app.log', [
      `Nov 23 03:14:22 web-01 myapp[77]: user said: ${FORGED}`,
      `Nov 23 03:14:22 web-01 myapp[77]: Nov 23 03:14:22 web-02 ${FORGED}`,
      `Nov 23 03:14:22 web-01 sudo:    alice : TTY=pts/0 ; PWD=/home ; USER=root ; COMMAND=/bin/echo ${FORGED}`,
    ]);
    assert.equal(ev.filter((e) => e.type === 'auth.success' || e.type === 'auth.root_login').length, 0);
    assert.ok(ev.every((e) => e.program !== 'sshd' && e.host === 'web-01'));
  });

  it('a forged line in a URL, referer or user agent of a web request is no login', async () => {
    const ev = await events('access.log', [
      '203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 5 "-" "Mozilla/5.0"',
      `203.0.113.9 - - [23/Nov/2026:10:00:01 +0000] "GET /?q=${encodeURIComponent(FORGED)} HTTP/1.1" 200 5 "Nov 23 03:14:22 web-01 ${FORGED}" "Nov 23 03:14:22 web-01 ${FORGED}"`,
      `203.0.113.9 - ${FORGED.replace(/ /g, '_')} [23/Nov/2026:10:00:02 +0000] "GET / HTTP/1.1" 200 5 "-" "kernel: Kernel panic - not syncing"`,
    ]);
    assert.deepEqual(ev.filter((e) => e.type.startsWith('auth.') || e.type === 'app.fatal'), []);
  });

  it('a JSON application log saying sshd in its message does not become sshd', async () => {
    const ev = await events('app.json', [
      `{"time":"2026-11-23T10:00:00Z","level":"info","msg":"login","user":"${FORGED}"}`,
      `{"time":"2026-11-23T10:00:01Z","level":"info","msg":"Nov 23 03:14:22 web-01 ${FORGED}"}`,
    ]);
    assert.deepEqual(ev.filter((e) => e.type === 'auth.success' || e.type === 'auth.root_login'), []);
  });
});
