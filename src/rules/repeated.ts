// rsyslog's `message repeated N times: [ <message>]`: the inner message and N, so that rules see what was said and
// the engine counts it N times. Plain string work, no regex: the line is attacker-controlled.

const PREFIX = 'message repeated ';
const MIDDLE = ' times: [';
const MAX_DIGITS = 9;

export interface Repeated {
  count: number;
  inner: string;
}

/** The count and the inner message, or null when `message` is not a repeat summary. */
export function parseRepeated(message: string): Repeated | null {
  if (!message.startsWith(PREFIX)) return null;
  let i = PREFIX.length;
  let count = 0;
  const digitsStart = i;
  for (; i < message.length && i - digitsStart < MAX_DIGITS; i++) {
    const c = message.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    count = count * 10 + (c - 0x30);
  }
  if (i === digitsStart || !message.startsWith(MIDDLE, i)) return null;
  let end = message.length;
  while (end > i && isSpace(message.charCodeAt(end - 1))) end--;
  if (message.charCodeAt(end - 1) !== 0x5d /* ] */) return null;
  let start = i + MIDDLE.length;
  end--;
  while (start < end && isSpace(message.charCodeAt(start))) start++;
  while (end > start && isSpace(message.charCodeAt(end - 1))) end--;
  return { count, inner: message.slice(start, end) };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}
