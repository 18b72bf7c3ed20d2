// --redact and --redact-ip reach the outputs that do not go through stdout: the --alerts file, the webhook POST bodies
// and the spool of undeliverable alerts (issue #8: "in every output, including JSON"). Also --json with a control
// character in front of a secret: values are masked before serialising, so the JSON stays valid.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ndjson, put, run, scratch } from './helpers.js';

const dir = scratch('redact-alerts');
const auth = [
  // distributed attack on one account (an e-mail address) from five addresses
  ...Array.from({ length: 5 }, (_, i) => `Nov 23 03:14:2${i} web-01 sshd[1${i}]: Failed password for invalid user alice@example.com from 198.51.100.1${i} port 5012${i} ssh2`),
  // brute force and password spraying from one address; one user name starts with ESC (the JSON holds \u001b)
  ...Array.from({ length: 10 }, (_, i) => `Nov 23 03:20:1${i} web-01 sshd[2${i}]: Failed password for invalid user ${i === 3 ? '\x1b' : ''}u${i}@corp.example from 203.0.113.99 port 4000${i} ssh2`),
];
const AUTH = put(dir, 'auth.log', auth.join('\n') + '\n');
const APP = put(dir, 'app.log', [0, 1, 2].map((i) =>
  `[2026-11-23 10:0${i}:01,004] INFO in signup: user registered user_id=u5000${i} phone=13812345678 ip=203.0.113.4${5 + i} device=d${i}`).join('\n') + '\n');

const PERSONAL = ['13812345678', 'alice@', 'u0@corp', 'u3@corp', 'u9@corp'];
const ADDRESSES = ['198.51.100.10', '198.51.100.14', '203.0.113.99', '203.0.113.45', '203.0.113.47'];

function assertClean(what: string, text: string, secrets: readonly string[]): void {
  for (const s of secrets) assert.ok(!text.includes(s), `${s} found in ${what}`);
}

interface Hook { url: string; bodies: string[]; close(): Promise<void> }

/** A local webhook receiver answering every POST with `status`. */
async function hook(status: number): Promise<Hook> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`, bodies,
    close: () => new Promise<void>((res) => { server.closeAllConnections(); server.close(() => res()); }),
  };
}

type AlertJson = { id: string; key: string; evidence: { file: string; line: number; message: string }[] };

function byId(lines: Record<string, unknown>[]): Map<string, AlertJson> {
  return new Map(lines.map((l) => [l['id'] as string, l as unknown as AlertJson]));
}

describe('scan --redact-ip: --alerts and --webhook', () => {
  it('the alerts file and every POST body are masked, keys and evidence alike', async () => {
    const srv = await hook(200);
    const alerts = join(dir, 'alerts-ip.ndjson');
    const r = await run(['scan', '--no-color', '--redact-ip', '--alerts', alerts, '--webhook', srv.url, AUTH, APP]);
    await srv.close();
    assert.equal(r.code, 0);
    const file = readFileSync(alerts, 'utf8');
    for (const [what, text] of [['alerts file', file], ['webhook bodies', srv.bodies.join('\n')], ['stdout', r.out], ['stderr', r.err]] as const) {
      assertClean(what, text, [...PERSONAL, ...ADDRESSES]);
    }
    const saved = byId(ndjson(file)); // throws if a line is not JSON
    assert.deepEqual([...saved.keys()].sort(), ['brute_force', 'distributed_attack', 'mass_registration_phone', 'password_spraying']);
    assert.equal(saved.get('distributed_attack')!.key, 'a****@example.com');
    assert.equal(saved.get('distributed_attack')!.evidence[0]!.message, 'Failed password for invalid user a****@example.com from 198.51.***.** port 50120 ssh2');
    assert.equal(saved.get('brute_force')!.key, '203.0.***.**');
    assert.equal(saved.get('brute_force')!.evidence[3]!.message, 'Failed password for invalid user \x1bu*@corp.example from 203.0.***.** port 40003 ssh2');
    assert.equal(saved.get('password_spraying')!.key, '203.0.***.**');
    assert.equal(saved.get('mass_registration_phone')!.key, '138****5678');
    assert.equal(saved.get('mass_registration_phone')!.evidence[2]!.message, 'user registered user_id=u50002 phone=138****5678 ip=203.0.***.** device=d2');
    // generic bodies are the alert lines themselves
    assert.deepEqual(srv.bodies.map((b) => b + '\n').sort(), file.split(/(?<=\n)/).sort());
  });

  it('--redact without -ip: addresses stay; an undeliverable alert goes to the spool masked (WeCom text bodies too)', async () => {
    const srv = await hook(400); // not retried: spooled at once
    const spool = join(dir, 'spool.ndjson');
    const r = await run(['scan', '--no-color', '--redact', '--webhook', srv.url, '--webhook-format', 'wecom', '--webhook-spool', spool, AUTH, APP]);
    await srv.close();
    assert.equal(srv.bodies.length, 4);
    const text = srv.bodies.map((b) => (JSON.parse(b) as { text: { content: string } }).text.content).join('\n');
    const spooled = readFileSync(spool, 'utf8');
    for (const [what, t] of [['webhook bodies', srv.bodies.join('\n')], ['spool', spooled], ['stdout', r.out], ['stderr', r.err]] as const) {
      assertClean(what, t, PERSONAL);
    }
    assert.match(text, /\nkey: a\*\*\*\*@example\.com\n/);
    assert.match(text, /\nkey: 138\*\*\*\*5678\n/);
    const saved = byId(ndjson(spooled));
    assert.equal(saved.size, 4);
    assert.equal(saved.get('brute_force')!.key, '203.0.113.99');
    assert.equal(saved.get('distributed_attack')!.evidence[4]!.message, 'Failed password for invalid user a****@example.com from 198.51.100.14 port 50124 ssh2');
    assert.match(r.err, /audit: 4 alerts could not be delivered to the webhook \(HTTP 400\)/);
  });
});

describe('scan --json --redact: a control character before a secret', () => {
  it('stays valid JSON, and the secret behind the escape is masked', async () => {
    const log = put(dir, 'esc.log', [
      'Nov 23 03:14:22 web-01 sshd[1]: Invalid user \x1balice@example.com from 203.0.113.45 port 50122',
      'Nov 23 03:14:23 web-01 sshd[2]: Invalid user \x0113812345678 from 203.0.113.45 port 50123',
    ].join('\n') + '\n');
    const r = await run(['scan', '--json', '--redact', log]);
    const events = ndjson(r.out).filter((o) => o['kind'] === 'event'); // throws on an invalid line
    assert.deepEqual(events.map((e) => e['user']), ['\x1ba****@example.com', '\x01138****5678']);
    assertClean('stdout', r.out, ['alice@', '13812345678']);
  });
});
