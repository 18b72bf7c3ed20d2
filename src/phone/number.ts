// Reads the phone number a user asked about (`audit phone <number>`) into the forms the matcher needs, or says
// precisely why it cannot be a mobile number: too short, too long, invalid, or which other kind of number it is.
import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { PhoneNumber, PhoneNumberType } from 'libphonenumber-js/max';
import { UsageError } from '../errors.js';
import { clip } from '../text/sanitize.js';
import { maskPhone } from './mask.js';
import { isMobileType } from './mobile.js';
import { dialingPlan, dialingPlanForCallingCode, requireDialingPlan, type DialingPlan } from './plan.js';

export interface PhoneTarget {
  /** '+8613888888888' */
  e164: string;
  /** The national significant number, without trunk prefix: '13888888888'. */
  national: string;
  /** Calling code without '+': '86'. */
  countryCode: string;
  /** '138****8888' */
  masked: string;
}

export const DEFAULT_REGION = 'CN';

// What a user may type around the digits: separators, a leading '+', parentheses.
const FOREIGN = /[^0-9+\-.() ]/;
const DIGIT = /[0-9]/;
const NON_DIGITS = /[^0-9]+/g;

/**
 * Parses and validates `input` as a mobile number; national numbers are read in `region` (ISO 3166, default CN).
 * Full-width digits and URL escapes are accepted. Throws UsageError with the reason.
 */
export function parseTarget(input: string, region: string = DEFAULT_REGION): PhoneTarget {
  const home = requireDialingPlan(region);
  const text = normalize(input);
  const shown = `phone number "${clip(input.trim(), 40)}"`;
  checkCharacters(text, shown);
  const number = parsePhoneNumberFromString(text, home.region);
  const plan = planOf(text, number, home);
  // A valid number of another kind is named for what it is (02088888888 is a fixed line, not "too short").
  if (number === undefined || !number.isValid()) {
    checkLength(text, number, plan, shown);
    throw new UsageError(`${shown} is not a valid ${plan.region} number`, { hint: exampleHint(plan) });
  }
  const type = number.getType();
  if (!isMobileType(type)) {
    throw new UsageError(`${shown} is not a mobile number: it is ${describeType(type)} in ${plan.region}`, {
      hint: exampleHint(plan),
    });
  }
  const national = copy(number.nationalNumber);
  const countryCode = copy(number.countryCallingCode);
  return { e164: copy(number.number), national, countryCode, masked: maskPhone(national) };
}

function normalize(input: string): string {
  // NFKC turns full-width digits and '＋' into ASCII, as typed by a Chinese input method.
  const text = input.normalize('NFKC').trim();
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text).trim();
  } catch {
    return text; // not an escape after all: the character check below names the '%'
  }
}

function checkCharacters(text: string, shown: string): void {
  if (text === '') throw new UsageError('no phone number given', { hint: 'for example: audit phone 13888888888' });
  const foreign = FOREIGN.exec(text);
  if (foreign !== null) {
    throw new UsageError(`${shown} is not a phone number: it contains "${clip(foreign[0], 4)}"`, {
      hint: 'write digits, optionally with a leading + and the country code, spaces or hyphens',
    });
  }
  const firstDigit = text.search(DIGIT);
  if (firstDigit < 0) throw new UsageError(`${shown} is not a phone number: it has no digits`);
  if (text.lastIndexOf('+') > firstDigit) {
    throw new UsageError(`${shown} is not a phone number: "+" may only come before the country code`);
  }
}

/** The plan of the number's country when it is written with a calling code, else the region's. */
function planOf(text: string, number: PhoneNumber | undefined, home: DialingPlan): DialingPlan {
  if (number !== undefined) {
    const own = number.country !== undefined ? dialingPlan(number.country) : null;
    return own ?? dialingPlanForCallingCode(number.countryCallingCode) ?? home;
  }
  // Unparsable: find the calling code by hand so that "too long" names the right country.
  const plus = text.indexOf('+');
  if (plus < 0) return home;
  const digits = text.slice(plus).replace(NON_DIGITS, '');
  for (let length = 1; length <= 3 && length <= digits.length; length++) {
    const plan = dialingPlanForCallingCode(digits.slice(0, length));
    if (plan !== null) return plan;
  }
  return home;
}

function checkLength(text: string, number: PhoneNumber | undefined, plan: DialingPlan, shown: string): void {
  const verdict = validatePhoneNumberLength(text, plan.region);
  if (verdict === 'INVALID_COUNTRY') {
    throw new UsageError(`${shown} has an unknown country calling code`, {
      hint: 'write the country code after "+" (+86 for China), or leave it out and use --region',
    });
  }
  if (verdict === 'NOT_A_NUMBER') throw new UsageError(`${shown} is not a phone number`);
  const lengths = plan.mobileLengths;
  const length = number?.nationalNumber.length;
  const tooShort = verdict === 'TOO_SHORT' || (length !== undefined && length < Math.min(...lengths));
  const tooLong = verdict === 'TOO_LONG' || (length !== undefined && length > Math.max(...lengths));
  const expected = `a ${plan.region} mobile number has ${listLengths(lengths)} digits`;
  if (tooShort) throw new UsageError(`${shown} is too short: ${expected}`, { hint: exampleHint(plan) });
  if (tooLong) throw new UsageError(`${shown} is too long: ${expected}`, { hint: exampleHint(plan) });
  if (verdict === 'INVALID_LENGTH' || (length !== undefined && !lengths.includes(length))) {
    const digits = length ?? 'a wrong number of';
    throw new UsageError(`${shown} has ${digits} digits: ${expected}`, { hint: exampleHint(plan) });
  }
}

function listLengths(lengths: readonly number[]): string {
  if (lengths.length <= 1) return String(lengths[0] ?? '?');
  return `${lengths.slice(0, -1).join(', ')} or ${lengths[lengths.length - 1]}`;
}

function exampleHint(plan: DialingPlan): string | undefined {
  return plan.example === '' ? undefined : `a ${plan.region} mobile number looks like ${plan.example}`;
}

function describeType(type: PhoneNumberType | undefined): string {
  switch (type) {
    case 'FIXED_LINE': return 'a fixed-line number';
    case 'TOLL_FREE': return 'a toll-free number';
    case 'PREMIUM_RATE': return 'a premium-rate number';
    case 'SHARED_COST': return 'a shared-cost number';
    case 'VOIP': return 'a VoIP number';
    case 'PERSONAL_NUMBER': return 'a personal number';
    case 'PAGER': return 'a pager number';
    case 'UAN': return 'a universal access number';
    case 'VOICEMAIL': return 'a voicemail access number';
    case 'MOBILE':
    case 'FIXED_LINE_OR_MOBILE': return 'a mobile number';
    case undefined: return 'a number of unknown type';
  }
}

// libphonenumber-js builds its strings from the input; copy so a target never pins an argv string or a log line.
function copy(s: string): string {
  return (' ' + s).slice(1);
}
