// Finds an address, a user and a phone number written in free text (`login failed for user admin from 203.0.113.9`,
// `user registered user_id=58121 phone=13888888888`), for rules that opt in with `fromMessage`: application logs
// that are not JSON or logfmt say who and where only in their message. Runs only after a rule matched.
import { isIP } from 'node:net';

export interface MessageValues {
  ip: string | null;
  user: string | null;
  phone: string | null;
}

const IP_KEYS = new Set(['ip', 'client_ip', 'clientip', 'remote_addr', 'remote_ip', 'src_ip', 'source_ip', 'rip', 'addr', 'client']);
const USER_KEYS = new Set(['user', 'username', 'user_name', 'user_id', 'userid', 'uid', 'login', 'account', 'email']);
const PHONE_KEYS = new Set(['phone', 'mobile', 'tel', 'msisdn', 'phone_number', 'phonenumber', '手机号', '手机']);

// key=value / key: value for the keys above, the key after a separator; the value up to a separator, read by a
// lookahead so that a value which looks like a pair itself (`registered: username=alice`) is read again as one.
// Linear, no nesting. Only those keys, in any case: a message of many other pairs (`x=1 y=2 ...`, 2 KB of them)
// made a match object and a lowercased key for each, ~80 µs a line.
const ASCII_KEYS = [...IP_KEYS, ...USER_KEYS, ...PHONE_KEYS].filter((k) => /^[a-z_]+$/.test(k));
const KEY_VALUE = new RegExp(
  `(?<=^|[\\s,;{(])((?:${ASCII_KEYS.join('|')})|手机号?)\\s{0,2}[=:：](?=\\s{0,2}"?([^\\s,;"'}\\])]{1,128}))`,
  'gi',
);
const FROM_ADDRESS = /\bfrom (?:ip |address |host )?\[?([0-9A-Fa-f][0-9A-Fa-f.:]{1,44})\]?/;
// `for user bob`, `for account 'bob'`, `for 'bob'`, `for bob@example.com`
const FOR_USER = /\bfor (?:(?:user|account) ['"<]?([^\s'",;<>]{1,64})|'([^'\n]{1,64})'|([^\s'",;<>@]{1,64}@[\w.-]{1,64}))/i;
const DOTTED_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/; // 203.0.113.50:4122
// `to +86 138 0013 8000`, `手机号13888888888`: digits with spaces, hyphens or brackets between (7 to 15 digits).
const PHONE_TEXT = /(?:\bto |手机号?[=:：]?\s?)(\+?\d[\d ()-]{4,30}\d)/;
const TRAILING_PUNCTUATION = /[.:]+$/;
const NON_DIGITS = /\D/g;
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

/** Whatever of ip, user and phone the message states; null for each it does not. */
export function valuesFromMessage(message: string): MessageValues {
  const out: MessageValues = { ip: null, user: null, phone: null };
  if (message.includes('=') || message.includes(':')) {
    KEY_VALUE.lastIndex = 0;
    for (let m = KEY_VALUE.exec(message); m !== null; m = KEY_VALUE.exec(message)) {
      const key = m[1]!.toLowerCase();
      const value = m[2]!;
      if (out.ip === null && IP_KEYS.has(key) && isIP(value) !== 0) out.ip = value;
      else if (out.user === null && USER_KEYS.has(key)) out.user = value;
      else if (out.phone === null && PHONE_KEYS.has(key)) out.phone = value;
    }
  }
  if (out.ip === null && message.includes('from ')) {
    const m = FROM_ADDRESS.exec(message);
    const ip = m?.[1]?.replace(TRAILING_PUNCTUATION, '');
    if (ip !== undefined && isIP(ip) !== 0) out.ip = ip;
    else if (ip !== undefined) out.ip = DOTTED_PORT.exec(ip)?.[1] ?? null;
  }
  if (out.user === null && message.includes('for ')) {
    const m = FOR_USER.exec(message);
    out.user = m?.[1] ?? m?.[2] ?? m?.[3] ?? null;
  }
  if (out.phone === null) {
    const phone = PHONE_TEXT.exec(message)?.[1];
    const digits = phone === undefined ? 0 : phone.replace(NON_DIGITS, '').length;
    // A short hyphenated run without a country code is more likely a date (2026-11-23) than a phone number.
    const plausible = phone !== undefined && (phone.startsWith('+') || digits >= 10 || !phone.includes('-'));
    if (plausible && digits >= MIN_DIGITS && digits <= MAX_DIGITS) out.phone = phone;
  }
  return out;
}
