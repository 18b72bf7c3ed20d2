// The record stage of one source: detects the format from the first lines (as lnav does: most lines recognised,
// then fewest strikes, then registry order), locks it in, and turns every line into exactly one LogRecord, in order.
import { NO_FIELDS, SKIP, type LineOutcome, type LineParser, type LogFormat, type LogRecord, type ParseContext, type ParsedLine, type ParserState } from '../types.js';
import { forwardedAudit } from './auditd.js';
import { FORMATS } from './registry.js';

export interface RecordStage {
  line(text: string, truncated: boolean): void;
  end(): void;
  /** The locked format (detected or forced); null while undecided or when nothing was recognised. */
  readonly format: string | null;
  /** Why the format won (or why none did), for --verbose. */
  readonly reason: string;
  /** Whether a parser that remembers earlier lines (LogFormat.saveState) was started: its answers depend on them. */
  readonly stateful: boolean;
  /** What those parsers remember now, by format name (only those that remember something). */
  states(): Record<string, ParserState>;
}

export interface RecordStageOptions {
  file: string;
  ctx: ParseContext;
  forced: LogFormat | null;
  onRecord: (record: LogRecord, outcome: LineOutcome) => void;
  /** Non-empty lines to look at before locking a format (default 32). */
  detectLines?: number;
  /** The candidates, in tie-breaking order (default: the registry). For tests. */
  formats?: readonly LogFormat[];
  /**
   * A block of a file after its first (src/parallel/): the format the file's first lines locked, without detecting
   * again (other formats still parse the lines it does not understand), and the states the stateful parsers of the
   * block before ended with.
   */
  locked?: LogFormat | null;
  states?: Readonly<Record<string, ParserState>> | null;
}

export function createRecordStage(opts: RecordStageOptions): RecordStage {
  return new SourceStage(opts);
}

type Result = ParsedLine | null | typeof SKIP;

/** A line held back while detecting, with what every candidate made of it (undefined: its probe declined). */
interface Held {
  text: string;
  truncated: boolean;
  blank: boolean;
  results: (Result | undefined)[];
}

const MAX_HELD = 1024; // lines (blank ones included) held while detecting, whatever the window

/** Empty or whitespace-only. Cheapest check first: most lines start with a visible character. */
function isBlank(text: string): boolean {
  return text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0);
}

/** A parser that breaks its contract and throws counts as not understanding the line: one bad format never ends a scan. */
function safeParse(parser: LineParser, text: string): Result {
  try {
    return parser(text);
  } catch {
    return null;
  }
}

function safeProbe(format: LogFormat, text: string): boolean {
  try {
    return format.probe(text);
  } catch {
    return false;
  }
}

class SourceStage implements RecordStage {
  private readonly file: string;
  private readonly ctx: ParseContext;
  private readonly forced: boolean;
  private readonly onRecord: RecordStageOptions['onRecord'];
  private readonly formats: readonly LogFormat[];
  private readonly names: string[]; // the formats' names, in a plain array (the registry's is frozen)
  private readonly windowSize: number;
  private readonly parsers: (LineParser | undefined)[];
  private locked: number; // index into formats, -1 while undecided
  private why: string;
  private lineNo = 0;
  private held: Held[] = [];
  private heldFirst = 1; // line number of held[0]
  private heldNonBlank = 0;
  private readonly startStates: Readonly<Record<string, ParserState>> | null;
  private statefulStarted = false;

  constructor(opts: RecordStageOptions) {
    this.file = opts.file;
    this.ctx = opts.ctx;
    this.onRecord = opts.onRecord;
    this.forced = opts.forced !== null;
    this.formats = opts.forced === null ? (opts.formats ?? FORMATS) : [opts.forced];
    this.names = this.formats.map((f) => f.name);
    this.windowSize = Math.max(1, opts.detectLines ?? 32);
    this.parsers = new Array<LineParser | undefined>(this.formats.length);
    this.locked = this.forced ? 0 : -1;
    this.why = opts.forced === null ? 'no non-empty lines to detect from' : `forced: ${opts.forced.name}`;
    this.startStates = opts.states ?? null;
    const locked = opts.locked ?? null;
    if (!this.forced && locked !== null && this.formats.includes(locked)) {
      this.locked = this.formats.indexOf(locked);
      this.why = `${locked.name}: locked by the first block`;
    }
  }

  get stateful(): boolean {
    return this.statefulStarted;
  }

  states(): Record<string, ParserState> {
    const out: Record<string, ParserState> = {};
    for (let k = 0; k < this.formats.length; k++) {
      const f = this.formats[k]!;
      const p = this.parsers[k];
      const state = p === undefined || f.saveState === undefined ? null : f.saveState(p);
      if (state !== null) out[f.name] = state;
    }
    return out;
  }

  get format(): string | null {
    return this.locked >= 0 ? this.formats[this.locked]!.name : null;
  }

  get reason(): string {
    return this.why;
  }

  line(text: string, truncated: boolean): void {
    const n = ++this.lineNo;
    const blank = isBlank(text);
    if (this.locked >= 0) {
      if (blank) this.emitBlank(n, truncated);
      else this.parseLocked(n, text, truncated);
      return;
    }
    if (blank && this.held.length === 0) {
      this.heldFirst = n + 1; // nothing held back: deliver at once, order is kept
      this.emitBlank(n, truncated);
      return;
    }
    this.held.push({ text, truncated, blank, results: blank ? [] : this.tryAll(text) });
    if (!blank) this.heldNonBlank++;
    if (this.heldNonBlank >= this.windowSize || this.held.length >= MAX_HELD) this.decide();
  }

  end(): void {
    if (this.held.length > 0) this.decide();
  }

  private parserOf(k: number): LineParser {
    let p = this.parsers[k];
    if (p === undefined) {
      const f = this.formats[k]!;
      if (f.saveState !== undefined) this.statefulStarted = true;
      try {
        const state = this.startStates?.[f.name];
        p = state !== undefined && f.resumeParser !== undefined ? f.resumeParser(this.ctx, state) : f.createParser(this.ctx);
      } catch {
        p = () => null; // a format that cannot start parses nothing
      }
      this.parsers[k] = p;
    }
    return p;
  }

  /** The locked format first; then, in registry order, any other format whose probe accepts the line. */
  private parseLocked(n: number, text: string, truncated: boolean): void {
    const r = safeParse(this.parserOf(this.locked), text);
    if (r !== null || this.forced) return this.emit(n, text, truncated, this.locked, r);
    for (let k = 0; k < this.formats.length; k++) {
      if (k === this.locked || !safeProbe(this.formats[k]!, text)) continue;
      const other = safeParse(this.parserOf(k), text);
      if (other !== null) return this.emit(n, text, truncated, k, other);
    }
    this.emit(n, text, truncated, -1, null);
  }

  /** Every candidate whose probe accepts the line parses it, so that stateful parsers see their lines in order. */
  private tryAll(text: string): (Result | undefined)[] {
    const results = new Array<Result | undefined>(this.formats.length);
    for (let k = 0; k < this.formats.length; k++) {
      if (safeProbe(this.formats[k]!, text)) results[k] = safeParse(this.parserOf(k), text);
    }
    return results;
  }

  /** Scores the held lines, locks the winner if there is one, and delivers them; else the next window tries again. */
  private decide(): void {
    const quality = new Array<number>(this.formats.length).fill(0);
    const strikes = new Array<number>(this.formats.length).fill(0);
    for (const h of this.held) {
      for (let k = 0; k < h.results.length; k++) {
        const r = h.results[k];
        if (r === null) strikes[k]!++; // the probe claimed the line but the parser did not understand it
        else if (r !== undefined) quality[k]!++;
      }
    }
    const best = this.pickBest(quality, strikes);
    const range = `lines ${this.heldFirst}-${this.heldFirst + this.held.length - 1}`;
    if (best < 0) this.why = `no format recognised ${range}`;
    else {
      this.locked = best;
      this.why = this.explain(best, quality, strikes, range);
    }
    let n = this.heldFirst;
    for (const h of this.held) this.deliverHeld(n++, h);
    this.held = [];
    this.heldFirst = this.lineNo + 1;
    this.heldNonBlank = 0;
  }

  private deliverHeld(n: number, h: Held): void {
    if (h.blank) return this.emitBlank(n, h.truncated);
    const mine = this.locked >= 0 ? h.results[this.locked] : undefined;
    if (mine !== undefined && mine !== null) return this.emit(n, h.text, h.truncated, this.locked, mine);
    // Else the first other format that understood it, as parseLocked does for later lines.
    for (let k = 0; k < h.results.length; k++) {
      const r = h.results[k];
      if (r !== undefined && r !== null) return this.emit(n, h.text, h.truncated, k, r);
    }
    this.emit(n, h.text, h.truncated, -1, null);
  }

  private pickBest(quality: number[], strikes: number[]): number {
    let best = -1;
    for (let k = 0; k < quality.length; k++) {
      if (quality[k] === 0) continue;
      if (best < 0 || quality[k]! > quality[best]! || (quality[k] === quality[best] && strikes[k]! < strikes[best]!)) best = k;
    }
    return best;
  }

  private explain(best: number, quality: number[], strikes: number[], range: string): string {
    let text = `${this.formats[best]!.name}: recognised ${quality[best]} of ${this.heldNonBlank} non-empty lines (${range})`;
    let second = -1;
    for (let k = 0; k < quality.length; k++) {
      if (k !== best && quality[k]! > 0 && (second < 0 || quality[k]! > quality[second]!)) second = k;
    }
    if (second < 0) return text;
    text += `; next ${this.formats[second]!.name} with ${quality[second]}`;
    if (quality[second] === quality[best]) {
      text += strikes[second]! > strikes[best]! ? ` (${strikes[second]} strikes vs ${strikes[best]})` : ' (tie: registry order)';
    }
    return text;
  }

  /** One record for one line: parsed (format k), SKIP (format k, raw text) or unparsed (k = -1, raw text). */
  private emit(n: number, text: string, truncated: boolean, k: number, r: Result): void {
    // typeof, not `r === SKIP`: a compare of an object with a string constant is a generic call in optimised code.
    if (r === null || typeof r === 'string') {
      const outcome: LineOutcome = truncated ? 'truncated' : r === null ? 'unparsed' : 'skipped';
      const format = r === null ? null : this.names[k]!;
      const record: LogRecord = { file: this.file, line: n, format, time: null, host: null, program: null, pid: null, level: null, message: text, fields: NO_FIELDS, raw: text };
      return this.onRecord(record, outcome);
    }
    // `foreignText` only where it is true (access and request lines, audit records, also forwarded into a syslog file
    // or the journal), so that records of most formats keep one shape; in the literal, not added after it (an added
    // property costs a properties array and a map transition on every access line).
    const format = this.names[k]!;
    const record: LogRecord = r.foreignText === true || (r.program !== null && forwardedAudit(r.program, r.message))
      ? {
        file: this.file, line: n, format, time: r.time, host: r.host, program: r.program, pid: r.pid, level: r.level,
        message: r.message, fields: r.fields, raw: text, foreignText: true,
      }
      : {
        file: this.file, line: n, format, time: r.time, host: r.host, program: r.program, pid: r.pid, level: r.level,
        message: r.message, fields: r.fields, raw: text,
      };
    this.onRecord(record, truncated ? 'truncated' : 'parsed');
  }

  private emitBlank(n: number, truncated: boolean): void {
    const record: LogRecord = { file: this.file, line: n, format: null, time: null, host: null, program: null, pid: null, level: null, message: '', fields: NO_FIELDS, raw: '' };
    this.onRecord(record, truncated ? 'truncated' : 'skipped');
  }
}
