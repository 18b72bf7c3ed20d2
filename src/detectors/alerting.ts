// The wiring of early warning, shared by `audit scan` and `audit watch`: the alerting flags, their parsing, and
// attaching the detectors and the alert sinks (--alerts file, --webhook) to a bus. The terminal, --json and the
// summary already listen for 'alert' on the bus.
import { Option, type Command } from 'commander';
import type { Bus } from '../bus.js';
import { UsageError } from '../errors.js';
import type { WebhookOptions } from '../reporters/webhook.js';
import { WEBHOOK_DEFAULTS, WEBHOOK_FORMATS, type WebhookFormat } from '../reporters/webhook-payload.js';
import type { Redact } from '../text/redact.js';
import { sanitize } from '../text/sanitize.js';
import type { Io } from '../types.js';
import { loadDetectorConfig, parseDuration, type DetectorConfig } from './config.js';
import { createDetectors, type Counted404, type Detectors } from './detectors.js';

export interface AlertingOptions {
  detectors: DetectorConfig;
  alertsFile: string | null;
  webhook: WebhookOptions | null;
}

export interface RawAlertingOptions {
  config?: string;
  detector?: string[];
  alerts?: string;
  webhook?: string;
  webhookFormat: string;
  webhookSpool: string;
  webhookTimeout: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds the alerting flags to a command (scan and watch share them). */
export function withAlertingOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'detector settings as JSON: {"detectors": {"brute_force": {"threshold": 5, "window": "10m"}}}')
    .option('--detector <setting>', 'set one detector setting, e.g. brute_force.threshold=5, web_scan.enabled=false, all.enabled=false (repeatable)', collect)
    .option('--alerts <file>', 'append every alert to this file as an NDJSON line, written at once')
    .option('--webhook <url>', 'POST every alert to this URL (retried; undeliverable alerts go to the spool file)')
    .addOption(new Option('--webhook-format <format>', 'body of the POST').choices(WEBHOOK_FORMATS).default('generic'))
    .option('--webhook-spool <file>', 'where alerts that could not be delivered are appended', 'audit-webhook-spool.ndjson')
    .option('--webhook-timeout <duration>', 'time allowed for each POST', '5s');
}

export function parseAlertingOptions(raw: RawAlertingOptions, io: Io): AlertingOptions {
  const detectors = loadDetectorConfig({ file: raw.config, settings: raw.detector ?? [], cwd: io.cwd });
  let webhook: WebhookOptions | null = null;
  if (raw.webhook !== undefined) {
    let url: URL;
    try {
      url = new URL(raw.webhook);
    } catch {
      throw new UsageError(`--webhook: '${raw.webhook}' is not a URL`, { hint: 'write the full URL, e.g. https://hooks.slack.com/services/...' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--webhook: only http and https URLs are supported`);
    if (!(WEBHOOK_FORMATS as readonly string[]).includes(raw.webhookFormat)) {
      throw new UsageError(`--webhook-format: unknown format '${raw.webhookFormat}'`, { hint: `use one of: ${WEBHOOK_FORMATS.join(', ')}` });
    }
    const timeoutMs = parseDuration(raw.webhookTimeout, '--webhook-timeout');
    if (timeoutMs < 100) throw new UsageError('--webhook-timeout: at least 100ms');
    webhook = {
      ...WEBHOOK_DEFAULTS, url: url.href, format: raw.webhookFormat as WebhookFormat, spool: raw.webhookSpool, cwd: io.cwd, timeoutMs,
      drainMs: Math.max(WEBHOOK_DEFAULTS.drainMs, timeoutMs * 3),
    };
  }
  return Object.freeze({ detectors, alertsFile: raw.alerts ?? null, webhook });
}

export interface Alerting {
  readonly detectors: Detectors;
  /** Waits for the webhook queue (bounded), closes the alerts file, and says on stderr what could not be delivered. */
  finish(): Promise<void>;
}

/**
 * Attaches detectors and sinks to the bus. Throws an InputError when the --alerts file cannot be opened. With
 * `redact` (--redact), the sinks mask what they write: they write to files and URLs, not through the masked Io.
 */
export async function attachAlerting(bus: Bus, io: Io, opts: AlertingOptions, redact: Redact | null = null): Promise<Alerting> {
  // the --alerts sink's module only with --alerts
  const file = opts.alertsFile === null ? null : (await import('../reporters/alerts-file.js')).attachAlertsFile(bus, opts.alertsFile, io.cwd, redact);
  // loaded only to send alerts: the sink needs node:http and node:https (~10 ms to load)
  const sink = opts.webhook === null ? null : new (await import('../reporters/webhook.js')).WebhookSink(opts.webhook, redact);
  if (sink !== null) bus.on('alert', (a) => sink.enqueue(a));
  // 404s counted go on the bus only for those who keep them (the event store): most scans have none
  const counted: Counted404 = (ip, t, file, line, message) => { if (bus.listenerCount('notFound') > 0) bus.emit('notFound', ip, t, file, line, message); };
  const detectors = createDetectors(opts.detectors, (a) => bus.emit('alert', a), counted);
  // the methods themselves, not arrows around them: one call less per line (they do not use `this`)
  bus.on('event', detectors.event);
  if (opts.detectors.detectors.web_scan.enabled) bus.on('record', detectors.record); // only web_scan reads records
  return {
    detectors,
    async finish() {
      if (file !== null) {
        if (file.failed) io.err.write(`audit: could not write every alert to ${sanitize(opts.alertsFile!)}\n`);
        file.close();
      }
      if (sink === null) return;
      const report = await sink.close();
      if (report.spooled > 0) {
        io.err.write(`audit: ${report.spooled} alert${report.spooled === 1 ? '' : 's'} could not be delivered to the webhook (${sanitize(report.lastError ?? 'unknown error')}); written to ${sanitize(report.spoolPath)}\n`);
      }
    },
  };
}
