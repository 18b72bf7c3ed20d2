// Caps line length in raw bytes before the bytes reach split2: an over-long line is cut on a UTF-8 character
// boundary, ended with a newline of our own, and the rest of it is dropped without being buffered.
// split2's own maxLength loses lines that arrive across chunks (STYLE.md), so the cap lives here.

const NL = 0x0a;
const CR = 0x0d;
const NEWLINE = Buffer.from([NL]);

/**
 * Number of bytes at the end of `bytes[0..end)` that form an incomplete UTF-8 sequence (0 to 3): a lead byte whose
 * sequence would run past `end`. Cutting them off keeps a multi-byte character whole or drops it whole.
 */
export function incompleteUtf8Tail(bytes: Uint8Array, end: number): number {
  for (let i = end - 1; i >= 0 && i >= end - 3; i--) {
    const b = bytes[i]!;
    if (b < 0x80) return 0; // ASCII: every earlier sequence is complete
    if (b >= 0xc0) {
      if (b >= 0xf8) return 0; // never a lead byte: the decoder replaces it on its own
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > end - i ? end - i : 0;
    }
    // continuation byte: keep looking for its lead
  }
  return 0;
}

/**
 * Feeds bytes through, passing every line of at most `max` bytes (not counting its `\n` or `\r\n`) unchanged.
 * Bytes of a line at positions below max - 3 go out at once; the last few before the limit are held back until the
 * line's fate is known, because a cut may have to retract up to 3 bytes to stay on a character boundary.
 * A cut line goes out as one piece ending with our newline, with `cut` true: every byte before it went out already.
 */
export class LineGuard {
  private readonly max: number;
  private readonly safe: number; // positions below this are never retracted
  private readonly out: (bytes: Buffer, cut: boolean) => void;
  private len = 0; // bytes of the current line seen so far (passed or held)
  private readonly held = Buffer.alloc(5); // positions [safe, len) of the current line: at most 3 bytes + a '\r'
  private heldLen = 0;
  private dropping = false; // inside the rest of a cut line: discard up to its newline

  constructor(maxLineBytes: number, out: (bytes: Buffer, cut: boolean) => void) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    this.max = maxLineBytes;
    this.safe = Math.max(0, maxLineBytes - 3);
    this.out = out;
  }

  feed(chunk: Buffer): void {
    const n = chunk.length;
    let pos = 0; // start of the part of the chunk not yet looked at
    let run = 0; // start of bytes looked at and accepted but not yet passed on
    while (pos < n) {
      if (this.dropping) {
        const nl = chunk.indexOf(NL, pos);
        if (nl < 0) { pos = run = n; break; }
        // our own newline ended the cut line already: skip the real one
        this.dropping = false;
        this.len = 0;
        pos = run = nl + 1;
        continue;
      }
      if (this.heldLen === 0) {
        pos = this.skipFitting(chunk, pos);
        if (pos === n) break;
      }
      const nl = chunk.indexOf(NL, pos);
      const end = nl < 0 ? n : nl;
      if (run < pos) this.out(chunk.subarray(run, pos), false);
      const ended = this.slowSegment(chunk, pos, end, nl >= 0);
      pos = nl < 0 ? n : nl + 1;
      run = ended ? nl : pos; // a line that ended normally still owes its '\n', which starts the next run
    }
    if (run < n) this.out(chunk.subarray(run, n), false);
  }

  /**
   * Common case, nothing held: passes over the lines from `pos` that end within their limit, with one search back
   * from the furthest place the current line's newline may be (not one search per line: long runs of short lines
   * cost one search per `max` bytes). Every line before the last newline found spans at most `max` bytes. Returns
   * the chunk's end when the rest is an open line still below `safe` (its bytes may all go out), else the start of
   * the part of the current line that reaches the hold zone (the slow path's).
   */
  private skipFitting(chunk: Buffer, pos: number): number {
    const n = chunk.length;
    for (;;) {
      const limit = pos + this.max - this.len; // a line ending there is exactly max bytes long
      const nl = limit >= n ? chunk.lastIndexOf(NL, n - 1) : chunk.lastIndexOf(NL, limit);
      if (nl >= pos) {
        this.len = 0;
        pos = nl + 1;
        if (pos === n) return n;
        continue;
      }
      // no newline left within the limit: an open line, or one that reaches the hold zone
      if (limit >= n && this.len + (n - pos) <= this.safe) {
        this.len += n - pos;
        return n;
      }
      return pos;
    }
  }

  /** End of input: a final line without a newline is passed on whole (it never exceeded the limit, or was cut). */
  end(): void {
    if (!this.dropping && this.heldLen > 0) this.out(Buffer.from(this.held.subarray(0, this.heldLen)), false);
    this.heldLen = 0;
  }

  /**
   * A segment [pos, end) that reaches the hold zone. Returns true when the line ended normally at `end` (the
   * caller passes the newline on), false when the segment was consumed (held, cut or still open).
   */
  private slowSegment(chunk: Buffer, pos: number, end: number, hasNewline: boolean): boolean {
    let p = pos;
    if (this.len < this.safe) {
      const take = Math.min(end - pos, this.safe - this.len);
      if (take > 0) this.out(chunk.subarray(pos, pos + take), false);
      this.len += take;
      p += take;
    }
    // At most 5 bytes are looked at one by one before the line either ends or is cut.
    for (; p < end; p++) {
      const b = chunk[p]!;
      if (this.len < this.max || (this.len === this.max && b === CR)) {
        this.held[this.heldLen++] = b;
        this.len++;
        continue;
      }
      this.cut();
      if (hasNewline) { this.dropping = false; this.len = 0; }
      return false;
    }
    if (!hasNewline) return false;
    if (this.heldLen > 0) this.out(Buffer.from(this.held.subarray(0, this.heldLen)), false);
    this.heldLen = 0;
    this.len = 0;
    return true;
  }

  /** The line is longer than max: pass on its first max bytes minus a split character, and a newline. */
  private cut(): void {
    const within = Math.min(this.heldLen, this.max - this.safe); // held bytes inside the first max (not a held '\r')
    const keep = within - incompleteUtf8Tail(this.held, within);
    this.out(Buffer.concat([this.held.subarray(0, keep), NEWLINE]), true);
    this.heldLen = 0;
    this.len = 0;
    this.dropping = true;
  }
}
