// Finds every valid mobile number in a line, whichever it is, for ranking the numbers a log mentions. Same tokenizer
// and boundaries as the matcher; cheap length checks first, then libphonenumber-js (cached) on what is left.
import {
  afterCallingCode, boundaryAfter, boundaryBefore, DigitGroups, isDigit, matchStart, tokenize,
} from './groups.js';
import { mobileE164 } from './mobile.js';
import { DEFAULT_REGION } from './number.js';
import { requireDialingPlan, type DialingPlan } from './plan.js';

export interface FoundPhone {
  /** '+8613888888888'; not a slice of the line, safe to keep. */
  e164: string;
  start: number;
  end: number;
  /** The number as written: a slice of the line, copy it before keeping it. */
  text: string;
}

// No mobile number anywhere is shorter than 7 digits with its calling code (Tristan da Cunha: +290 8999), none
// longer than E.164's 15.
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;
// '+33 6 12 34 56 78' spans 6 groups; allow one more.
const MAX_GROUPS = 7;

const groups = new DigitGroups();
const ends = new Int32Array(MAX_GROUPS); // digits counted up to each group of the current candidate

interface RegionScan {
  plan: DialingPlan;
  /** Lengths of national candidates worth a library call: mobile lengths, with trunk prefix where it is written. */
  nationalLengths: ReadonlySet<number>;
  /** Matches every line that may hold a number of this scan (holdPattern): most lines that do not are turned away. */
  mayHold: RegExp;
}
const regions = new Map<string, RegionScan>();

/**
 * Every valid mobile number in `line`, left to right, not overlapping: numbers with a plus sign or 00 may be of any
 * country; numbers without are read in `region` (default CN). Throws UsageError only for an unknown region.
 */
export function findPhoneNumbers(line: string, region: string = DEFAULT_REGION): FoundPhone[] {
  const scan = regionScan(region);
  if (!hasDigits(line, MIN_DIGITS) || !scan.mayHold.test(line)) return [];
  return numbersIn(line, scan);
}

/** Whether `line` passes the pattern findPhoneNumbers turns lines away with (holdPattern). */
export function mayHoldNumber(line: string, region: string = DEFAULT_REGION): boolean {
  return regionScan(region).mayHold.test(line);
}

/** findPhoneNumbers without the pattern that turns lines away: the reference its test compares with. */
export function findPhoneNumbersUnfiltered(line: string, region: string = DEFAULT_REGION): FoundPhone[] {
  const scan = regionScan(region);
  return hasDigits(line, MIN_DIGITS) ? numbersIn(line, scan) : [];
}

function numbersIn(line: string, scan: RegionScan): FoundPhone[] {
  tokenize(line, groups);
  if (groups.longestRun < MIN_DIGITS) return [];
  const found: FoundPhone[] = [];
  for (let i = 0; i < groups.count; ) {
    const next = numberAt(line, i, scan, found);
    i = next > i ? next : i + 1;
  }
  return found;
}

function regionScan(region: string): RegionScan {
  let scan = regions.get(region);
  if (scan === undefined) {
    const plan = requireDialingPlan(region);
    const lengths = new Set(plan.mobileLengths);
    if (plan.prefixWritten) for (const l of plan.mobileLengths) lengths.add(l + plan.nationalPrefix.length);
    scan = { plan, nationalLengths: lengths, mayHold: holdPattern(shortestWithoutPlus(plan, lengths)) };
    regions.set(region, scan);
  }
  return scan;
}

/** Separator units that join digit groups into one run (groups.ts: at most MAX_SEPARATORS between two groups). */
const SEPARATOR = '(?:[ ()+-]|%2[0dDbB89])';

/**
 * A pattern every line with a number found by numberAt matches: a plus sign ('+' or '%2B', perhaps then '(' or '%28')
 * before at least MIN_DIGITS digits, or `shortest` digits, consecutive or with at most three separators between them
 * (a number's groups are joined that way, and no digit of a starred group is part of one). Most lines of a web or
 * system log have digits, but in short runs cut by dots, colons and slashes (addresses, stamps, versions), and are
 * turned away here at a fraction of the tokenizer's cost (a phones scan of an access log spent half its time tokenizing
 * lines without a number). Linear: digits and separators never overlap, so each start position tries each repetition
 * a bounded number of ways.
 */
function holdPattern(shortest: number): RegExp {
  const run = (digits: number): string => `\\d(?:${SEPARATOR}{0,3}\\d){${digits - 1}}`;
  return new RegExp(`(?:\\+|%2[bB])(?:\\(|%28)?${run(MIN_DIGITS)}|${run(shortest)}`);
}

/**
 * The fewest digits of a number written without a plus sign that candidate() accepts: 00 and a calling code (at least
 * MIN_DIGITS after the 00), a national number (with its trunk prefix where that is written), or the calling code
 * written against a mobile number.
 */
function shortestWithoutPlus(plan: DialingPlan, nationalLengths: ReadonlySet<number>): number {
  return Math.min(MIN_DIGITS + 2, ...nationalLengths, ...plan.mobileLengths.map((l) => l + plan.countryCode.length));
}

/** Cheapest test first: a line with fewer than `min` digits cannot hold a number. */
function hasDigits(line: string, min: number): boolean {
  let count = 0;
  for (let i = 0; i < line.length; i++) if (isDigit(line.charCodeAt(i)) && ++count >= min) return true;
  return false;
}

/** Looks for the longest number starting at group `i`; pushes it and returns the group after it, or -1. */
function numberAt(line: string, i: number, scan: RegionScan, found: FoundPhone[]): number {
  if (groups.starred[i] === 1) return -1;
  const plus = groups.plus[i]! >= 0;
  const start = plus ? groups.plus[i]! : groups.start[i]!;
  if (!plus && (!boundaryBefore(line, start) || afterCallingCode(line, groups, i))) return -1;
  let span = 0;
  let digits = 0;
  for (let g = i; g < groups.count && span < MAX_GROUPS; g++, span++) {
    if (g > i && (groups.joined[g] === 0 || groups.starred[g] === 1)) break;
    digits += groups.end[g]! - groups.start[g]!;
    if (digits > MAX_DIGITS + 2) break;
    ends[span] = digits;
  }
  for (let s = span - 1; s >= 0; s--) {
    const last = i + s;
    if (!boundaryAfter(line, groups.end[last]!)) continue;
    const e164 = candidate(line, i, last, ends[s]!, plus, scan);
    if (e164 === null) continue;
    const from = plus ? start : matchStart(line, groups, i, last);
    found.push({ e164, start: from, end: groups.end[last]!, text: line.slice(from, groups.end[last]!) });
    return last + 1;
  }
  return -1;
}

/** The E.164 number that groups `first`..`last` (holding `count` digits) spell, when it is a mobile number. */
function candidate(
  line: string, first: number, last: number, count: number, plus: boolean, scan: RegionScan,
): string | null {
  const region = scan.plan.region;
  if (plus) return fitsE164(count) ? mobileE164('+' + digitsOf(line, first, last), region) : null;
  const s = groups.start[first]!;
  if (line.charCodeAt(s) === 0x30 && line.charCodeAt(s + 1) === 0x30) {
    // 00 + calling code: the international prefix of most of the world.
    return fitsE164(count - 2) ? mobileE164('+' + digitsOf(line, first, last).slice(2), region) : null;
  }
  if (scan.nationalLengths.has(count)) return mobileE164(digitsOf(line, first, last), region);
  return bareCallingCode(line, first, last, count, scan.plan);
}

function fitsE164(digits: number): boolean {
  return digits >= MIN_DIGITS && digits <= MAX_DIGITS;
}

/** '8613888888888': the region's own calling code without '+', written against the number (or NANP's '1 415…'). */
function bareCallingCode(line: string, first: number, last: number, count: number, plan: DialingPlan): string | null {
  const cc = plan.countryCode;
  if (!plan.mobileLengths.includes(count - cc.length)) return null;
  const s = groups.start[first]!;
  const nanp = plan.prefixWritten && plan.nationalPrefix === cc;
  if (!nanp && groups.end[first]! - s <= cc.length) return null;
  if (!line.startsWith(cc, s)) return null;
  return mobileE164('+' + digitsOf(line, first, last), plan.region);
}

/** The digits of groups `first`..`last`, built character by character: a fresh string, not a slice of the line. */
function digitsOf(line: string, first: number, last: number): string {
  let digits = '';
  for (let g = first; g <= last; g++) {
    for (let p = groups.start[g]!; p < groups.end[g]!; p++) digits += line[p];
  }
  return digits;
}
