// --redact and --redact-ip: masks phone numbers, e-mail addresses and (optionally) IP addresses in everything a
// command writes, so that a report can be shared under privacy law. Applied to the output streams, not to the data:
// counts, top tables and detectors still tell two addresses apart; only what is printed is masked.
import { isIPv4, isIPv6 } from 'node:net';
import { Writable } from 'node:stream';
import { createRedactor as createPhoneRedactor } from '../phone/redact.js';
import type { Io } from '../types.js';

export interface RedactOptions {
  /** Also mask IPv4 and IPv6 addresses (--redact-ip). */
  ip: boolean;
  /** Region national phone numbers are read in (as `audit phone --region`). */
  region: string;
}

export type Redact = (text: string) => string;

// Linear: each class is followed by a character it does not contain, and every repetition is bounded.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+/g;
// Address candidates: one run of hex digits, dots and colons, checked with node:net (no regex validation).
const ADDRESS = /[0-9A-Fa-f.:]{7,}/g;
const DIGIT = /\d/;

// Masks keep the length of what they hide, so that the columns of the summary tables (laid out before masking) stay
// aligned.

/** 'alice@example.com' -> 'a****@example.com': the domain stays (it says which service), the person does not. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return email[0] + '*'.repeat(at - 1) + email.slice(at);
}

const HEX_DIGIT = /[0-9A-Fa-f]/g;

/** '203.0.113.45' -> '203.0.***.**', '2001:db8:85a3::7334' -> '2001:db8:****::****': the network, not the host. */
export function maskAddress(ip: string): string {
  if (isIPv4(ip)) {
    const parts = ip.split('.');
    return `${parts[0]}.${parts[1]}.${'*'.repeat(parts[2]!.length)}.${'*'.repeat(parts[3]!.length)}`;
  }
  // The first two groups (a /32, the provider) stay when they are written out in full; the rest is starred.
  const m = /^([0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:)(.*)$/.exec(ip);
  return m === null ? ip.replace(HEX_DIGIT, '*') : m[1] + m[2]!.replace(HEX_DIGIT, '*');
}

/** Masks one address-looking token, or returns it as it is: `1.2.3.4:22` (address and port) is understood too. */
function maskToken(token: string): string {
  let t = token;
  while (t.endsWith('.') || t.endsWith(':')) t = t.slice(0, -1); // end of a sentence, `from 1.2.3.4:`
  const rest = token.slice(t.length);
  if (!DIGIT.test(t)) return token; // `std::` and hex words are no address
  if (isIPv4(t) || isIPv6(t)) return maskAddress(t) + rest;
  const colon = t.lastIndexOf(':');
  if (colon > 0 && isIPv4(t.slice(0, colon))) return maskAddress(t.slice(0, colon)) + t.slice(colon) + rest;
  return token;
}

/** The masking function for the options: cheap checks first, the phone finder only on text with digits. */
export function createRedact(opts: RedactOptions): Redact {
  const phones = createPhoneRedactor(null, opts.region);
  return (text) => {
    let out = text.includes('@') ? text.replace(EMAIL, maskEmail) : text;
    if (!DIGIT.test(out)) return out;
    if (opts.ip) out = out.replace(ADDRESS, maskToken);
    return phones(out);
  };
}

/**
 * A writable that masks each chunk and passes it on. Chunks are not buffered into lines: every writer in `audit`
 * writes whole lines or blocks (NDJSON batches, event blocks, the summary), so a value is never split across two.
 * An error of the target (EPIPE) becomes an error of this stream, where the commands listen for it.
 */
export function redactingStream(target: NodeJS.WritableStream, redact: Redact): Writable {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _enc, done): void {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      target.write(redact(text));
      done();
    },
  });
  target.on('error', (err: Error) => stream.destroy(err));
  return stream;
}

/** The same Io with stdout and stderr masked. */
export function redactIo(io: Io, opts: RedactOptions): Io {
  const redact = createRedact(opts);
  return { ...io, out: redactingStream(io.out, redact), err: redactingStream(io.err, redact) };
}
