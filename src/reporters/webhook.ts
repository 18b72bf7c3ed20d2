// --webhook URL: POSTs each alert behind a bounded queue, one at a time, with a timeout and retries with backoff,
// never blocking the scan. What cannot be delivered (refused, timed out, queue full, out of time at the end) is
// appended to a spool file as an NDJSON alert line and counted, never dropped. With --redact, alerts are masked as
// they are queued, so that neither a POST body nor the spool holds what the terminal does not show.
import { appendFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { resolve } from 'node:path';
import type { Redact } from '../text/redact.js';
import type { Alert } from '../types.js';
import { alertLine, redactAlert } from './ndjson.js';
import { answerError, webhookBody, type WebhookFormat } from './webhook-payload.js';

export interface WebhookOptions {
  url: string;
  format: WebhookFormat;
  /** Where undeliverable alerts go (relative to cwd). */
  spool: string;
  cwd: string;
  timeoutMs: number;
  /** Attempts after the first. */
  retries: number;
  /** Wait before the first retry; doubled each time. */
  backoffMs: number;
  /** Alerts waiting at most; more go straight to the spool. */
  maxQueue: number;
  /** How long close() waits for the queue to drain before spooling the rest. */
  drainMs: number;
}


export interface WebhookReport {
  sent: number;
  spooled: number;
  spoolPath: string;
  /** The last delivery error, for the message at the end. */
  lastError: string | null;
}

const BODY_MAX = 64 * 1024; // of an answer: enough for an errcode

export class WebhookSink {
  private readonly opts: WebhookOptions;
  private readonly queue: Alert[] = [];
  private readonly stop = new AbortController();
  private readonly report: WebhookReport;
  private readonly redact: Redact | null;
  private running: Promise<void> | null = null;

  constructor(opts: WebhookOptions, redact: Redact | null = null) {
    this.opts = opts;
    this.redact = redact;
    this.report = { sent: 0, spooled: 0, spoolPath: resolve(opts.cwd, opts.spool), lastError: null };
  }

  /** Synchronous, for a bus listener: queues the alert and starts the sender if it is idle. */
  enqueue(alert: Alert): void {
    const a = this.redact === null ? alert : redactAlert(alert, this.redact);
    if (this.stop.signal.aborted) return this.spool(a, 'webhook closed');
    if (this.queue.length >= this.opts.maxQueue) return this.spool(a, 'webhook queue full');
    this.queue.push(a);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Waits (at most drainMs) for the queue to drain, then spools what is left. */
  async close(): Promise<WebhookReport> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((res) => {
      timer = setTimeout(res, this.opts.drainMs);
    });
    await Promise.race([this.running ?? Promise.resolve(), deadline]);
    clearTimeout(timer);
    this.stop.abort();
    await this.running; // the request in flight is aborted and spooled with the rest
    for (const a of this.queue.splice(0)) this.spool(a, this.report.lastError ?? 'out of time');
    return { ...this.report };
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stop.signal.aborted) {
      const a = this.queue[0]!;
      const error = await this.deliver(a);
      if (this.stop.signal.aborted && error !== null) return; // close() spools it with the rest
      this.queue.shift();
      if (error === null) this.report.sent++;
      else this.spool(a, error);
    }
  }

  /** null when delivered; else the last error after every attempt. */
  private async deliver(a: Alert): Promise<string | null> {
    const body = webhookBody(a, this.opts.format);
    let error: string | null = null;
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (attempt > 0 && !(await sleep(this.opts.backoffMs * 2 ** (attempt - 1), this.stop.signal))) break;
      const r = await post(this.opts.url, body, this.opts.timeoutMs, this.stop.signal);
      const refused = r.error === null ? answerError(this.opts.format, r.body) : null; // mostly rate limits: retry
      error = r.error ?? refused;
      if (error === null) return null;
      this.report.lastError = error;
      if (!r.retry && refused === null) break;
    }
    return error;
  }

  private spool(a: Alert, why: string): void {
    this.report.lastError ??= why;
    try {
      appendFileSync(this.report.spoolPath, alertLine(a), { mode: 0o640 });
      this.report.spooled++;
    } catch (err) {
      this.report.lastError = `cannot write spool: ${(err as Error).message}`;
      this.report.spooled++; // counted, so that the end report says it was not delivered
    }
  }
}

interface PostResult {
  error: string | null;
  body: string;
  /** Worth trying again: network errors, timeouts, 408, 429, 5xx. */
  retry: boolean;
}

/** One POST with its own timeout; never rejects. A new connection each time (no agent): nothing lingers after. */
export function post(url: string, body: string, timeoutMs: number, signal: AbortSignal): Promise<PostResult> {
  return new Promise((done) => {
    const u = new URL(url);
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (r: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      done(r);
    };
    const req = request(u, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'user-agent': 'audit' },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (text.length < BODY_MAX) text += c;
      });
      res.on('error', (err) => finish({ error: err.message, body: '', retry: true }));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return finish({ error: null, body: text, retry: false });
        finish({ error: `HTTP ${status}`, body: text, retry: status === 408 || status === 429 || status >= 500 });
      });
    });
    const timer = setTimeout(() => {
      finish({ error: `no answer within ${timeoutMs} ms`, body: '', retry: true });
      req.destroy();
    }, timeoutMs);
    const onAbort = (): void => {
      finish({ error: 'aborted at the end of the scan', body: '', retry: false });
      req.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => finish({ error: err.message, body: '', retry: true }));
    req.end(body);
  });
}

/** Resolves true after ms, or false at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((res) => {
    const onAbort = (): void => {
      clearTimeout(t);
      res(false);
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      res(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
