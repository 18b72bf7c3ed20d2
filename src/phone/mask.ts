// Masks a phone number for display, the way Chinese services print them (138****8888): reports name a number
// without handing the whole of it to whoever reads the output.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Masks the national significant number: first 3 and last 4 digits shown when it has 9 or more digits
 * (13888888888 → 138****8888, +14155552671 → 415***2671), first 2 and last 2 for 6 to 8, nothing below.
 * Takes E.164 ('+8613888888888', the country code is dropped) or national digits; other characters are ignored.
 * Never throws: '' when there is no digit.
 */
export function maskPhone(e164OrNational: string): string {
  const digits = nationalDigits(e164OrNational.trim());
  const n = digits.length;
  const head = n >= 9 ? 3 : n >= 6 ? 2 : 0;
  const tail = n >= 9 ? 4 : n >= 6 ? 2 : 0;
  return digits.slice(0, head) + '*'.repeat(n - head - tail) + digits.slice(n - tail);
}

function nationalDigits(text: string): string {
  if (text.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(text);
    if (parsed !== undefined) return parsed.nationalNumber;
  }
  let digits = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits += text[i];
  }
  return digits;
}
