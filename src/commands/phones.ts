// `audit phones [paths...]`: every phone number the logs mention, profiled and ranked by risk, masked unless
// --reveal. The phone library is imported inside the action (see phone.ts).
import { Command } from 'commander';
import type { ExitHolder } from '../cli.js';
import { EXIT } from '../errors.js';
import { lineContext } from '../phone/occurrence.js';
import { PhoneBook, type NumberProfile } from '../phone/profile.js';
import { judge, riskRank, type Risk } from '../phone/verdict.js';
import { createLineWriter } from '../reporters/ndjson.js';
import { renderPhonesTable, type PhonesRow } from '../reporters/phone.js';
import { numberLine, phonesSummaryLine } from '../reporters/phone-json.js';
import { createStyle } from '../text/style.js';
import type { Io } from '../types.js';
import { addRiskOptions, exitCode, parseRiskOptions, readLogs, type RawRiskOptions, type RiskOptions } from './phone-common.js';
import { parseCount } from './options.js';

export interface PhonesOptions extends RiskOptions {
  reveal: boolean;
  top: number;
}

interface RawPhonesOptions extends RawRiskOptions {
  reveal?: boolean;
  top: string;
}

export function phonesCommand(io: Io, exit: ExitHolder): Command {
  const cmd = new Command('phones')
    .description('every phone number in the logs, with accounts, sign-ups, SMS codes and addresses, ranked by risk')
    .argument('[paths...]', "files or directories to read; '-' (or nothing, when input is piped) reads standard input")
    .option('--reveal', 'show the numbers in full (they are masked by default: 138****8888)')
    .option('--top <n>', 'rows to show, riskiest first (--json writes every number)', '50');
  return addRiskOptions(cmd).action(async (paths: string[], raw: RawPhonesOptions) => {
    const risk = await parseRiskOptions(paths, raw, io);
    const opts = Object.freeze({ ...risk, reveal: raw.reveal === true, top: parseCount('--top', raw.top, 1, 1_000_000) });
    exit.code = await runPhones(opts, io);
  });
}

export async function runPhones(opts: PhonesOptions, io: Io): Promise<number> {
  const [{ findPhoneNumbers }, { maskNumber }] = await Promise.all([import('../phone/scan.js'), import('../phone/redact.js')]);
  const book = new PhoneBook();
  const read = await readLogs(opts, io, (record, events) => {
    const found = findPhoneNumbers(record.raw, opts.region);
    if (found.length === 0) return;
    const ctx = lineContext(record, events);
    // A number written twice on one line (a query and a JSON field) is one occurrence.
    found.forEach((f, i) => {
      if (!found.some((g, j) => j < i && g.e164 === f.e164)) book.add(f.e164, ctx);
    });
  });
  if (read.stopped === 'epipe') return EXIT.ok;
  const rows = rank([...book.profiles.values()].map((p): PhonesRow => {
    const shared = book.links.linkedTo(p).length;
    const number = opts.reveal ? p.e164 : maskNumber(p.e164, opts.region);
    return { number, revealed: opts.reveal, profile: p, shared, verdict: judge(p, shared, opts.thresholds) };
  }));
  const approximate = book.approximate;
  if (opts.json) {
    const out = createLineWriter(io.out);
    for (const row of rows) out.write(numberLine(row));
    out.write(phonesSummaryLine(rows.length, read.linesRead, approximate, opts.thresholds));
    out.flush();
  } else {
    const style = await createStyle(opts.color);
    const table = { top: opts.top, linesRead: read.linesRead, approximate, revealed: opts.reveal, thresholds: opts.thresholds };
    io.out.write(renderPhonesTable(rows, style, table));
  }
  if (read.stopped === 'interrupt') io.err.write('audit: interrupted; the table above covers what was read until then\n');
  const worst: Risk = rows[0]?.verdict.risk ?? 'none';
  return exitCode(read, worst, opts.failOn);
}

/** Riskiest first; then more reasons, sign-ups, SMS codes, accounts, lines; then by number, for a stable order. */
function rank(rows: PhonesRow[]): PhonesRow[] {
  const key = (p: NumberProfile): number[] => [p.counts.signup, p.counts.sms, p.accounts.size, p.occurrences];
  return rows.sort((a, b) => {
    const d = riskRank(b.verdict.risk) - riskRank(a.verdict.risk) || b.verdict.reasons.length - a.verdict.reasons.length;
    if (d !== 0) return d;
    const ka = key(a.profile);
    const kb = key(b.profile);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
    return a.profile.e164 < b.profile.e164 ? -1 : a.profile.e164 > b.profile.e164 ? 1 : 0;
  });
}
