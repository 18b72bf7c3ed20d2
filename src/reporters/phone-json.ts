// --json for `audit phone` and `audit phones`: NDJSON with the exact original text (no sanitize: JSON.stringify
// escapes what needs escaping). The keys, in this order, are the documented contract (README, "audit phone").
import type { LogRecord } from '../types.js';
import type { Occurrence } from '../phone/occurrence.js';
import type { NumberProfile } from '../phone/profile.js';
import type { Thresholds, Verdict } from '../phone/verdict.js';
import { toLine } from './ndjson.js';
import type { PhoneReport, PhonesRow } from './phone.js';

/** Text from a log on its way out: the --redact masker, or the text as it is. */
export type Show = (text: string) => string;

/** {"kind":"occurrence",...}: one line on which the number was found, with the line's context. */
export function occurrenceLine(o: Occurrence, record: LogRecord, phone: string, show: Show): string {
  return toLine({
    kind: 'occurrence',
    match: o.match,
    phone,
    text: o.text,
    what: o.what,
    types: o.types,
    time: isoTime(o.time),
    source: { ip: o.ip, port: o.port },
    user: showOrNull(o.user, show),
    device: showOrNull(o.device, show),
    agent: showOrNull(o.agent, show),
    message: show(record.message),
    raw: show(record.raw),
    file: o.file,
    line: o.line,
  });
}

/** {"kind":"verdict",...}: the summary and the verdict, last. */
export function verdictLine(r: PhoneReport, show: Show): string {
  const p = r.profile;
  return toLine({
    kind: 'verdict',
    phone: r.target.e164,
    masked: r.target.masked,
    region: r.region,
    risk: r.verdict.risk,
    reasons: reasons(r.verdict),
    ...activity(p),
    possible: r.possible,
    accounts: [...p.accounts.values].map(show),
    addresses: [...p.addresses.values],
    devices: [...p.devices.values].map(show),
    agents: [...p.agents.values].map(show),
    otherNumbers: r.otherNumbers,
    linesRead: r.linesRead,
    approximate: r.approximate,
    thresholds: thresholds(r.thresholds),
  });
}

/** {"kind":"number",...}: one number of `audit phones`; `e164` only with --reveal. */
export function numberLine(row: PhonesRow): string {
  const p = row.profile;
  return toLine({
    kind: 'number',
    number: row.number,
    e164: row.revealed ? p.e164 : null,
    risk: row.verdict.risk,
    reasons: reasons(row.verdict),
    ...activity(p),
    accounts: p.accounts.size,
    addresses: p.addresses.size,
    devices: p.devices.size,
    otherNumbers: row.shared,
    approximate: p.approximate,
  });
}

/** {"kind":"summary",...}: the last line of `audit phones --json`. */
export function phonesSummaryLine(numbers: number, linesRead: number, approximate: boolean, t: Thresholds): string {
  return toLine({ kind: 'summary', numbers, linesRead, approximate, thresholds: thresholds(t) });
}

function activity(p: NumberProfile): object {
  return {
    first: isoTime(p.first),
    last: isoTime(p.last),
    occurrences: p.occurrences,
    signups: p.counts.signup,
    smsCodes: p.counts.sms,
    failedLogins: p.counts.failure,
    logins: p.counts.login,
    passwordResets: p.counts.reset,
  };
}

function reasons(v: Verdict): object[] {
  return v.reasons.map((x) => ({ id: x.id, level: x.level, text: x.text }));
}

function thresholds(t: Thresholds): object {
  return {
    windowSeconds: t.window / 1000, maxAccounts: t.maxAccounts, maxSignups: t.maxSignups, maxSms: t.maxSms,
    maxFailures: t.maxFailures, maxAddresses: t.maxAddresses, maxShared: t.maxShared,
  };
}

function showOrNull(v: string | null, show: Show): string | null {
  return v === null ? null : show(v);
}

export function isoTime(t: number | null): string | null {
  return t === null || !Number.isFinite(t) || Math.abs(t) > 8.64e15 ? null : new Date(t).toISOString();
}
