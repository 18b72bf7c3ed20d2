// Which first characters a message can have for an anchored pattern to match it (`^(?:error: )?Received` needs `e`
// or `R`), so that a message's order of rules leaves the rule out (main-order.ts), and its literal scan too: a
// `Disconnected from` line meets none of the eleven sshd and pam rules that scan for their literals. Conservative by
// construction: whatever the reader does not understand may start with any character.

/** Table entries: 0-127 for ASCII first characters, OTHER for any other and for the empty message. */
export const OTHER = 128;
export const FIRST_CHARS = OTHER + 1;

type Chars = Uint8Array | null; // null: any character
interface Part {
  chars: Chars;
  /** It can match the empty text (then what follows it can come first). */
  nullable: boolean;
}

const ANY: Part = { chars: null, nullable: false };
const DIGITS = '0123456789';
const WORD = `${DIGITS}_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz`;

/**
 * 1 per first-character entry a match can start with, or null when it could be any: patterns not anchored by `^` in
 * every alternative, flags other than `g`/`y`/`d`/`s`, or a pattern that can match the empty message.
 */
export function firstCharsOf(re: RegExp): Uint8Array | null {
  if (/[imuv]/.test(re.flags)) return null;
  const reader = new Reader(re.source);
  const top = reader.alternation(true);
  if (reader.failed || reader.at !== re.source.length || top.nullable || top.chars === null) return null;
  top.chars[OTHER] = 1;
  return top.chars;
}

class Reader {
  at = 0;
  failed = false;
  /**
   * Past the first items of a sequence, whose characters are all that matter: the rest is only read through, with no
   * table built (null), to find where it ends and whether it fails.
   */
  private skipping = false;
  constructor(private readonly src: string) {}

  /** Alternatives up to `)` or the end; at the top, each must start with `^`. */
  alternation(top: boolean): Part {
    let chars: Chars = this.skipping ? null : new Uint8Array(FIRST_CHARS);
    let nullable = false;
    for (;;) {
      if (top && this.src[this.at++] !== '^') this.failed = true;
      const seq = this.sequence();
      chars = union(chars, seq.chars);
      nullable ||= seq.nullable;
      if (this.src[this.at] !== '|' || this.failed) return { chars, nullable };
      this.at++;
    }
  }

  /** Items up to `|`, `)` or the end: the first ones, while those before them can match nothing. */
  private sequence(): Part {
    const skipping = this.skipping;
    let chars: Chars = skipping ? null : new Uint8Array(FIRST_CHARS);
    let open = true; // every item so far can match the empty text
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')' && !this.failed) {
      const item = this.quantified(this.atom());
      if (open) chars = union(chars, item.chars);
      open &&= item.nullable;
      this.skipping = skipping || !open;
    }
    this.skipping = skipping;
    return { chars, nullable: open };
  }

  private quantified(p: Part): Part {
    const c = this.src[this.at];
    let optional = false;
    if (c === '?' || c === '*') {
      optional = true;
      this.at++;
    } else if (c === '+') this.at++;
    else if (c === '{') {
      const m = /^\{(\d+)(?:,\d*)?\}/.exec(this.src.slice(this.at));
      if (m === null) return ANY; // a literal `{`, read as such by atom() next time: any is still safe
      optional = Number(m[1]) === 0;
      this.at += m[0].length;
    } else return p;
    if (this.src[this.at] === '?') this.at++; // lazy
    return optional ? { chars: p.chars, nullable: true } : p;
  }

  private atom(): Part {
    const c = this.src[this.at++]!;
    if (c === '\\') return this.escape(false);
    if (c === '[') return this.charClass();
    if (c === '(') return this.group();
    if (c === '.' || c === '^' || c === '$' || this.skipping) return ANY;
    return { chars: charsOf(c), nullable: false };
  }

  private group(): Part {
    let assertion = false;
    if (this.src[this.at] === '?') {
      const head = this.src.slice(this.at, this.at + 3);
      if (head.startsWith('?:')) this.at += 2;
      else if (head.startsWith('?=') || head.startsWith('?!')) (assertion = true), (this.at += 2);
      else if (head === '?<=' || head === '?<!') (assertion = true), (this.at += 3);
      else if (head.startsWith('?<')) this.at = this.src.indexOf('>', this.at) + 1;
      else this.failed = true;
      if (this.at === 0) this.failed = true;
    }
    const inner = this.alternation(false);
    if (this.src[this.at++] !== ')') this.failed = true;
    return assertion ? ANY : inner;
  }

  /** After a backslash: `\d` and `\w` as their characters, an escaped punctuation mark as itself, the rest any. */
  private escape(inClass: boolean): Part {
    const c = this.src[this.at++];
    if (c === undefined) return (this.failed = true), ANY;
    if (this.skipping) return ANY;
    if (c === 'd') return { chars: (DIGIT_CHARS ??= tableOf(DIGITS)), nullable: false };
    if (c === 'w') return { chars: (WORD_CHARS ??= tableOf(WORD)), nullable: false };
    if (/[A-Za-z0-9]/.test(c) || (inClass && c === 'b')) return ANY;
    return { chars: charsOf(c), nullable: false };
  }

  /** `[...]`: its characters and ranges; a negated class, or anything unusual in it, is any. */
  private charClass(): Part {
    const end = this.classEnd();
    if (end < 0) return (this.failed = true), ANY;
    const body = this.src.slice(this.at, end);
    this.at = end + 1;
    if (body.length === 0) return (this.failed = true), ANY; // `[]` matches nothing: not worth reading
    if (body.startsWith('^') || this.skipping) return ANY;
    const chars = new Uint8Array(FIRST_CHARS);
    const sub = new Reader(body);
    let prev = -1;
    while (sub.at < body.length) {
      const c = body[sub.at]!;
      const inside = sub.at > 0 && sub.at + 1 < body.length;
      // A range: from a plain character to a plain character; any other `-` between two items (`[\.-x]`) is any.
      if (c === '-' && inside && (prev < 0 || body[sub.at + 1] === '\\')) return ANY;
      if (c === '-' && inside) {
        const to = body.charCodeAt(sub.at + 1);
        for (let k = prev; k <= to; k++) chars[k < OTHER ? k : OTHER] = 1;
        if (to >= OTHER) chars[OTHER] = 1;
        sub.at += 2;
        prev = -1;
        continue;
      }
      sub.at++;
      const part = c === '\\' ? sub.escape(true) : { chars: charsOf(c), nullable: false };
      if (part.chars === null || sub.failed) return ANY;
      union(chars, part.chars);
      prev = c === '\\' ? -1 : c.charCodeAt(0);
    }
    return { chars, nullable: false };
  }

  /** The index of the class's closing `]`, or -1. */
  private classEnd(): number {
    for (let i = this.at; i < this.src.length; i++) {
      if (this.src[i] === '\\') i++;
      else if (this.src[i] === ']') return i;
    }
    return -1;
  }
}

/**
 * One shared table per entry for single characters, and for `\d` and `\w` (never written: union writes only into its
 * first argument, always a table of its own).
 */
const SINGLE: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(FIRST_CHARS).fill(undefined);
let DIGIT_CHARS: Uint8Array | undefined;
let WORD_CHARS: Uint8Array | undefined;

function charsOf(text: string): Uint8Array {
  if (text.length !== 1) return tableOf(text);
  const k = Math.min(text.charCodeAt(0), OTHER);
  return (SINGLE[k] ??= tableOf(text));
}

function tableOf(text: string): Uint8Array {
  const chars = new Uint8Array(FIRST_CHARS);
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    chars[k < OTHER ? k : OTHER] = 1;
  }
  return chars;
}

/** a ∪ b, into a (null is any). */
function union(a: Chars, b: Chars): Chars {
  if (a === null || b === null) return null;
  for (let i = 0; i < FIRST_CHARS; i++) a[i] |= b[i]!;
  return a;
}
