// Decides whether a candidate digit string is a valid mobile number, through libphonenumber-js/max, with a cache:
// the same numbers come back line after line, and one library call costs 6-10 µs.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumberType } from 'libphonenumber-js/max';

/**
 * MOBILE, or FIXED_LINE_OR_MOBILE where the numbering plan cannot tell the two apart (the whole of NANP: a US
 * number is never reported as MOBILE).
 */
export function isMobileType(type: PhoneNumberType | undefined): boolean {
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
}

// Bounded by clearing: simpler than an LRU, and a log that cycles through more than this many distinct candidates
// only loses the speed-up, never correctness.
const CACHE_MAX = 16_384;
const cache = new Map<string, string | null>();

/**
 * The E.164 form of `candidate` when it is a valid mobile number, else null. `candidate` is '+' and digits, or
 * national digits read in `region`. Keep `candidate` free of slices of a log line: it becomes a cache key.
 */
export function mobileE164(candidate: string, region: CountryCode): string | null {
  const key = candidate.charCodeAt(0) === 0x2b ? candidate : region + candidate;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const number = parsePhoneNumberFromString(candidate, region);
  // With full metadata getType() is undefined exactly when isValid() is false: one type test instead of two.
  const e164 = number !== undefined && isMobileType(number.getType()) ? number.number : null;
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, e164);
  return e164;
}
