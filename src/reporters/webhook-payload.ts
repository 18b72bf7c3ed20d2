// The body POSTed for one alert, in the shape each receiver expects: generic (the --json alert object), a Slack
// incoming webhook ({text}), a DingTalk custom robot and a WeCom group robot ({msgtype:'text', text:{content}}).
import { clip, sanitize } from '../text/sanitize.js';
import type { Alert } from '../types.js';
import { alertLine } from './ndjson.js';

export const WEBHOOK_FORMATS = ['generic', 'slack', 'dingtalk', 'wecom'] as const;
/**
 * The delivery settings the flags do not set (webhook.ts WebhookOptions). Here, not in webhook.ts, so that parsing
 * the flags does not load node:http and node:https: only a scan that sends alerts does.
 */
export const WEBHOOK_DEFAULTS = { timeoutMs: 5000, retries: 3, backoffMs: 500, maxQueue: 1000, drainMs: 15_000 } as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** WeCom rejects text content over 2048 bytes; DingTalk and Slack take more, but a chat message should stay short. */
const WECOM_MAX_BYTES = 2048;
const LINE_MAX = 300;

export function webhookBody(a: Alert, format: WebhookFormat): string {
  switch (format) {
    case 'generic':
      return alertLine(a).trimEnd();
    case 'slack':
      return JSON.stringify({ text: alertText(a) });
    case 'dingtalk':
      return JSON.stringify({ msgtype: 'text', text: { content: alertText(a) } });
    case 'wecom':
      return JSON.stringify({ msgtype: 'text', text: { content: clipBytes(alertText(a), WECOM_MAX_BYTES) } });
  }
}

/**
 * DingTalk and WeCom answer HTTP 200 with {"errcode": N, "errmsg": "..."}; only errcode 0 is delivered. Returns the
 * error to report, or null when the answer means delivered.
 */
export function answerError(format: WebhookFormat, body: string): string | null {
  if (format !== 'dingtalk' && format !== 'wecom') return null;
  try {
    const v = JSON.parse(body) as { errcode?: unknown; errmsg?: unknown };
    if (v.errcode === 0 || v.errcode === undefined) return null;
    return `errcode ${String(v.errcode)}: ${clip(String(v.errmsg ?? ''), 200)}`;
  } catch {
    return null; // not JSON: a proxy in between; HTTP said 2xx
  }
}

/** Plain text for chat: a headline and the evidence lines, each with file:line. */
export function alertText(a: Alert): string {
  let text = `audit alert [${a.severity}] ${clip(a.title, LINE_MAX)}\nkey: ${clip(a.key, LINE_MAX)}\nevents: ${a.count}`;
  if (a.first !== null) text += `\nfirst: ${sanitize(a.first)}`;
  if (a.last !== null && a.last !== a.first) text += `\nlast: ${sanitize(a.last)}`;
  for (const x of a.evidence) text += `\n${clip(x.file, 120)}:${x.line} ${clip(x.message, LINE_MAX)}`;
  return text;
}

function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let s = text.slice(0, max); // at most max UTF-16 units: shrink until the UTF-8 form fits, with room for '…'
  while (Buffer.byteLength(s) > max - 3) s = s.slice(0, -Math.max(1, Math.ceil((Buffer.byteLength(s) - max + 3) / 4)));
  return s + '…';
}
