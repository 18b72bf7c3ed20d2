// Request lines of Python development/ASGI servers, found inside Python log messages or alone on a line:
// werkzeug `127.0.0.1 - - [23/Nov/2026 10:00:00] "POST /api/register HTTP/1.1" 200 -` (and its `code 400, message
// Bad request syntax ('...')` lines, which quote a request it refused) and uvicorn's access log
// `127.0.0.1:52100 - "GET / HTTP/1.1" 200 OK`. Used by python-logging.ts.
import { FIELD } from '../types.js';
import { CLF_LOCAL_LENGTH, clfTime, closingQuote, isStatus, splitRequest } from './http.js';
import { digitsEnd } from './time.js';

export interface RequestInfo {
  time: number | null;
  fields: Record<string, string>;
}

// werkzeug colours the request line on a terminal (`\x1b[33mGET / HTTP/1.1\x1b[0m`); the colour is not part of it.
function stripColour(s: string): string {
  if (s.charCodeAt(0) !== 27) return s;
  const m = s.indexOf('m');
  const body = m < 0 ? s : s.slice(m + 1);
  return body.endsWith('\x1b[0m') ? body.slice(0, -4) : body;
}

/** `"GET / HTTP/1.1" 200 ...` with the opening quote at `open` -> request fields and the status; false if not. */
function readQuotedRequest(text: string, open: number, fields: Record<string, string>): boolean {
  if (text.charCodeAt(open) !== 34) return false;
  const close = closingQuote(text, open);
  if (close < 0 || text.charCodeAt(close + 1) !== 32) return false;
  const status = text.slice(close + 2, close + 5);
  if (!isStatus(status) || (close + 5 < text.length && text.charCodeAt(close + 5) !== 32)) return false;
  const request = stripColour(text.slice(open + 1, close));
  const parts = splitRequest(request);
  fields.request = request;
  fields[FIELD.method] = parts === null ? '' : parts.method;
  fields[FIELD.url] = parts === null ? '' : parts.url;
  if (parts !== null && parts.protocol !== '') fields[FIELD.protocol] = parts.protocol;
  fields[FIELD.status] = status;
  return true;
}

/** werkzeug's `IP - - [dd/Mon/yyyy hh:mm:ss] ` before every line it writes: the client, the local time, and where the
 * rest starts; null if not there. */
function werkzeugHead(text: string): { time: number; ip: string; rest: number } | null {
  const sp = text.indexOf(' - - [');
  if (sp < 2 || sp > 45) return null;
  const t = sp + 6;
  if (text.charCodeAt(t + CLF_LOCAL_LENGTH) !== 93 || text.charCodeAt(t + CLF_LOCAL_LENGTH + 1) !== 32) return null;
  const time = clfTime(text, t, false);
  return time === null ? null : { time, ip: text.slice(0, sp), rest: t + CLF_LOCAL_LENGTH + 2 };
}

/**
 * werkzeug's request line `IP - - [dd/Mon/yyyy hh:mm:ss] "request" status size` -> fields (ip, http, bytes) and its
 * local time; or its error line about a request it could not take, `IP - - [...] code 400, message Bad request
 * syntax ('<what the client sent>')` -> fields (ip) and time: that message quotes the client's bytes, so it is a
 * request record too (LogRecord.foreignText) and the rules written for program text leave it alone.
 */
export function parseWerkzeugRequest(text: string): RequestInfo | null {
  const head = werkzeugHead(text);
  if (head === null) return null;
  const fields: Record<string, string> = { [FIELD.ip]: head.ip };
  let open = head.rest;
  if (text.startsWith('code ', open) && digitsEnd(text, open + 5) === open + 8 && text.startsWith(', message ', open + 8)) {
    return { time: head.time, fields };
  }
  if (text.charCodeAt(open) === 27) open = text.indexOf('m', open) + 1; // colour before the quote (older versions)
  if (open <= 0 || !readQuotedRequest(text, open, fields)) return null;
  const size = text.indexOf(' ', closingQuote(text, open) + 2);
  if (size > 0) {
    const e = digitsEnd(text, size + 1);
    if (e > size + 1) fields[FIELD.bytes] = text.slice(size + 1, e);
  }
  return { time: head.time, fields };
}

/** uvicorn's `IP:PORT - "request" status PHRASE` -> fields (ip, port, http). */
export function parseUvicornRequest(text: string): RequestInfo | null {
  const dash = text.indexOf(' - "');
  if (dash < 3 || dash > 60) return null;
  const colon = text.lastIndexOf(':', dash);
  if (colon <= 0 || digitsEnd(text, colon + 1) !== dash) return null;
  const fields: Record<string, string> = { [FIELD.ip]: text.slice(0, colon), [FIELD.port]: text.slice(colon + 1, dash) };
  return readQuotedRequest(text, dash + 3, fields) ? { time: null, fields } : null;
}
