import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { WebhookSink, type WebhookOptions } from '../../src/reporters/webhook.js';
import { webhookBody } from '../../src/reporters/webhook-payload.js';
import type { Alert } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';

const alert = (key: string): Alert => ({
  id: 'brute_force', severity: 'high', key, title: 'brute force: 10 failed logins from one address within 10m', count: 10,
  first: '2026-03-01T10:00:00.000Z', last: '2026-03-01T10:04:30.000Z', evidence: [{ file: 'auth.log', line: 7, message: 'Failed password for root from 203.0.113.9 port 4242 ssh2' }],
});

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; bodies: string[]; server: Server; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      handler(req, body, res);
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`, bodies, server,
    close: () => new Promise<void>((res) => { server.closeAllConnections(); server.close(() => res()); }),
  };
}

function options(url: string, over: Partial<WebhookOptions> = {}): WebhookOptions {
  const dir = tempDir('audit-webhook-');
  return { url, format: 'generic', spool: 'spool.ndjson', cwd: dir, timeoutMs: 2000, retries: 3, backoffMs: 10, maxQueue: 100, drainMs: 5000, ...over };
}

test('a server that fails the first two attempts: the alert arrives on the third, nothing spooled', async () => {
  let calls = 0;
  const srv = await serve((_req, _body, res) => {
    calls++;
    res.writeHead(calls <= 2 ? 503 : 200).end('ok');
  });
  const opts = options(srv.url);
  const sink = new WebhookSink(opts);
  sink.enqueue(alert('203.0.113.9'));
  const report = await sink.close();
  await srv.close();
  assert.equal(calls, 3);
  assert.equal(report.sent, 1);
  assert.equal(report.spooled, 0);
  assert.equal(existsSync(join(opts.cwd, 'spool.ndjson')), false);
  assert.deepEqual(JSON.parse(srv.bodies[2]!), {
    kind: 'alert', id: 'brute_force', severity: 'high', key: '203.0.113.9', title: 'brute force: 10 failed logins from one address within 10m', count: 10,
    first: '2026-03-01T10:00:00.000Z', last: '2026-03-01T10:04:30.000Z', evidence: [{ file: 'auth.log', line: 7, message: 'Failed password for root from 203.0.113.9 port 4242 ssh2' }],
  });
});

test('a server that always fails: after 1 + 3 attempts each alert goes to the spool, in order', async () => {
  const srv = await serve((_req, _body, res) => res.writeHead(500).end());
  const opts = options(srv.url);
  const sink = new WebhookSink(opts);
  sink.enqueue(alert('a'));
  sink.enqueue(alert('b'));
  const report = await sink.close();
  await srv.close();
  assert.equal(srv.bodies.length, 8);
  assert.deepEqual({ sent: report.sent, spooled: report.spooled, lastError: report.lastError }, { sent: 0, spooled: 2, lastError: 'HTTP 500' });
  const lines = readFileSync(join(opts.cwd, 'spool.ndjson'), 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as Alert).key);
  assert.deepEqual(lines, ['a', 'b']);
});

test('a 400 is not retried', async () => {
  const srv = await serve((_req, _body, res) => res.writeHead(400).end('invalid_payload'));
  const sink = new WebhookSink(options(srv.url));
  sink.enqueue(alert('a'));
  const report = await sink.close();
  await srv.close();
  assert.equal(srv.bodies.length, 1);
  assert.equal(report.spooled, 1);
});

test('a server that never answers: each attempt times out, the alert is spooled, close() returns', async () => {
  const srv = await serve(() => { /* never answers */ });
  const opts = options(srv.url, { timeoutMs: 150, retries: 1 });
  const sink = new WebhookSink(opts);
  sink.enqueue(alert('slow'));
  const report = await sink.close();
  await srv.close();
  assert.equal(srv.bodies.length, 2);
  assert.equal(report.spooled, 1);
  assert.equal(report.lastError, 'no answer within 150 ms');
});

test('the queue is bounded: past maxQueue alerts go straight to the spool', async () => {
  const srv = await serve((_req, _body, res) => res.writeHead(200).end());
  const opts = options(srv.url, { maxQueue: 2 });
  const sink = new WebhookSink(opts);
  for (const k of ['a', 'b', 'c', 'd']) sink.enqueue(alert(k));
  const report = await sink.close();
  await srv.close();
  assert.equal(report.sent, 2);
  assert.equal(report.spooled, 2);
  assert.deepEqual(readFileSync(join(opts.cwd, 'spool.ndjson'), 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as Alert).key), ['c', 'd']);
});

test('close() waits at most drainMs, then spools what is left', async () => {
  const srv = await serve(() => { /* never answers */ });
  const opts = options(srv.url, { timeoutMs: 10_000, drainMs: 200 });
  const sink = new WebhookSink(opts);
  sink.enqueue(alert('a'));
  sink.enqueue(alert('b'));
  const report = await sink.close();
  await srv.close();
  assert.equal(report.sent, 0);
  assert.equal(report.spooled, 2);
});

test('DingTalk and WeCom: HTTP 200 with a non-zero errcode is a failure', async () => {
  let calls = 0;
  const srv = await serve((_req, _body, res) => {
    calls++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(calls === 1 ? '{"errcode":130101,"errmsg":"send too fast"}' : '{"errcode":0,"errmsg":"ok"}');
  });
  const sink = new WebhookSink(options(srv.url, { format: 'dingtalk' }));
  sink.enqueue(alert('a'));
  const report = await sink.close();
  await srv.close();
  assert.equal(calls, 2);
  assert.equal(report.sent, 1);
  assert.deepEqual(JSON.parse(srv.bodies[0]!), {
    msgtype: 'text',
    text: { content: 'audit alert [high] brute force: 10 failed logins from one address within 10m\nkey: a\nevents: 10\nfirst: 2026-03-01T10:00:00.000Z\nlast: 2026-03-01T10:04:30.000Z\nauth.log:7 Failed password for root from 203.0.113.9 port 4242 ssh2' },
  });
});

test('payload shapes: Slack {text}, WeCom {msgtype, text.content} clipped to 2048 bytes', () => {
  assert.deepEqual(Object.keys(JSON.parse(webhookBody(alert('k'), 'slack')) as object), ['text']);
  const long = alert('k');
  long.evidence = Array.from({ length: 5 }, (_, i) => ({ file: 'auth.log', line: i, message: '密'.repeat(300) }));
  const wecom = JSON.parse(webhookBody(long, 'wecom')) as { msgtype: string; text: { content: string } };
  assert.equal(wecom.msgtype, 'text');
  assert.ok(Buffer.byteLength(wecom.text.content) <= 2048);
  assert.ok(wecom.text.content.endsWith('…'));
});
