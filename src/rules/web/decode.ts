// Normalises an HTTP request target (or header) as written in an access log into the text web signatures read:
// nginx/Apache backslash escapes, '+' in the query, %-encoding up to 3 rounds (double and triple encoding),
// overlong UTF-8 and %uHHHH forms, HTML entities, SQL comment markers, then lowercase. Never throws.

// Anything that could need decoding, or uppercase: when absent the value is returned as it is (no allocation).
const NEEDS_WORK = /[%\\+&A-Z*]/;
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,8}));?/g;
// Comment openers (with MySQL's `/*!50000` version marker) and closers become a space: `union/**/select`.
const SQL_COMMENT = /\/\*!?\d{0,6}|\*\//g;
const MAX_ROUNDS = 3;
const PLUS = /\+/g;

const NAMED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"], ['amp', '&'], ['sol', '/'], ['bsol', '\\'],
  ['colon', ':'], ['semi', ';'], ['lpar', '('], ['rpar', ')'], ['equals', '='], ['period', '.'], ['comma', ','],
  ['tab', ' '], ['newline', ' '], ['grave', '`'], ['lcub', '{'], ['rcub', '}'], ['lsqb', '['], ['rsqb', ']'],
  ['dollar', '$'], ['excl', '!'], ['quest', '?'], ['num', '#'], ['percnt', '%'], ['plus', '+'], ['vert', '|'],
]);

// Whether ENTITY's replace can change anything: a `&#`, or a known name (NAMED) as the whole run of letters after a
// `&` (ENTITY reads up to 8 letters and the names have at most 7, so a longer run is no name). Query strings are full
// of `&page=` and `&utm_source=`, which ENTITY matches and gives back as they are, one callback each: this one test
// spares those values the replace. It may say yes where the replace changes nothing, never no where it would.
const MAY_BE_ENTITY = new RegExp(`&(?:#|(?:${[...NAMED.keys()].join('|')})(?![A-Za-z]))`, 'i');

/** The decoded, lowercased form of `value` that web signatures match. */
export function decodeWeb(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  let t = value;
  if (t.includes('\\')) t = unescapeBackslashes(t);
  const q = t.indexOf('?');
  if (q >= 0 && t.includes('+', q)) t = t.slice(0, q) + t.slice(q).replace(PLUS, ' ');
  for (let round = 0; round < MAX_ROUNDS && t.includes('%'); round++) {
    const d = percentRound(t);
    if (d === t) break;
    t = d;
  }
  if (t.includes('&') && MAY_BE_ENTITY.test(t)) t = t.replace(ENTITY, entity);
  if (t.includes('/*') || t.includes('*/')) t = t.replace(SQL_COMMENT, ' ');
  return t.toLowerCase();
}

/** The value of the n hex digits at s[i], or -1 (a character code compared, not a one-character string tested). */
function hexAt(s: string, i: number, n: number): number {
  if (i + n > s.length) return -1;
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = hexDigit(s.charCodeAt(k));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20; // 'A'-'F' -> 'a'-'f'; no other code lands there
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** nginx writes `\xHH` for bytes it escapes; Apache writes `\"` and `\\` too. */
function unescapeBackslashes(s: string): string {
  let out = '';
  let from = 0;
  for (let i = s.indexOf('\\'); i >= 0 && i < s.length - 1; i = s.indexOf('\\', i)) {
    const next = s.charCodeAt(i + 1);
    let ch: string | null = null;
    let len = 2;
    if (next === 0x78 /* x */) {
      const v = hexAt(s, i + 2, 2);
      if (v >= 0) {
        ch = String.fromCharCode(v);
        len = 4;
      }
    } else if (next === 0x22 /* " */ || next === 0x5c /* \ */) {
      ch = s[i + 1]!;
    }
    if (ch === null) {
      i++;
      continue;
    }
    out += s.slice(from, i) + ch;
    i += len;
    from = i;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** What percentDecode decodes and unescape() does not: `%U` (unescape knows only `%u`) and overlong `%c0`/`%c1`. */
const NOT_AS_UNESCAPE = /%(?:U|[cC][01])/;

/**
 * One round of %-decoding: the language's own unescape() (Annex B) where it decodes exactly as percentDecode (`%XX`
 * to the character XX, `%uXXXX` to XXXX, a malformed escape left as written), percentDecode where the value holds
 * what only percentDecode decodes. unescape() runs in V8's native code: ~4x faster on a scanner's long query of
 * escapes (a 6,800-character one: 75 -> 20 µs), one flat string instead of a rope of thousands of pieces.
 */
export function percentRound(s: string): string {
  return NOT_AS_UNESCAPE.test(s) ? percentDecode(s) : unescape(s);
}

/**
 * One round of %-decoding, byte by byte (bytes >= 0x80 become Latin-1 characters: signatures are ASCII). Overlong
 * two-byte UTF-8 (`%c0%af` = '/', `%c1%9c` = '\') and IIS `%uHHHH` are decoded too; malformed escapes stay as written.
 */
export function percentDecode(s: string): string {
  let out = '';
  let from = 0;
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i)) {
    let code = hexAt(s, i + 1, 2);
    let len = 3;
    if (code < 0 && (s.charCodeAt(i + 1) | 0x20) === 0x75 /* u */) {
      code = hexAt(s, i + 2, 4);
      len = 6;
    } else if ((code === 0xc0 || code === 0xc1) && s.charCodeAt(i + 3) === 0x25) {
      const cont = hexAt(s, i + 4, 2);
      if (cont >= 0x80 && cont <= 0xbf) {
        code = ((code & 1) << 6) | (cont & 0x3f);
        len = 6;
      }
    }
    if (code < 0) {
      i++;
      continue;
    }
    out += s.slice(from, i) + String.fromCharCode(code);
    i += len;
    from = i;
  }
  return from === 0 ? s : out + s.slice(from);
}

function entity(whole: string, dec: string | undefined, hex: string | undefined, name: string | undefined): string {
  if (dec !== undefined || hex !== undefined) {
    const code = dec !== undefined ? parseInt(dec, 10) : parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  }
  return NAMED.get(name!.toLowerCase()) ?? whole;
}
