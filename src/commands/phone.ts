// `audit phone NUMBER [paths...]`: everything one phone number did in the logs, with a verdict. The phone library
// (libphonenumber-js, ~100 ms to load) is imported inside the action, so that other commands never pay for it.
import { Command } from 'commander';
import type { ExitHolder } from '../cli.js';
import { EXIT, UsageError } from '../errors.js';
import type { PhoneMatch } from '../phone/matcher.js';
import type { PhoneTarget } from '../phone/number.js';
import { copy, linkSource, occurrenceOf, type Occurrence } from '../phone/occurrence.js';
import { LinkIndex, NumberProfile } from '../phone/profile.js';
import { judge } from '../phone/verdict.js';
import { createLineWriter } from '../reporters/ndjson.js';
import { renderPhoneReport, type PhoneReport } from '../reporters/phone.js';
import { occurrenceLine, verdictLine, type Show } from '../reporters/phone-json.js';
import { createStyle } from '../text/style.js';
import type { Io, LogRecord, SecurityEvent } from '../types.js';
import { FIELD } from '../types.js';
import {
  addRiskOptions, exitCode, parseRiskOptions, readLogs, type RawRiskOptions, type ReadResult, type RiskOptions,
} from './phone-common.js';
import { parseCount } from './options.js';

export interface PhoneOptions extends RiskOptions {
  target: PhoneTarget;
  redact: boolean;
  limit: number;
  /** --db: answer from an event store made by `audit scan --db` instead of reading logs. */
  db: string | null;
}

interface RawPhoneOptions extends RawRiskOptions {
  redact?: boolean;
  limit: string;
  db?: string;
}

/** Occurrences kept for the timeline; past this they are counted, not kept (--json streams them all). */
export const MAX_KEPT = 10_000;
/** A phone field longer than this is not a phone number. */
const PHONE_TEXT_MAX = 64;

// What may continue a number written in several words (`audit phone +86 138 8888 8888 logs/`).
const NUMBER_WORD = /^[0-9+\-() ]+$/;
const DIGIT = /[0-9]/;

export function phoneCommand(io: Io, exit: ExitHolder): Command {
  const cmd = new Command('phone')
    .description('everything one phone number did in the logs: a timeline of its occurrences, a summary and a risk verdict')
    .argument('<number>', 'the phone number, in any written form: 13888888888, +86 138 8888 8888, 0086-138-8888-8888')
    .argument('[paths...]', "files or directories to read; '-' (or nothing, when input is piped) reads standard input")
    .option('--redact', 'mask every other phone number wherever log text is shown (and in --json)')
    .option('--limit <n>', 'timeline rows to show, the latest (--json writes every occurrence)', '100')
    .option('--db <file>', 'answer from an event store made by `audit scan --db` (its index), reading no logs');
  return addRiskOptions(cmd).action(async (first: string, rest: string[], raw: RawPhoneOptions) => {
    exit.code = await runPhone(await parsePhoneOptions([first, ...rest], raw, io), io);
  });
}

export async function parsePhoneOptions(words: readonly string[], raw: RawPhoneOptions, io: Io): Promise<PhoneOptions> {
  const { parseTarget } = await import('../phone/number.js');
  const { requireDialingPlan } = await import('../phone/plan.js');
  const region = requireDialingPlan(raw.region).region;
  const { number, paths } = splitNumber(words, (text) => {
    try {
      parseTarget(text, region);
      return true;
    } catch {
      return false;
    }
  });
  const target = readTarget(() => parseTarget(number, region));
  if (raw.db !== undefined && paths.length > 0) throw new UsageError('--db answers from the store: name no logs with it');
  const risk = await parseRiskOptions(raw.db === undefined ? paths : ['-'], raw, io);
  return Object.freeze({
    ...risk, inputs: raw.db === undefined ? risk.inputs : [], target, redact: raw.redact === true,
    limit: parseCount('--limit', raw.limit, 1, MAX_KEPT), db: raw.db ?? null,
  });
}

/** The issue asks for an invalid number to be one line that says why: the library's hint (an example) is left out. */
function readTarget(parse: () => PhoneTarget): PhoneTarget {
  try {
    return parse();
  } catch (err) {
    if (err instanceof UsageError && err.hint !== undefined) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * The number and the paths: the longest run of leading words that is a valid number ('+86', '138', '8888',
 * '8888'), else all the words that look like parts of a number, for the error message.
 */
export function splitNumber(words: readonly string[], valid: (text: string) => boolean): { number: string; paths: string[] } {
  if (words.length === 0) {
    throw new UsageError('no phone number given', { hint: 'for example: audit phone 13888888888 /var/log/app/' });
  }
  let parts = 1;
  while (parts < words.length && isNumberWord(words[parts]!)) parts++;
  for (let n = parts; n > 1; n--) {
    const number = words.slice(0, n).join(' ');
    if (valid(number)) return { number, paths: words.slice(n) };
  }
  if (valid(words[0]!)) return { number: words[0]!, paths: words.slice(1) };
  return { number: words.slice(0, parts).join(' '), paths: words.slice(parts) };
}

function isNumberWord(word: string): boolean {
  const w = word.normalize('NFKC');
  return NUMBER_WORD.test(w) && DIGIT.test(w);
}

export async function runPhone(opts: PhoneOptions, io: Io): Promise<number> {
  const [{ createMatcher }, { findPhoneNumbers }, { createRedactor, maskNumber }] = await Promise.all([
    import('../phone/matcher.js'), import('../phone/scan.js'), import('../phone/redact.js'),
  ]);
  const e164 = opts.target.e164;
  const show: Show = opts.redact ? createRedactor(e164, opts.region) : (text) => text;
  const out = opts.json ? createLineWriter(io.out) : null;
  const stream = (o: Occurrence, record: LogRecord): void => out?.write(occurrenceLine(o, record, e164, show));
  const found = await collect(opts, io, createMatcher(opts.target), stream);
  const { read, profile, links } = found;
  if (read.stopped === 'epipe') return EXIT.ok;
  const linked = resolveNumbers(links.linkedTo(profile), (text) => findPhoneNumbers(text, opts.region).map((f) => f.e164), e164);
  const verdict = judge(profile, linked.length, opts.thresholds);
  const report: PhoneReport = {
    target: opts.target, region: opts.region, occurrences: found.kept, dropped: found.dropped, possible: found.possible,
    profile, otherNumbers: opts.redact ? linked.map((n) => maskNumber(n, opts.region)) : linked, verdict,
    thresholds: opts.thresholds, linesRead: read.linesRead, files: read.sources,
    approximate: profile.approximate || links.approximate,
  };
  if (out !== null) {
    out.write(verdictLine(report, show));
    out.flush();
  } else {
    io.out.write(renderPhoneReport(report, await createStyle(opts.color), { limit: opts.limit, show }));
  }
  if (read.stopped === 'interrupt') io.err.write('audit: interrupted; the report above covers what was read until then\n');
  return exitCode(read, verdict.risk, opts.failOn);
}

interface Collected {
  read: ReadResult;
  /** Exact occurrences only. */
  profile: NumberProfile;
  links: LinkIndex;
  /** Occurrences for the timeline (none with --json: they are streamed). */
  kept: Occurrence[];
  dropped: number;
  possible: number;
}

/** Reads the logs once: occurrences of the number (each also given to `stream`), its profile, and the links. */
async function collect(
  opts: PhoneOptions, io: Io, match: (line: string) => PhoneMatch[], stream: (o: Occurrence, record: LogRecord) => void,
): Promise<Collected> {
  const c: Omit<Collected, 'read'> = {
    profile: new NumberProfile(opts.target.e164), links: new LinkIndex(), kept: [], dropped: 0, possible: 0,
  };
  const read = await (opts.db === null ? readLogs : readStore)(opts, io, (record, events) => {
    // A stored event without its line (no --store-lines) may hold the number only in its phone field.
    let matches = match(record.raw);
    if (matches.length === 0 && opts.db !== null && events[0]?.phone) matches = match(events[0].phone);
    const o = matches.length === 0 ? null : occurrenceOf(record, events, matches);
    if (o !== null) {
      if (o.match === 'exact') c.profile.add(o);
      else c.possible++;
      stream(o, record);
      if (!opts.json) {
        if (c.kept.length < MAX_KEPT) c.kept.push(o);
        else c.dropped++;
      }
    }
    const phones = usedPhones(record, events);
    if (phones === null) return;
    const from = o ?? linkSource(record, events);
    for (const text of phones) c.links.add(from, text);
  });
  return { read, ...c };
}

/**
 * The store's answer, shaped as lines of logs: the stored events of the number (found through the phone index),
 * then the stored events that used other numbers from the same addresses (for the links). A stored event stands for
 * its line; the line's text is there only when the scan used --store-lines. Mentions of the number on lines that gave
 * no event were never stored, so they are not found this way.
 */
async function readStore(opts: PhoneOptions, io: Io, onLine: (record: LogRecord, events: SecurityEvent[]) => void): Promise<ReadResult> {
  const [{ openStore }, { phoneOccurrences, phonesFromAddresses }] = await Promise.all([import('../store/db.js'), import('../store/read.js')]);
  const store = openStore(opts.db!, { mode: 'read', cwd: io.cwd });
  try {
    const numbers = [opts.target.e164, opts.target.national];
    const rows = phoneOccurrences(store.db, numbers);
    const files = new Set<string>();
    const ips = new Set<string>();
    for (const { event, raw } of rows) {
      files.add(event.file);
      if (event.source.ip !== null) ips.add(event.source.ip);
      onLine(storedRecord(event, raw), [event]);
    }
    for (const event of phonesFromAddresses(store.db, [...ips], numbers)) onLine(storedRecord(event, null), [event]);
    return { stopped: null, failed: false, linesRead: rows.length, sources: files.size };
  } finally {
    store.close();
  }
}

function storedRecord(e: SecurityEvent, raw: string | null): LogRecord {
  return {
    file: e.file, line: e.line, format: null, time: e.time === null ? null : Date.parse(e.time), host: e.host,
    program: e.program, pid: e.pid, level: null, message: e.message, fields: {}, raw: raw ?? e.message,
  };
}

/**
 * The phone numbers a line uses, as the rules or the format extracted them ('13912345678', '+86 139 1234 5678'), or
 * null. Only these link other numbers to the addresses and devices of the number asked about: a number merely written
 * somewhere is not one that was used from there. They are read as numbers at the end, and only for the addresses and
 * devices of the number asked about: validating every number of a large log would cost more than the scan.
 */
function usedPhones(record: LogRecord, events: readonly SecurityEvent[]): string[] | null {
  let phones: string[] | null = null;
  for (const e of events) if (e.phone !== null && !phones?.includes(e.phone)) (phones ??= []).push(e.phone);
  const field = Object.prototype.hasOwnProperty.call(record.fields, FIELD.phone) ? record.fields[FIELD.phone] : undefined;
  if (field !== undefined && field.length <= PHONE_TEXT_MAX && !phones?.includes(field)) (phones ??= []).push(copy(field));
  return phones;
}

/** The distinct E.164 numbers the texts hold, except `self`, sorted. */
function resolveNumbers(texts: readonly string[], read: (text: string) => string[], self: string): string[] {
  const numbers = new Set<string>();
  for (const text of texts) for (const n of read(text)) if (n !== self) numbers.add(n);
  return [...numbers].sort();
}
