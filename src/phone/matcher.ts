// Finds every written form of one phone number in a line: national, +CC, CC, 00CC, the trunk prefix where people
// write it, any grouping by spaces, hyphens or parentheses, URL-encoded, and masked (138****8888).
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterCallingCode, boundaryAfter, boundaryBefore, DigitGroups, matchStart, tokenize } from './groups.js';
import type { PhoneTarget } from './number.js';
import { dialingPlanForCallingCode } from './plan.js';

export interface PhoneMatch {
  start: number;
  end: number;
  text: string;
  kind: 'exact' | 'masked';
}

/** One way of writing the target: the digits from the first group on, and how they may be split. */
interface Form {
  digits: string;
  /** Written after a plus sign ('+86…'); otherwise no plus sign may precede it. */
  plus: boolean;
  /** No group boundary inside the first `attached` digits: '8613888888888' is the number, '86 13888888888' is not. */
  attached: number;
  /** Where the national number starts in `digits`; masks must fall inside it. */
  national: number;
}

const STAR = 0x2a;
// A mask must leave this much visible to name one number rather than thousands: 138****8888 shows 7, 138******88 5.
const MIN_VISIBLE = 5;
const MIN_VISIBLE_EDGE = 2;

const NON_DIGITS = /[^0-9]+/;

const groups = new DigitGroups();

/**
 * Compiles a matcher for one number, once. The returned function never throws, returns matches left to right,
 * never overlapping, each the longest form found at its start, with `text` a slice of the line.
 */
export function createMatcher(t: PhoneTarget): (line: string) => PhoneMatch[] {
  const forms = formsOf(t);
  const plusForms = forms.filter((f) => f.plus);
  const bareForms = forms.filter((f) => !f.plus);
  const tail = t.national.slice(-tailLength(t));
  const last2 = t.national.slice(-2);
  return (line) => {
    // Literal prefilter: an exact form contains the tail; a masked one shows a '*' and at least the last 2 digits.
    if (!line.includes(tail) && !(line.includes('*') && line.includes(last2))) return [];
    tokenize(line, groups);
    if (groups.longestRun < t.national.length) return [];
    const found: PhoneMatch[] = [];
    for (let i = 0; i < groups.count; ) {
      const plus = groups.plus[i]!;
      const m = matchAt(line, i, plus >= 0 ? plusForms : bareForms);
      if (m < 0) {
        i++;
        continue;
      }
      const last = m >> 1;
      const start = plus >= 0 ? plus : matchStart(line, groups, i, last);
      const end = groups.end[last]!;
      found.push({ start, end, text: line.slice(start, end), kind: (m & 1) === 1 ? 'masked' : 'exact' });
      i = last + 1;
    }
    return found;
  };
}

/** (last group × 2 + masked) of the longest form that matches from group `i`, or -1. */
function matchAt(line: string, i: number, forms: readonly Form[]): number {
  if (groups.plus[i]! < 0 && (!boundaryBefore(line, groups.start[i]!) || afterCallingCode(line, groups, i))) return -1;
  for (const form of forms) {
    const m = matchForm(line, i, form);
    if (m >= 0 && boundaryAfter(line, groups.end[m >> 1]!)) return m;
  }
  return -1;
}

/** Compares the groups from `i` on with `form`; (last group × 2 + masked), or -1. */
function matchForm(line: string, i: number, form: Form): number {
  const digits = form.digits;
  let g = i;
  let p = groups.start[g]!;
  let e = groups.end[g]!;
  let firstStar = -1;
  let stars = 0;
  for (let k = 0; k < digits.length; k++, p++) {
    if (p === e) {
      if (k < form.attached || ++g >= groups.count || groups.joined[g] === 0) return -1;
      p = groups.start[g]!;
      e = groups.end[g]!;
    }
    const c = line.charCodeAt(p);
    if (c === STAR) {
      if (stars === 0) firstStar = k;
      else if (firstStar + stars !== k) return -1; // one run of stars only
      stars++;
    } else if (c !== digits.charCodeAt(k)) {
      return -1;
    }
  }
  if (p !== e) return -1; // the group goes on: a longer number
  if (stars === 0) return g * 2;
  return maskFits(form, firstStar, stars) ? g * 2 + 1 : -1;
}

function maskFits(form: Form, firstStar: number, stars: number): boolean {
  const head = firstStar - form.national;
  const tail = form.digits.length - firstStar - stars;
  const visible = form.digits.length - form.national - stars;
  return head >= MIN_VISIBLE_EDGE && tail >= MIN_VISIBLE_EDGE && visible >= MIN_VISIBLE;
}

/** Every way of writing the target, longest first so that the first form that matches is the longest. */
function formsOf(t: PhoneTarget): Form[] {
  const plan = dialingPlanForCallingCode(t.countryCode);
  const cc = t.countryCode;
  const n = t.national;
  const trunk = plan !== null && plan.prefixWritten ? plan.nationalPrefix : '';
  const nanp = trunk !== '' && trunk === cc; // +1: '1 415 555 2671' is both the trunk prefix and the calling code
  const forms: Form[] = [
    { digits: cc + n, plus: true, attached: 0, national: cc.length },
    { digits: '00' + cc + n, plus: false, attached: 0, national: cc.length + 2 },
    { digits: cc + n, plus: false, attached: nanp ? 0 : cc.length + 1, national: cc.length },
    { digits: n, plus: false, attached: 0, national: 0 },
  ];
  // '+44 (0)7911 123456': the trunk prefix kept after the calling code, common in the UK.
  if (trunk !== '' && !nanp) {
    forms.push({ digits: cc + trunk + n, plus: true, attached: 0, national: cc.length + trunk.length });
    forms.push({ digits: trunk + n, plus: false, attached: 0, national: trunk.length });
  }
  return forms.sort((a, b) => b.digits.length - a.digits.length);
}

/**
 * How many trailing digits the prefilter may look for: the last group of the number as it is usually written
 * (+86 138 8888 8888 → 4, +33 6 12 34 56 78 → 2), at most 4. A number written with its last 4 digits split
 * ('1388888 8 888') is missed; nobody groups a number that way.
 */
function tailLength(t: PhoneTarget): number {
  const parsed = parsePhoneNumberFromString(t.e164);
  let last = 4;
  for (const written of parsed === undefined ? [] : [parsed.formatNational(), parsed.formatInternational()]) {
    const parts = written.split(NON_DIGITS).filter((s) => s !== '');
    last = Math.min(last, parts[parts.length - 1]?.length ?? 4);
  }
  return Math.max(1, Math.min(last, t.national.length));
}
