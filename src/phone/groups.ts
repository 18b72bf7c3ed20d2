// Splits a line into digit groups (runs of digits and mask stars) and records how they are joined, decoding URL
// escapes on the way; the one tokenizer behind the matcher and the scanner, so that both draw the same boundaries.
//
// Words: a number is never read inside a longer token. The neighbours of a match (after percent-decoding) must not
// be an ASCII letter, digit, '_' (identifiers: uid13888888888, req_13888888888) or a full-width letter or digit.
// A '.' next to a letter or digit on its far side is part of the token too (0.13888888888, 10.1.138.88,
// 13888888888.50), and so is a '-' next to a letter or '_' (req-13888888888, ORD-13888888888-A); a '-' between digit
// groups is a phone separator. Other non-ASCII characters are boundaries: Chinese text runs numbers into the words
// around them (手机号13888888888注册).
//
// Joining: groups separated by at most MAX_SEPARATORS of ' ', '-', '(', ')', '+' (a form-encoded space) or their
// %20 %2D %28 %29 %2B escapes belong to one run, and a number may span them: +86 (138) 8888-8888, +86%20138%208888.
// A '+' (or %2B) is a plus sign when nothing word-like precedes it and a digit follows, perhaps after '(':
// 'tel=+86…', '+(86)…'; after a letter or digit it is a form-encoded space ('sent+to+13888888888').
// Dots, slashes, tabs and everything else end a run.

const MAX_SEPARATORS = 3;

const PLUS = 0x2b;
const STAR = 0x2a;
const PERCENT = 0x25;
const DOT = 0x2e;
const HYPHEN = 0x2d;
const LPAREN = 0x28;

/** The groups of one line, in reusable typed arrays: tokenizing allocates nothing once they have grown. */
export class DigitGroups {
  count = 0;
  /** Digits and stars in the longest run of joined groups: a line whose longest run is short holds no number. */
  longestRun = 0;
  /** Offset of the first digit or star. */
  start = new Int32Array(32);
  /** Offset after the last digit or star. */
  end = new Int32Array(32);
  /** Offset of the '+' or '%2B' that is this group's plus sign, or -1. */
  plus = new Int32Array(32);
  /** 1 when only separators stand between this group and the previous one. */
  joined = new Uint8Array(32);
  /** 1 when the group contains a '*'. */
  starred = new Uint8Array(32);

  push(start: number, end: number, plus: number, joined: boolean, starred: boolean): void {
    if (this.count === this.start.length) this.grow();
    const i = this.count++;
    this.start[i] = start;
    this.end[i] = end;
    this.plus[i] = plus;
    this.joined[i] = joined ? 1 : 0;
    this.starred[i] = starred ? 1 : 0;
  }

  private grow(): void {
    const size = this.start.length * 2;
    const widen = <T extends Int32Array | Uint8Array>(from: T, to: T): T => (to.set(from), to);
    this.start = widen(this.start, new Int32Array(size));
    this.end = widen(this.end, new Int32Array(size));
    this.plus = widen(this.plus, new Int32Array(size));
    this.joined = widen(this.joined, new Uint8Array(size));
    this.starred = widen(this.starred, new Uint8Array(size));
  }
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

function isLetter(c: number): boolean {
  const l = c | 0x20;
  return (l >= 0x61 && l <= 0x7a) || c === 0x5f || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a);
}

/** ASCII or full-width letter, digit or '_'. */
function isWord(c: number): boolean {
  return isDigit(c) || isLetter(c) || (c >= 0xff10 && c <= 0xff19);
}

function isSeparator(c: number): boolean {
  return c === 0x20 || c === HYPHEN || c === LPAREN || c === 0x29 || c === PLUS;
}

/** Width of the unit at `i`: 3 for a %XX escape, else 1. */
function unitWidth(line: string, i: number): number {
  return line.charCodeAt(i) === PERCENT && isHex(line.charCodeAt(i + 1)) && isHex(line.charCodeAt(i + 2)) ? 3 : 1;
}

/** The character of the unit at `i`, %XX decoded; NaN past the end. */
function unitAt(line: string, i: number, width: number): number {
  return width === 3 ? hexValue(line.charCodeAt(i + 1)) * 16 + hexValue(line.charCodeAt(i + 2)) : line.charCodeAt(i);
}

/** Offset of the unit that ends at `end` (a %XX escape when one ends there), or -1 at the start of the line. */
function unitBefore(line: string, end: number): number {
  if (end <= 0) return -1;
  return end >= 3 && unitWidth(line, end - 3) === 3 ? end - 3 : end - 1;
}

/** True when a match may start at `start`: what precedes it is not part of a longer token. */
export function boundaryBefore(line: string, start: number): boolean {
  const p = unitBefore(line, start);
  if (p < 0) return true;
  const c = unitAt(line, p, start - p);
  if (isWord(c)) return false;
  if (c !== DOT && c !== HYPHEN) return true;
  const q = unitBefore(line, p);
  if (q < 0) return true;
  const far = unitAt(line, q, p - q);
  return c === DOT ? !isWord(far) : !isLetter(far);
}

/** True when a match may end at `end`: what follows it is not part of a longer token. */
export function boundaryAfter(line: string, end: number): boolean {
  if (end >= line.length) return true;
  const w = unitWidth(line, end);
  const c = unitAt(line, end, w);
  if (isWord(c)) return false;
  if (c !== DOT && c !== HYPHEN) return true;
  const next = end + w;
  if (next >= line.length) return true;
  const far = unitAt(line, next, unitWidth(line, next));
  return c === DOT ? !isWord(far) : !isLetter(far);
}

/**
 * Length of the plus sign at `i` ('+', '%2B', either followed by '(' or '%28'), or 0 when the unit there is not a
 * plus sign.
 */
function plusSignWidth(line: string, i: number, width: number): number {
  if (unitAt(line, i, width) !== PLUS || !boundaryBefore(line, i)) return 0;
  let next = i + width;
  const w = unitWidth(line, next);
  if (unitAt(line, next, w) === LPAREN) next += w;
  return isDigit(line.charCodeAt(next)) ? next - i : 0;
}

/**
 * Where a match of groups `first`..`last` written without a plus sign starts: at the '(' of an area code in
 * parentheses ('(415) 555-2671'), else at its first digit.
 */
export function matchStart(line: string, groups: DigitGroups, first: number, last: number): number {
  const s = groups.start[first]!;
  const closed = last > first && line.charCodeAt(groups.end[first]!) === 0x29;
  return closed && s > 0 && line.charCodeAt(s - 1) === LPAREN ? s - 1 : s;
}

/**
 * True when group `i` follows a calling code in the same run ('+44 138 8888 8888', '0044 138…'): the digits from
 * there on are another country's national number, not a number of the default region.
 */
export function afterCallingCode(line: string, groups: DigitGroups, i: number): boolean {
  if (i === 0 || groups.joined[i] === 0) return false;
  const s = groups.start[i - 1]!;
  const length = groups.end[i - 1]! - s;
  if (groups.plus[i - 1]! >= 0) return length <= 3;
  return length >= 3 && length <= 5 && line.charCodeAt(s) === 0x30 && line.charCodeAt(s + 1) === 0x30;
}

/**
 * Fills `into` with the digit groups of `line`. Linear: every character is looked at a bounded number of times, and
 * the common characters (letters, punctuation) cost two comparisons.
 */
export function tokenize(line: string, into: DigitGroups): void {
  into.count = 0;
  into.longestRun = 0;
  let joinable = false; // a group ended and only separators followed it
  let separators = 0;
  let plus = -1;
  let run = 0; // digits and stars in the current run
  const n = line.length;
  for (let i = 0; i < n; ) {
    const c = line.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || c === STAR) {
      let e = i + 1;
      let starred = c === STAR;
      for (let d = line.charCodeAt(e); e < n && (isDigit(d) || d === STAR); d = line.charCodeAt(++e)) {
        if (d === STAR) starred = true;
      }
      const joined = joinable && plus < 0;
      run = (joined ? run : 0) + e - i;
      if (run > into.longestRun) into.longestRun = run;
      into.push(i, e, plus, joined, starred);
      joinable = true;
      separators = 0;
      plus = -1;
      i = e;
    } else if (c === PLUS || c === PERCENT) {
      const width = unitWidth(line, i);
      const sign = plusSignWidth(line, i, width);
      if (sign > 0) {
        plus = i;
        joinable = false;
        i += sign;
      } else {
        if (!isSeparator(unitAt(line, i, width)) || ++separators > MAX_SEPARATORS) {
          joinable = false;
          plus = -1;
        }
        i += width;
      }
    } else {
      if (!isSeparator(c) || ++separators > MAX_SEPARATORS) {
        joinable = false;
        plus = -1;
      }
      i++;
    }
  }
}
