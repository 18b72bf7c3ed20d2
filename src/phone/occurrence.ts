// Turns one log record and the events the rules found in it into the context of a phone number seen there: when,
// what happened (one table from event types to words), from which address, which account, which device.
import type { EventType, LogRecord, SecurityEvent } from '../types.js';
import { FIELD } from '../types.js';
import type { PhoneMatch } from './matcher.js';

/** What the verdict counts. A line may be several (a failed login that also asks for a code), each counted once. */
export type ActionKind = 'signup' | 'sms' | 'failure' | 'login' | 'reset';

/**
 * Event types in the order a line is described by: the first type of a record found here names it. Types not
 * listed are named by their type; a line without events is a 'request' (it has an HTTP method) or a 'mention'.
 */
const WORDS: readonly (readonly [EventType, string, ActionKind | null])[] = [
  ['account.registration', 'sign-up', 'signup'],
  ['auth.otp_request', 'SMS code', 'sms'],
  ['auth.password_reset', 'password reset', 'reset'],
  ['auth.failure', 'failed login', 'failure'],
  ['auth.invalid_user', 'failed login', 'failure'],
  ['auth.root_login', 'login', 'login'],
  ['auth.success', 'login', 'login'],
  ['web.auth_failure', 'HTTP 401', null],
  ['web.forbidden', 'HTTP 403', null],
  ['web.sqli', 'web attack', null],
  ['web.xss', 'web attack', null],
  ['web.traversal', 'web attack', null],
  ['web.lfi', 'web attack', null],
  ['web.cmd_injection', 'web attack', null],
  ['web.jndi', 'web attack', null],
  ['web.scanner', 'attack tool', null],
  ['web.probe', 'web probe', null],
  ['account.created', 'account change', null],
  ['account.deleted', 'account change', null],
  ['account.modified', 'account change', null],
  ['app.fatal', 'fatal error', null],
  ['app.error', 'error', null],
];
const RANK = new Map<string, number>(WORDS.map(([type], i) => [type, i]));
const WORD = new Map<string, string>(WORDS.map(([type, word]) => [type, word]));
const ACTION = new Map<string, ActionKind>();
for (const [type, , action] of WORDS) if (action !== null) ACTION.set(type, action);

/** The action an event type counts as, or null (an error, an attack: shown, not counted). */
export function actionOf(type: EventType): ActionKind | null {
  return ACTION.get(type) ?? null;
}

/** Everything the pipeline knows about the line a number was seen on. Strings are copies: safe to keep. */
export interface LineContext {
  file: string;
  line: number;
  /** ms since the epoch, UTC */
  time: number | null;
  /** 'sign-up', 'SMS code', 'failed login', ... */
  what: string;
  /** The types of the line's events, as the rules named them. */
  types: readonly EventType[];
  /** What the line counts as, each kind once. */
  actions: readonly ActionKind[];
  ip: string | null;
  port: number | null;
  /** The account: user id or name. */
  user: string | null;
  /** A device identifier (device_id, udid...): two numbers used from one device are linked. */
  device: string | null;
  /** The user agent: shown, never used to link numbers (thousands of people share one). */
  agent: string | null;
  /** File and program: the same action logged by two programs (nginx and the app) is counted once. */
  origin: string;
}

/** One line on which the number asked about was found. */
export interface Occurrence extends LineContext {
  /** 'masked' when only a masked form that fits the number was found (138****8888): a possible match. */
  match: 'exact' | 'masked';
  /** The number as written (the first exact form on the line, else the first masked one); a copy. */
  text: string;
}

/** The occurrence for a line with at least one match, or null for none. */
export function occurrenceOf(
  record: LogRecord, events: readonly SecurityEvent[], matches: readonly PhoneMatch[],
): Occurrence | null {
  const best = matches.find((m) => m.kind === 'exact') ?? matches[0];
  if (best === undefined) return null;
  const text = best.text.length > TEXT_MAX ? best.text.slice(0, TEXT_MAX) : best.text;
  return { ...lineContext(record, events), match: best.kind, text: copy(text) };
}

const TEXT_MAX = 64;
const DEVICE_KEYS = ['device_id', 'deviceId', 'device.id', 'device', 'udid', 'did', 'imei'];
// `device=a1b2c3`, `device_id: "a1b2c3"` in free text; linear (no nesting), run only on lines with a number.
const DEVICE_TEXT = /(?:^|[\s,;{(])(?:device_id|deviceid|deviceId|device|udid|did)\s?[=:]\s?"?([\w.:-]{3,64})/;
/** Longer values are cut before they are kept: enough to tell one client, device or account from another. */
const AGENT_MAX = 256;
const DEVICE_MAX = 64;
const VALUE_MAX = 256;

/** The context of `record`, given the events the rules emitted for it (in emission order). */
export function lineContext(record: LogRecord, events: readonly SecurityEvent[]): LineContext {
  const types: EventType[] = [];
  const actions: ActionKind[] = [];
  let ip: string | null = null;
  let port: number | null = null;
  let user: string | null = null;
  for (const e of events) {
    if (!types.includes(e.type)) types.push(e.type);
    const action = ACTION.get(e.type);
    if (action !== undefined && !actions.includes(action)) actions.push(action);
    if (ip === null && e.source.ip !== null) {
      ip = e.source.ip; // event strings are copies already
      port = e.source.port;
    }
    user ??= e.user;
  }
  const fields = record.fields;
  return {
    file: record.file,
    line: record.line,
    time: record.time,
    what: describe(types, fields),
    types,
    actions,
    ip: client(ip ?? own(fields, FIELD.ip)),
    port,
    user: user ?? own(fields, FIELD.user),
    device: deviceOf(record),
    agent: own(fields, FIELD.agent, AGENT_MAX),
    origin: `${record.file}\u0000${record.program ?? record.format ?? ''}`,
  };
}

/** Where a line came from, for linking numbers: what lineContext() says of it, without the rest (cheaper). */
export interface LinkSource {
  ip: string | null;
  device: string | null;
}

export function linkSource(record: LogRecord, events: readonly SecurityEvent[]): LinkSource {
  const ip = events.find((e) => e.source.ip !== null)?.source.ip ?? own(record.fields, FIELD.ip);
  return { ip: client(ip), device: deviceOf(record) };
}

/**
 * A loopback client is the reverse proxy in front of the application (werkzeug behind nginx logs 127.0.0.1), not the
 * user: it says nothing about who used the number, and would keep the proxy's line apart from nginx's.
 */
function client(ip: string | null): string | null {
  return ip === null || ip.startsWith('127.') || ip === '::1' ? null : ip;
}

function describe(types: readonly EventType[], fields: LogRecord['fields']): string {
  let best: EventType | null = null;
  for (const t of types) if (best === null || (RANK.get(t) ?? Infinity) < (RANK.get(best) ?? Infinity)) best = t;
  if (best !== null) return WORD.get(best) ?? best;
  return has(fields, FIELD.method) ? 'request' : 'mention';
}

function deviceOf(record: LogRecord): string | null {
  for (const key of DEVICE_KEYS) {
    const v = own(record.fields, key, DEVICE_MAX);
    if (v !== null) return v;
  }
  const message = record.message;
  // Cheapest check first: each key has 'id' or 'ice' in it.
  if (!message.includes('ice') && !message.includes('id')) return null;
  const m = DEVICE_TEXT.exec(message);
  return m === null ? null : copy(m[1]!);
}


function has(fields: LogRecord['fields'], key: string): boolean {
  return Object.prototype.hasOwnProperty.call(fields, key);
}

/** A field's value, cut to `max` characters and copied; null when absent, empty or '-'. */
function own(fields: LogRecord['fields'], key: string, max = VALUE_MAX): string | null {
  if (!has(fields, key)) return null;
  const v = fields[key];
  if (typeof v !== 'string' || v === '' || v === '-') return null;
  return copy(v.length > max ? v.slice(0, max) : v);
}

/** A copy that shares nothing with the line (a slice keeps the whole line alive). */
export function copy(s: string): string {
  return s.length === 0 ? '' : (' ' + s).slice(1);
}
