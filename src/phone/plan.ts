// What the matcher and the scanner need to know about one country's numbering, read once from libphonenumber-js.
// libphonenumber-js/max is the build used throughout src/phone/: only it can tell a fixed line from a mobile.
import { Metadata, getCountryCallingCode, getExampleNumber, isSupportedCountry } from 'libphonenumber-js/max';
import type { CountryCode, NumberingPlan } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/max/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import { UsageError } from '../errors.js';
import { clip } from '../text/sanitize.js';

export interface DialingPlan {
  region: CountryCode;
  /** Calling code without '+': '86'. */
  countryCode: string;
  /** Lengths of the national significant number of a mobile number: [11] for CN, [10] for GB and US. */
  mobileLengths: readonly number[];
  /** Trunk prefix dialled at home: '0' (CN, GB), '1' (US), '' when none. */
  nationalPrefix: string;
  /**
   * Whether people write the trunk prefix before a mobile number at home: 07911 123456 (GB), 1 415 555 2671 (NANP,
   * where it is also the calling code). Not in CN, where 013888888888 is not how anyone writes a mobile number.
   */
  prefixWritten: boolean;
  /** A mobile number of this country, national format, for hints: '131 2345 6789'. */
  example: string;
}

// Parts of the numbering plan that libphonenumber-js has at run time but leaves out of its type declarations;
// optional so that a future version without them degrades to the general lengths and no prefix.
interface PlanInternals {
  type?(type: 'MOBILE'): { possibleLengths(): number[] | undefined } | undefined;
  nationalPrefix?(): string | undefined;
}

const plans = new Map<string, DialingPlan | null>();

/** The plan of an ISO 3166 region ('CN', case-insensitive), or null when libphonenumber-js does not know it. */
export function dialingPlan(region: string): DialingPlan | null {
  const key = region.toUpperCase();
  let plan = plans.get(key);
  if (plan === undefined) {
    plan = isSupportedCountry(key) ? readPlan(key) : null;
    plans.set(key, plan);
  }
  return plan;
}

/** dialingPlan(), or the UsageError a user sees for a region libphonenumber-js does not know. */
export function requireDialingPlan(region: string): DialingPlan {
  const plan = dialingPlan(region);
  if (plan !== null) return plan;
  throw new UsageError(`unknown region "${clip(region, 20)}"`, {
    hint: 'give a two-letter ISO 3166 country code, such as CN, US or GB',
  });
}

/** The plan of the main country of a calling code ('1' → US, '44' → GB), or null for an unknown code. */
export function dialingPlanForCallingCode(countryCode: string): DialingPlan | null {
  const countries = metadata.country_calling_codes[countryCode];
  return countries === undefined || countries[0] === undefined ? null : dialingPlan(countries[0]);
}

function readPlan(region: CountryCode): DialingPlan {
  const meta = new Metadata();
  meta.selectNumberingPlan(region);
  const numbering = meta.numberingPlan as (NumberingPlan & PlanInternals) | undefined;
  const general = numbering?.possibleLengths() ?? [];
  const mobile = numbering?.type?.('MOBILE')?.possibleLengths() ?? general;
  const nationalPrefix = numbering?.nationalPrefix?.() || '';
  const countryCode = getCountryCallingCode(region);
  const sample = getExampleNumber(region, examples);
  const example = sample === undefined ? '' : sample.formatNational();
  const prefixWritten =
    nationalPrefix !== '' && (nationalPrefix === countryCode || example.startsWith(nationalPrefix));
  return { region, countryCode, mobileLengths: [...mobile], nationalPrefix, prefixWritten, example };
}
