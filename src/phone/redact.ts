// Masking for output: a number shown masked (138****8888, +44 791***3456 for another country), and --redact, which
// masks every phone number in a text taken from a log except the one asked about.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { maskPhone } from './mask.js';
import { requireDialingPlan } from './plan.js';
import { findPhoneNumbers } from './scan.js';

export type Redactor = (text: string) => string;

/**
 * `e164` masked as people of `region` read it: the national form for the region's own numbers (138****8888), with
 * the calling code for the others (+44 791***3456).
 */
export function maskNumber(e164: string, region: string): string {
  const home = requireDialingPlan(region).countryCode;
  const cc = parsePhoneNumberFromString(e164)?.countryCallingCode ?? home;
  return cc === home ? maskPhone(e164) : `+${cc} ${maskPhone(e164)}`;
}

/**
 * A function that masks every valid mobile number in a text (national numbers read in `region`) except `keep`
 * (E.164; null masks all). Text without a number to mask comes back as it is, the same string.
 */
export function createRedactor(keep: string | null, region: string): Redactor {
  return (text) => {
    const found = findPhoneNumbers(text, region);
    let out = '';
    let at = 0;
    for (const f of found) {
      if (f.e164 === keep) continue;
      out += text.slice(at, f.start) + maskNumber(f.e164, region);
      at = f.end;
    }
    return at === 0 ? text : out + text.slice(at);
  };
}
