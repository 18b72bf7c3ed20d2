// Masking in the JSON reporters and the alert sinks: values are masked before they are serialised, in every string of
// an event, alert or summary, in the --alerts file and in what the webhook POSTs and spools. A stand-in masker keeps
// these tests about the wiring; the real one (phones, e-mail, addresses) is tested end to end in test/hostile.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Bus } from '../../src/bus.js';
import { attachAlertsFile } from '../../src/reporters/alerts-file.js';
import { alertLine, attachNdjson, eventLine, maskStrings, redactAlert } from '../../src/reporters/ndjson.js';
import { WebhookSink } from '../../src/reporters/webhook.js';
import type { Alert } from '../../src/types.js';
import { alert, emptySummary, event, sinkIo } from './sample.js';
import { tempDir } from '../helpers/tmp.js';

/** Stars every digit: enough to see which strings went through the masker. */
const starDigits = (text: string): string => text.replace(/\d/g, '*');

const secretAlert = (): Alert => ({
  id: 'brute_force', severity: 'high', key: '203.0.113.9', title: 'brute force: 10 failed logins', count: 10,
  first: null, last: '2026-11-23T10:04:00.000Z',
  evidence: [{ file: '/var/log/auth.log.1', line: 7, message: 'Failed password for \x1b13800138000 from 203.0.113.9' }],
});

describe('masking values before serialising', () => {
  it('eventLine with a mask: every string masked, numbers and nulls as they are, escapes intact', () => {
    const line = eventLine(event({ user: '\x1b13800138000' }), maskStrings(starDigits));
    assert.equal(line,
      '{"kind":"event","type":"auth.failure","severity":"medium","outcome":"failure","time":"****-**-**T**:**:**.***Z",' +
      '"source":{"ip":"***.*.***.*","port":52144},"user":"\\u001b***********","host":"srv*","program":"sshd","pid":4242,"phone":null,' +
      '"rule":"sshd.failed_password","message":"Failed password for root from ***.*.***.* port ***** ssh*",' +
      '"file":"/var/log/auth.log","line":1}\n');
  });

  it('alertLine with a mask masks the key and the evidence', () => {
    assert.equal(alertLine(secretAlert(), maskStrings(starDigits)),
      '{"kind":"alert","id":"brute_force","severity":"high","key":"***.*.***.*","title":"brute force: ** failed logins","count":10,' +
      '"first":null,"last":"****-**-**T**:**:**.***Z",' +
      '"evidence":[{"file":"/var/log/auth.log.*","line":7,"message":"Failed password for \\u001b*********** from ***.*.***.*"}]}\n');
  });

  it('redactAlert masks every text of the alert and leaves the original alone', () => {
    const a = secretAlert();
    assert.deepEqual(redactAlert(a, starDigits), {
      id: 'brute_force', severity: 'high', key: '***.*.***.*', title: 'brute force: ** failed logins', count: 10,
      first: null, last: '****-**-**T**:**:**.***Z',
      evidence: [{ file: '/var/log/auth.log.*', line: 7, message: 'Failed password for \x1b*********** from ***.*.***.*' }],
    });
    assert.equal(a.key, '203.0.113.9');
  });

  it('attachNdjson with a masker masks events, alerts and the summary', async () => {
    const { io, out } = sinkIo();
    const bus = new Bus();
    const reporter = attachNdjson(bus, io, starDigits);
    bus.emit('event', event());
    bus.emit('alert', alert());
    await reporter.finish({ ...emptySummary(), topSources: [{ key: '203.0.113.9', count: 3, failures: 3, successes: 0 }] });
    const text = out.text();
    assert.ok(!text.includes('203.0.113.9'), text);
    const summary = JSON.parse(text.trimEnd().split('\n')[2]!) as { topSources: unknown };
    assert.deepEqual(summary.topSources, [{ key: '***.*.***.*', count: 3, failures: 3, successes: 0 }]);
  });
});

describe('alert sinks with a masker', () => {
  it('--alerts file: the line is the masked alert line', () => {
    const dir = tempDir('audit-alerts-redact-');
    const bus = new Bus();
    const file = attachAlertsFile(bus, 'alerts.ndjson', dir, starDigits);
    bus.emit('alert', secretAlert());
    file.close();
    assert.equal(readFileSync(join(dir, 'alerts.ndjson'), 'utf8'),
      '{"kind":"alert","id":"brute_force","severity":"high","key":"***.*.***.*","title":"brute force: ** failed logins","count":10,' +
      '"first":null,"last":"****-**-**T**:**:**.***Z",' +
      '"evidence":[{"file":"/var/log/auth.log.*","line":7,"message":"Failed password for \\u001b*********** from ***.*.***.*"}]}\n');
  });

  it('webhook: the POST body and the spool hold the masked alert only', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(500).end(); // retried, then spooled
      });
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const dir = tempDir('audit-webhook-redact-');
    const sink = new WebhookSink({ url, format: 'slack', spool: 'spool.ndjson', cwd: dir, timeoutMs: 2000, retries: 1, backoffMs: 10, maxQueue: 10, drainMs: 5000 }, starDigits);
    sink.enqueue(secretAlert());
    const report = await sink.close();
    await new Promise<void>((res) => { server.closeAllConnections(); server.close(() => res()); });
    assert.deepEqual({ sent: report.sent, spooled: report.spooled }, { sent: 0, spooled: 1 });
    assert.equal(bodies.length, 2);
    assert.deepEqual(JSON.parse(bodies[0]!), {
      text: 'audit alert [high] brute force: ** failed logins\nkey: ***.*.***.*\nevents: 10\nlast: ****-**-**T**:**:**.***Z\n' +
        '/var/log/auth.log.*:7 Failed password for \\e*********** from ***.*.***.*', // ESC as sanitize() shows it
    });
    const spooled = readFileSync(join(dir, 'spool.ndjson'), 'utf8');
    assert.ok(!/\d{3}\.\d/.test(spooled) && !spooled.includes('13800138000'), spooled);
    assert.equal((JSON.parse(spooled) as Alert).key, '***.*.***.*');
  });
});
